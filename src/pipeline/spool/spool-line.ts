import type { RecordBytes } from '../record-bytes.js';
import type { ItemKind } from '../send-queue.js';

/**
 * One spooled item per line: a kind letter, the item's sequence number in the process that wrote it,
 * a tab, then the record's JSON (which JSON.stringify never splits across lines). Example:
 * `c1234\t{"project_id":...}\n`
 */
export const KIND_TO_CHAR: Record<ItemKind, string> = { complete: 'c', start: 's', end: 'e' };
const CHAR_TO_KIND: Record<string, ItemKind> = { c: 'complete', s: 'start', e: 'end' };

/** An item read back: its record's bytes are a range of the buffer the segment was read into. */
export interface SpooledItem extends RecordBytes {
  kind: ItemKind;
  seq: number;
}

export function encodeLine(kind: ItemKind, seq: number, json: string): string {
  return `${KIND_TO_CHAR[kind]}${seq}\t${json}\n`;
}

/**
 * Parses the line in bytes `start` to `end` of `buf` (without its newline); undefined for a torn or
 * foreign line. The record is not decoded: it is sent as the bytes it was spooled as.
 */
export function decodeLine(buf: Buffer, start: number, end: number): SpooledItem | undefined {
  const kind = CHAR_TO_KIND[String.fromCharCode(buf[start] ?? 0)];
  if (!kind) return undefined;
  // The sequence number's digits, read as bytes up to the tab (no string per line).
  let seq = 0;
  let p = start + 1;
  for (; p < end && buf[p] !== 0x09; p++) {
    const digit = buf[p]! - 0x30;
    if (digit < 0 || digit > 9) return undefined;
    seq = seq * 10 + digit;
  }
  const at = p + 1;
  if (p === start + 1 || p >= end || !Number.isSafeInteger(seq)) return undefined;
  if (end - at < 2 || buf[at] !== 0x7b || buf[end - 1] !== 0x7d) return undefined; // { }
  return { kind, seq, slab: buf, at, len: end - at };
}
