import { existsSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { ItemKind } from '../send-queue.js';
import { readLines, type SpoolPosition } from './spool-cursor.js';
import {
  adoptDeadDirs,
  createOwnDir,
  releaseOwnDir,
  replayOrder,
  segmentNames,
  serverDir,
} from './spool-layout.js';
import { readAck, recordsAfter } from './spool-inventory.js';
import { AckFile } from './ack-file.js';
import { SegmentWriter } from './segment-writer.js';
import type { SpooledItem } from './spool-line.js';
import { SeqRuns } from './seq-runs.js';

export interface SpoolConfig {
  /** Root folder, e.g. `.weft/spool`. */
  root: string;
  projectId: string;
  serverUrl: string;
  /** Most bytes on disk; past it appends are refused (and the caller counts a drop). */
  maxBytes: number;
  /** A segment is closed and a new one started past this size. */
  segmentBytes: number;
  /** Written data is fsynced at most this long after it was appended. */
  fsyncIntervalMs: number;
  /**
   * Each record is written to the file before `append` returns (durability `spool`: a killed process
   * loses none). Else records are written by the end of the event-loop turn that appended them, a
   * turn's records together (see line-buffer.ts); process exit writes what is left.
   */
  writeAtOnce: boolean;
  /** A write at the end of a turn failed (the bytes stay buffered and are written with the next). */
  onWriteError?: (err: unknown) => void;
}

/** A batch read from the spool; acknowledge it once the server accepted (or rejected) all of it. */
export interface SpoolBatch {
  items: SpooledItem[];
  /** Items written by this process (the rest came from an adopted folder). */
  own: number;
  end: SpoolPosition;
}

/**
 * A disk-backed FIFO of serialized records, append-only, in segment files (layout: spool-layout.ts).
 * Nothing touches the disk until the first append or `recover()`. One batch is read at a time; its
 * acknowledgement moves the persisted `ack` position, so a restarted process never re-sends what the
 * server already accepted (but for at most the one batch in flight, which the server deduplicates).
 */
export class Spool {
  readonly dir: string;
  private own: string | undefined;
  private folders: string[] = [];
  private ack: SpoolPosition | undefined;
  private reading = false;
  private diskBytes = 0;
  private readonly writer: SegmentWriter;
  private readonly ownSeqs = new SeqRuns();
  private readonly ackFile = new AckFile();
  /** Bytes per line of the last batch read (sizes the next read). */
  private lineBytes: number | undefined;
  /** Items appended by this process and not yet acknowledged. */
  ownPending = 0;
  /** Unacknowledged records of earlier processes: counted from the files when first asked, then kept. */
  private adopted: number | undefined;

  constructor(private readonly config: SpoolConfig) {
    this.dir = serverDir(config.root, config.projectId, config.serverUrl);
    this.writer = new SegmentWriter(config);
  }

  /** Adopts what dead processes left for this project and server. Returns true if anything is waiting. */
  recover(): boolean {
    if (!existsSync(this.dir)) return false;
    this.ackFile.close(); // folders may be removed below
    const adopted = adoptDeadDirs(this.dir, () => this.ensureOwn());
    if (adopted.length > 0) this.folders = replayOrder(this.own!);
    for (const f of this.folders) {
      const segs = segmentNames(f);
      if (segs.length === 0 && f !== this.own) rmSync(f, { recursive: true, force: true });
      for (const s of segs) this.diskBytes += sizeOf(join(f, s));
    }
    this.folders = this.folders.filter((f) => existsSync(f));
    this.ack = undefined;
    this.adopted = undefined;
    return this.hasUnread();
  }

  get bytes(): number {
    return this.diskBytes;
  }

  /**
   * Appends one record: written at once or by the end of this turn (`writeAtOnce`), fsynced within the
   * interval. False if the spool is full.
   */
  append(kind: ItemKind, seq: number, json: string): boolean {
    const own = this.ensureOwn();
    const len = this.writer.append(own, kind, seq, json, this.config.maxBytes - this.diskBytes);
    if (len === undefined) return false;
    this.diskBytes += len;
    this.ownSeqs.push(seq);
    this.ownPending++;
    return true;
  }

  hasUnread(): boolean {
    if (this.reading) return false;
    this.writer.writePending();
    const pos = this.position();
    return pos !== undefined && this.readableFrom(pos);
  }

  /**
   * The smallest sequence number among unacknowledged items (0 while an adopted folder's remain,
   * Infinity if none): flush() waits until it passes its watermark.
   */
  oldestSeq(): number {
    const pos = this.position();
    if (!pos) return Infinity;
    if (pos.folder !== this.own) return 0;
    return this.ownSeqs.min();
  }

  /** How many items appended by this process with a sequence number up to `seq` are unacknowledged. */
  ownPendingUpTo(seq: number): number {
    return this.ownSeqs.countUpTo(seq);
  }

  /** Unacknowledged records adopted from earlier processes (reads their files the first time). */
  adoptedPending(): number {
    this.adopted ??= this.folders
      .filter((f) => f !== this.own)
      .reduce((n, f) => n + recordsAfter(f, this.ack?.folder === f ? this.ack : readAck(f)), 0);
    return this.adopted;
  }

  /** Reads the next batch; undefined if nothing is readable or a batch is already out. */
  read(maxItems: number, maxBytes: number): SpoolBatch | undefined {
    if (this.reading) return undefined;
    this.writer.writePending();
    for (let pos = this.position(); pos; pos = this.position()) {
      const expect = this.lineBytes === undefined ? undefined : this.lineBytes * maxItems * 1.125 + 4096;
      const r = readLines(pos, maxItems, maxBytes, !this.isWriting(pos), expect);
      if (r.items.length > 0) {
        this.lineBytes = (r.end.offset - pos.offset) / r.items.length;
        this.reading = true;
        const own = pos.folder === this.own ? r.items.length : 0;
        return { items: r.items, own, end: r.end };
      }
      if (!r.atEnd || this.isWriting(pos)) return undefined;
      this.ack = r.end; // an empty or torn-only segment: move past it
      this.advancePastEnd();
    }
    return undefined;
  }

  /** The server settled the batch: persist the new position, delete finished segments. */
  commit(batch: SpoolBatch): void {
    this.reading = false;
    this.ack = batch.end;
    this.ownSeqs.shift(batch.own);
    this.ownPending -= batch.own;
    if (this.adopted !== undefined) this.adopted -= batch.items.length - batch.own;
    this.ackFile.write(batch.end.folder, batch.end.segment, batch.end.offset);
    if (!this.isWriting(batch.end) && batch.end.offset >= sizeOf(join(batch.end.folder, batch.end.segment))) {
      this.advancePastEnd();
    }
  }

  /** The batch could not be sent: it will be read again. */
  rewind(): void {
    this.reading = false;
  }

  /** Writes and fsyncs synchronously (process exit). */
  syncNow(): void {
    this.writer.syncNow();
  }

  /** Closes the segment being written; removes this process's folder if nothing is left in it. */
  close(): void {
    if (this.writer.close()) this.removeFinished();
    this.ackFile.close();
  }

  /** After the segment being written closed: what is acknowledged goes, and an empty own folder. */
  private removeFinished(): void {
    const pos = this.position();
    if (
      pos &&
      !this.reading &&
      pos.folder === this.own &&
      pos.offset >= sizeOf(join(pos.folder, pos.segment))
    ) {
      this.advancePastEnd();
    }
    if (this.own && !this.reading && segmentNames(this.own).length === 0 && this.folders.length <= 1) {
      rmSync(this.own, { recursive: true, force: true });
      releaseOwnDir(this.own);
      this.own = undefined;
      this.folders = [];
      this.ack = undefined;
    }
  }

  private ensureOwn(): string {
    if (!this.own) {
      this.own = createOwnDir(this.dir, this.config.serverUrl);
      this.folders = [this.own];
    }
    return this.own;
  }

  private isWriting(pos: SpoolPosition): boolean {
    return pos.folder === this.own && pos.segment === this.writer.segment;
  }

  /** Where reading resumes: the persisted ack position of the first folder with segments left. */
  private position(): SpoolPosition | undefined {
    if (this.ack) return this.ack;
    for (const folder of this.folders) {
      const segs = segmentNames(folder);
      if (segs.length === 0) continue;
      this.ack = loadAck(folder, segs);
      return this.ack;
    }
    return undefined;
  }

  private readableFrom(pos: SpoolPosition): boolean {
    if (pos.offset < sizeOf(join(pos.folder, pos.segment))) return true;
    if (this.isWriting(pos)) return false;
    const segs = segmentNames(pos.folder);
    return (
      segs.indexOf(pos.segment) < segs.length - 1 ||
      this.folders.indexOf(pos.folder) < this.folders.length - 1
    );
  }

  /** The ack position is at the end of a closed segment: delete it and move to what follows. */
  private advancePastEnd(): void {
    const pos = this.ack!;
    const path = join(pos.folder, pos.segment);
    this.diskBytes -= sizeOf(path);
    unlinkSync(path);
    const next = segmentNames(pos.folder).find((s) => s > pos.segment);
    if (next) {
      this.ack = { folder: pos.folder, segment: next, offset: 0 };
      this.ackFile.write(pos.folder, next, 0);
      return;
    }
    this.ack = undefined;
    if (pos.folder !== this.own) {
      this.ackFile.close();
      rmSync(pos.folder, { recursive: true, force: true });
      this.folders = this.folders.filter((f) => f !== pos.folder);
    } else {
      this.ackFile.remove(pos.folder);
    }
  }
}

function loadAck(folder: string, segs: string[]): SpoolPosition {
  const ack = readAck(folder); // none yet: from the start
  return ack && segs.includes(ack.segment) ? { folder, ...ack } : { folder, segment: segs[0]!, offset: 0 };
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
