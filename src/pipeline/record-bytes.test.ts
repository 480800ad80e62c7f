import assert from 'node:assert/strict';
import { test } from 'node:test';
import { followsInSlab, recordText, SlabWriter, type RecordBytes } from './record-bytes.js';

/** `next` comes right after `r` in the same slab, a comma between them. */
function follows(r: RecordBytes, next: RecordBytes): boolean {
  return followsInSlab(r.slab, r.at + r.len, next.slab, next.at);
}

function placedBy(writer: SlabWriter, records: string[]): RecordBytes[] {
  const out: RecordBytes[] = [];
  writer.writeRun(records, (r) => out.push({ ...r }));
  return out;
}

test('SlabWriter.writeRun: ASCII runs go in as one string, each record followed by a comma', () => {
  const writer = new SlabWriter();
  const texts = Array.from({ length: 16 }, (_, i) => JSON.stringify({ i, pad: 'x'.repeat(i * 30) }));
  const first = placedBy(writer, texts.slice(0, 1)); // opens the first slab
  const run = placedBy(writer, texts.slice(1));
  const all = [...first, ...run];
  assert.deepEqual(all.map(recordText), texts);
  for (let i = 1; i < all.length; i++) assert.ok(follows(all[i - 1]!, all[i]!), `record ${i}`);
  const last = all.at(-1)!;
  assert.equal(last.slab[last.at + last.len], 0x2c);
});

test('SlabWriter.writeRun: a run with characters of more than one byte is written record by record', () => {
  const writer = new SlabWriter();
  placedBy(writer, ['{}']);
  const texts = ['{"a":1}', '{"b":"é"}', '{"c":"😀…"}', '{"d":2}'];
  const placed = placedBy(writer, texts);
  assert.deepEqual(placed.map(recordText), texts);
  assert.deepEqual(
    placed.map((r) => r.len),
    texts.map((t) => Buffer.byteLength(t)),
  );
  for (let i = 1; i < placed.length; i++) assert.ok(follows(placed[i - 1]!, placed[i]!));
});

test("SlabWriter: records past a slab's room go to the next slab, big ones to a buffer of their own", () => {
  const writer = new SlabWriter();
  const texts = Array.from({ length: 2000 }, (_, i) =>
    JSON.stringify({ i, pad: 'y'.repeat(400 + (i % 50)) }),
  );
  const placed: RecordBytes[] = [];
  for (let i = 0; i < texts.length; i += 16) placed.push(...placedBy(writer, texts.slice(i, i + 16)));
  assert.deepEqual(placed.map(recordText), texts);
  const slabs = new Set(placed.map((r) => r.slab));
  assert.ok(slabs.size >= 3, `${slabs.size} slabs`);
  // A record whose worst case is past a slab's size gets a buffer of its own.
  const big = 'z'.repeat(100_000);
  const [own] = placedBy(writer, [`"${big}"`]);
  assert.equal(own!.at, 0);
  assert.equal(recordText(own!), `"${big}"`);
});

test('SlabWriter.undo takes back the last record and its comma', () => {
  const writer = new SlabWriter();
  const a: RecordBytes = { slab: Buffer.alloc(0), at: 0, len: 0 };
  const b: RecordBytes = { slab: Buffer.alloc(0), at: 0, len: 0 };
  writer.write('{"a":1}', a);
  writer.write('{"b":2}', b);
  writer.undo(b);
  const c: RecordBytes = { slab: Buffer.alloc(0), at: 0, len: 0 };
  writer.write('{"c":3}', c);
  assert.equal(c.at, b.at);
  assert.ok(follows(a, c));
  assert.equal(recordText(c), '{"c":3}');
});

test("SlabWriter.writeRun: a run that passes a slab's room is split there, not written record by record", () => {
  const writer = new SlabWriter();
  const texts = Array.from({ length: 4000 }, (_, i) =>
    JSON.stringify({ i, pad: 'q'.repeat(300 + (i % 40)) }),
  );
  const proto = Buffer.prototype as unknown as { utf8Write: (...args: unknown[]) => number };
  const utf8Write = proto.utf8Write;
  let writes = 0;
  proto.utf8Write = function (this: Buffer, ...args: unknown[]): number {
    writes++;
    return utf8Write.apply(this, args);
  };
  const placed: RecordBytes[] = [];
  try {
    for (let i = 0; i < texts.length; i += 16) placed.push(...placedBy(writer, texts.slice(i, i + 16)));
  } finally {
    proto.utf8Write = utf8Write;
  }
  assert.deepEqual(placed.map(recordText), texts);
  const slabs = new Set(placed.map((r) => r.slab)).size;
  assert.ok(slabs >= 4, `${slabs} slabs`);
  // One write per run, and at a slab's end a few more (parts of a run, each in the room the last
  // left), where one per record would be 16 or more (490 writes here).
  const runs = texts.length / 16;
  assert.ok(writes <= runs + 10 * slabs, `${writes} writes for ${runs} runs over ${slabs} slabs`);
  for (let i = 1; i < placed.length; i++) {
    if (placed[i]!.slab === placed[i - 1]!.slab)
      assert.ok(follows(placed[i - 1]!, placed[i]!), `record ${i}`);
  }
});
