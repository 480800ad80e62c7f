import { copyRecord, copyRecords, followsInSlab, type RecordBytes } from './record-bytes.js';
import type { ItemKind } from './send-queue.js';
import { BATCH_CLOSE, BATCH_OPEN } from '../shared/record-writer.js';

/** How a group of items is sent: one kind, or a run of starts and ends together (`/call/upsert_batch`). */
export type GroupKind = ItemKind | 'halves';

/** An item of a body: its kind and its record's bytes. */
export interface BodyItem extends RecordBytes {
  kind: ItemKind;
}

/**
 * Request bodies, written from the records' bytes into one buffer of the exact size: ASCII framing
 * around each record, records copied as they are (no string joined, flattened and encoded again).
 *
 * - complete: `{"batch":[r1,r2,…]}`
 * - halves:   `{"batch":[{"mode":"start","req":{"start":r1}},{"mode":"end","req":{"end":r2}},…]}`
 * - start / end (one item): `{"start":r}` / `{"end":r}`
 */
export function bodySize(kind: GroupKind, items: readonly BodyItem[]): number {
  const f = framing(kind);
  let size = f.open.length + f.close.length;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    size += f.before(item.kind, i).length + item.len + f.after.length;
  }
  return size;
}

/** Writes the body of `bodySize(kind, items)` bytes into `body` (its first bytes). */
export function writeBody(kind: GroupKind, items: readonly BodyItem[], body: Buffer): void {
  if (kind === 'complete') return writeCompleteBody(items, body);
  const f = framing(kind);
  let at = ascii(body, f.open, 0);
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    at = ascii(body, f.before(item.kind, i), at);
    at = copyRecord(item, body, at);
    at = ascii(body, f.after, at);
  }
  ascii(body, f.close, at);
}

/**
 * `{"batch":[r1,r2,…]}`. Records the slab writer wrote one after the other are followed there by the
 * comma that separates them here (record-bytes.ts): each such run is copied at once, commas included.
 */
function writeCompleteBody(items: readonly BodyItem[], body: Buffer): void {
  let at = ascii(body, BATCH_OPEN, 0);
  for (let i = 0; i < items.length;) {
    if (i > 0) body[at++] = 0x2c; // ,
    const first = items[i]!;
    let last = first;
    for (i++; i < items.length && followsInSlab(last, items[i]!); i++) last = items[i]!;
    at = copyRecords(first, last, body, at);
  }
  ascii(body, BATCH_CLOSE, at);
}

/** Writes ASCII `s` at `at` (one byte a character); returns the offset after it. */
function ascii(body: Buffer, s: string, at: number): number {
  if (s.length === 1)
    body[at] = s.charCodeAt(0); // a batch's separator: no call into write
  else if (s.length > 1) body.write(s, at, 'latin1');
  return at + s.length;
}

interface Framing {
  open: string;
  /** What precedes item `i` (its separator and opening). */
  before: (kind: ItemKind, i: number) => string;
  after: string;
  close: string;
}

const COMPLETE: Framing = {
  open: BATCH_OPEN,
  before: (_, i) => (i ? ',' : ''),
  after: '',
  close: BATCH_CLOSE,
};
const HALVES: Framing = {
  open: BATCH_OPEN,
  before: (k, i) => `${i ? ',' : ''}{"mode":"${k}","req":{"${k}":`,
  after: '}}',
  close: BATCH_CLOSE,
};
const START: Framing = { open: '', before: () => '{"start":', after: '}', close: '' };
const END: Framing = { open: '', before: () => '{"end":', after: '}', close: '' };

function framing(kind: GroupKind): Framing {
  return kind === 'complete' ? COMPLETE : kind === 'halves' ? HALVES : kind === 'start' ? START : END;
}
