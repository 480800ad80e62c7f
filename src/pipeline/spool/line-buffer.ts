import { utf8Into } from '../../shared/v8-fast-paths.js';
import type { ItemKind } from '../send-queue.js';
import { KIND_TO_CHAR } from './spool-line.js';

/**
 * Room for spool lines waiting to be written together. A burst past the send queue's bound spills
 * every record: one `writeSync` each cost ~4.5 µs of CPU per 500-byte record (the system call, and
 * the string encoded twice: its length, then its bytes), against ~1 µs written 64 KiB at a time
 * (`bench/RESULTS.md`, #14 seventh pass): the 1M-call row of the scaling benchmark.
 */
export const LINE_BUFFER_BYTES = 64 * 1024;

const TAB = 0x09;
const NEWLINE = 0x0a;
const ZERO = 0x30;
const KIND_BYTE: Record<ItemKind, number> = {
  complete: KIND_TO_CHAR.complete.charCodeAt(0),
  start: KIND_TO_CHAR.start.charCodeAt(0),
  end: KIND_TO_CHAR.end.charCodeAt(0),
};

/** Decimal digits of a non-negative integer. */
function digitCount(n: number): number {
  let count = 1;
  for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) count++;
  return count;
}

/**
 * Spool lines (see spool-line.ts) encoded as UTF-8 one after the other into one buffer, until the
 * spool writes them out (`take`). A line is encoded once, straight into the buffer.
 */
export class LineBuffer {
  /** Allocated with the first line: a spool that never spills holds no buffer. */
  private buf = Buffer.alloc(0);
  private used = 0;

  /**
   * Adds the line of a record; returns its size in bytes, or undefined when it might not fit the room
   * left (then nothing was added: write the buffer out and try again; a line that does not fit an empty
   * buffer is written on its own).
   */
  add(kind: ItemKind, seq: number, json: string): number | undefined {
    const digits = digitCount(seq);
    if (this.buf.length === 0) this.buf = Buffer.allocUnsafeSlow(LINE_BUFFER_BYTES);
    // UTF-8 takes at most 3 bytes per UTF-16 unit: the line always fits this worst case.
    if (this.used + digits + 3 * json.length + 3 > this.buf.length) return undefined;
    const start = this.used;
    this.buf[start] = KIND_BYTE[kind];
    // The sequence number's digits, written as bytes (no string per record).
    let at = start + 1 + digits;
    for (let rest = seq, p = at; p > start + 1; rest = Math.floor(rest / 10))
      this.buf[--p] = ZERO + (rest % 10);
    this.buf[at++] = TAB;
    at += utf8Into(this.buf, json, at);
    this.buf[at++] = NEWLINE;
    this.used = at;
    return at - start;
  }

  /** Takes back the last line added, of `bytes` bytes. */
  undo(bytes: number): void {
    this.used -= bytes;
  }

  /**
   * Hands what is waiting to `write` (which must write it before returning), then empties the buffer.
   * If `write` throws, the bytes stay for the next call.
   */
  take(write: (bytes: Buffer) => void): void {
    if (this.used === 0) return;
    write(this.buf.subarray(0, this.used));
    this.used = 0;
  }
}
