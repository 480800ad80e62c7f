import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { decodeLine, type SpooledItem } from './spool-line.js';

/** A position in the spool: a folder, a segment in it, and a byte offset in that segment. */
export interface SpoolPosition {
  folder: string;
  segment: string;
  offset: number;
}

export interface ReadResult {
  items: SpooledItem[];
  /** Position just after the last item read. */
  end: SpoolPosition;
  /** Bytes of lines that could not be decoded (torn or corrupt) and were skipped. */
  skippedBytes: number;
  /** True when the read reached the end of the segment's complete lines. */
  atEnd: boolean;
}

/** Bytes read at a time: at least this many... */
const MIN_READ_BYTES = 64 * 1024;
/** ...and at most this many (a batch of a few thousand typical records). */
const MAX_READ_BYTES = 1024 * 1024;

/**
 * Reads whole lines from one segment, starting at a byte offset. `complete` says whether the segment
 * is closed (a torn last line is then skipped) or still being written (it is left for later).
 * `expectBytes`, the caller's estimate of the bytes `maxItems` lines take, sizes the read: a read of
 * 1 MiB for a 1 000-record batch of ~350 KB copied and allocated three times what it used, and the
 * rest was read again by the next batch. Lines beyond the read are simply left for the next one.
 */
export function readLines(
  pos: SpoolPosition,
  maxItems: number,
  maxBytes: number,
  complete: boolean,
  expectBytes = MAX_READ_BYTES,
): ReadResult {
  const fd = openSync(join(pos.folder, pos.segment), 'r');
  try {
    // A single record longer than the read doubles the buffer until it fits.
    let size = Math.max(MIN_READ_BYTES, Math.min(maxBytes, MAX_READ_BYTES, Math.ceil(expectBytes)));
    for (;;) {
      const buf = Buffer.allocUnsafe(size);
      const n = readSync(fd, buf, 0, size, pos.offset);
      const items: SpooledItem[] = [];
      let start = 0;
      let skippedBytes = 0;
      let nl = buf.indexOf(10, 0);
      let full = false;
      while (nl >= 0 && nl < n) {
        if (items.length >= maxItems) {
          full = true;
          break;
        }
        const item = decodeLine(buf, start, nl);
        if (item) items.push(item);
        else skippedBytes += nl + 1 - start;
        start = nl + 1;
        nl = buf.indexOf(10, start);
      }
      if (start === 0 && n === size) {
        size *= 2; // one line longer than the buffer: read more
        continue;
      }
      const reachedEnd = n < size && !full;
      if (reachedEnd && complete && start < n) skippedBytes += n - start; // torn tail of a closed segment
      const consumed = reachedEnd && complete ? n : start;
      return {
        items,
        end: { ...pos, offset: pos.offset + consumed },
        skippedBytes,
        atEnd: reachedEnd,
      };
    }
  } finally {
    closeSync(fd);
  }
}
