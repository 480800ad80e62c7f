import { utf8Into } from '../shared/v8-fast-paths.js';
import { SlabPool } from './slab-pool.js';

/**
 * A record's JSON as UTF-8 bytes: `len` bytes of `slab` from `at`. Queued records are kept so, not as
 * strings: a burst of calls that cannot be sent yet (the event loop never turns during it) queues
 * every record, and as strings each one survived the young generation's collections (V8 grew it to
 * its maximum, 32 MiB, copying the records) and was then promoted, to be marked and swept again. As
 * bytes, the record's string is garbage as soon as it is written, and sending copies bytes instead of
 * encoding the string a second time.
 */
export interface RecordBytes {
  slab: Buffer;
  at: number;
  len: number;
}

/** A record of its own buffer (read from the spool, or truncated). */
export function recordBytesOf(json: string): RecordBytes {
  const slab = Buffer.from(json, 'utf8');
  return { slab, at: 0, len: slab.length };
}

/** The record's JSON text (the rare paths that need it: spool, truncation, dead letter). */
export function recordText(r: RecordBytes): string {
  return r.slab.toString('utf8', r.at, r.at + r.len);
}

/** Copies the record into `body` at `at`; returns the offset after it. */
export function copyRecord(r: RecordBytes, body: Buffer, at: number): number {
  return at + r.slab.copy(body, at, r.at, r.at + r.len);
}

/**
 * Slab size. Records are ~0.5 KB: a slab holds ~500, and what a slab cannot hold at its end is at
 * most a record's worst-case size (below), so little is left unused; an idle client keeps one slab
 * (and, for a while after a burst, the slabs the pool kept; see SlabPool).
 */
export const SLAB_BYTES = 256 * 1024;
/** A record whose worst-case size is past this gets a buffer of its own instead of a slab's room. */
const OWN_BUFFER_FROM = SLAB_BYTES / 8;
/** What follows every record in a slab (see SlabWriter). */
const COMMA = 0x2c;

/**
 * Writes records one after the other into slabs (off-heap buffers), taken from `pool`: new ones, or
 * ones whose records were all sent (see SlabPool, which decides when a slab may be written again).
 * `retired` is told of each slab the writer moves on from.
 *
 * Each record in a slab is followed by a comma (not part of its bytes), so that records written one
 * after the other are, with the separators of a batch between them, one range of the slab: a batch
 * body copies such a run at once (`followsInSlab`, `writeCompleteBody` in batch-bodies.ts).
 */
export class SlabWriter {
  private slab: Buffer = Buffer.allocUnsafeSlow(0);
  private used = 0;
  private readonly run: RecordBytes = { slab: this.slab, at: 0, len: 0 };

  /** By default every slab is new, and none is reused. */
  constructor(
    private readonly pool: SlabPool = new SlabPool(SLAB_BYTES, 0, 0),
    private readonly retired: (slab: Buffer) => void = () => {},
  ) {}

  /** The slab being written into. */
  get current(): Buffer {
    return this.slab;
  }

  /** Writes `json`'s UTF-8 bytes and sets `into` to where they are. */
  write(json: string, into: RecordBytes): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit (a surrogate pair: 4 for 2), so a record of
    // `json.length` units always fits `3 * length` bytes (and its comma): never cut short.
    const worst = 3 * json.length + 1;
    if (this.used + worst > this.slab.length) {
      if (worst > OWN_BUFFER_FROM) {
        const own = recordBytesOf(json);
        into.slab = own.slab;
        into.at = 0;
        into.len = own.len;
        return;
      }
      const old = this.slab;
      this.slab = this.pool.take();
      this.used = 0;
      this.retired(old);
    }
    into.slab = this.slab;
    into.at = this.used;
    into.len = utf8Into(this.slab, json, this.used);
    this.slab[this.used + into.len] = COMMA;
    this.used += into.len + 1;
  }

  /**
   * Writes `records` one after the other, as `write` would, calling `placed` with where each one went
   * (one object, reused). Records that fit the slab's room (at their worst-case size) are written as
   * one string: joining them copies each record's pieces once, where writing each alone would flatten
   * it into a string of its own first (a second copy), and makes one call into C++ for them all. If
   * that string's UTF-8 length is its length, every character took one byte, so each record starts
   * where its characters do; else they are written again one by one. A run that passes the room is
   * split: the records that fit at their worst case go in as one string, then those that fit in what
   * is left, and the rest starts the next slab. Written one by one instead, the last 16 KiB of each
   * slab were ~6 % of the records and half the calls into C++ (bench/RESULTS.md, #14 ninth pass).
   */
  writeRun(records: readonly string[], placed: (r: RecordBytes) => void): void {
    const r = this.run;
    for (let from = 0; from < records.length;) {
      const room = this.slab.length - this.used;
      let to = from;
      let chars = 0; // the records' characters and a comma after each
      while (to < records.length && 3 * (chars + records[to]!.length + 1) <= room) {
        chars += records[to]!.length + 1;
        to++;
      }
      if (to - from > 1) {
        const text = (from === 0 && to === records.length ? records : records.slice(from, to)).join(',');
        if (utf8Into(this.slab, text, this.used) === chars - 1) {
          this.slab[this.used + chars - 1] = COMMA;
          r.slab = this.slab;
          for (; from < to; from++) {
            r.at = this.used;
            r.len = records[from]!.length;
            this.used += r.len + 1;
            placed(r);
          }
          continue;
        }
      } else {
        to = from + 1; // one record fits, or none does (then it starts the next slab)
      }
      // Characters of more than one byte (or a single record): one by one.
      for (; from < to; from++) {
        this.write(records[from]!, r);
        placed(r);
      }
    }
  }

  /** Takes back the last write (the record did not fit the queue's bound after all). */
  undo(r: RecordBytes): void {
    if (r.slab === this.slab && r.at + r.len + 1 === this.used) this.used = r.at;
  }
}

/**
 * A record at `nextAt` of `nextSlab` comes right after the record that ends at `end` of `slab`, with
 * only a comma between them (see SlabWriter).
 */
export function followsInSlab(slab: Buffer, end: number, nextSlab: Buffer, nextAt: number): boolean {
  return nextSlab === slab && nextAt === end + 1 && slab[end] === COMMA;
}
