import { copyRecord, followsInSlab, type RecordBytes } from './record-bytes.js';
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
  if (kind === 'complete') return completeBodySize(columnsOf(items));
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
  if (kind === 'complete') return writeCompleteBody(columnsOf(items), body);
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

/** Records as columns: record `i` is `lens[i]` bytes of `slabs[i]` from `ats[i]` (an ItemBatch). */
export interface RecordColumns {
  readonly slabs: readonly Buffer[];
  readonly ats: ArrayLike<number>;
  readonly lens: ArrayLike<number>;
}

/** The size of `{"batch":[r1,r2,…]}` of the records `cols`. */
export function completeBodySize(cols: RecordColumns): number {
  const n = cols.lens.length;
  let size = BATCH_OPEN.length + BATCH_CLOSE.length + Math.max(0, n - 1);
  for (let i = 0; i < n; i++) size += cols.lens[i]!;
  return size;
}

/**
 * Writes `{"batch":[r1,r2,…]}` (`completeBodySize(cols)` bytes) into `body`. Records the slab writer
 * wrote one after the other are followed there by the comma that separates them here (record-bytes.ts):
 * each such run is copied at once, commas included.
 */
export function writeCompleteBody(cols: RecordColumns, body: Buffer): void {
  const { slabs, ats, lens } = cols;
  const n = lens.length;
  let at = ascii(body, BATCH_OPEN, 0);
  for (let i = 0; i < n;) {
    if (i > 0) body[at++] = 0x2c; // ,
    const slab = slabs[i]!;
    const from = ats[i]!;
    let to = from + lens[i]!;
    for (i++; i < n && followsInSlab(slab, to, slabs[i]!, ats[i]!); i++) to = ats[i]! + lens[i]!;
    at += slab.copy(body, at, from, to);
  }
  ascii(body, BATCH_CLOSE, at);
}

function columnsOf(items: readonly BodyItem[]): RecordColumns {
  return { slabs: items.map((r) => r.slab), ats: items.map((r) => r.at), lens: items.map((r) => r.len) };
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
