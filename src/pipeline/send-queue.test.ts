import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32 } from '../shared/mulberry32.js';
import { recordText } from './record-bytes.js';
import { SendQueue, type ItemKind } from './send-queue.js';

const KINDS: ItemKind[] = ['complete', 'start', 'end'];

test('SendQueue: FIFO order, kinds, seqs, times and bytes kept across ring wrap-around, growth and shrinking', () => {
  const random = mulberry32(0x5e0);
  const queue = new SendQueue(1_000_000, 1024 ** 3);
  const expected: { kind: ItemKind; json: string; seq: number; queuedAt: number }[] = [];
  let n = 0;
  // Waves that fill the queue past several doublings, then drain it, wrapping the ring.
  for (const wave of [700, 3000, 200, 9000, 50, 5000]) {
    for (let i = 0; i < wave; i++) {
      const kind = KINDS[Math.floor(random() * 3)]!;
      const json = JSON.stringify({ n: n++, text: 'é…😀'.repeat(Math.floor(random() * 40)) });
      assert.ok(queue.push(kind, json, 1000 + n));
      expected.push({ kind, json, seq: queue.lastSeq, queuedAt: 1000 + n });
      if (random() < 0.01) queue.takeSeq(); // seqs of spilled items leave gaps
    }
    // Most waves leave a few items; one empties the queue (the ring shrinks back).
    const keep = wave === 50 ? 0 : Math.floor(expected.length * random() * 0.2);
    while (expected.length > keep) {
      const want = expected.shift()!;
      assert.equal(queue.peek()?.seq, want.seq);
      const got = queue.shift()!;
      assert.deepEqual({ kind: got.kind, json: recordText(got), seq: got.seq, queuedAt: got.queuedAt }, want);
    }
    assert.equal(queue.length, expected.length);
    assert.equal(
      queue.bytes,
      expected.reduce((b, e) => b + Buffer.byteLength(e.json), 0),
    );
  }
});

test('SendQueue: refuses what passes the item or byte bound (UTF-8 bytes), and takes more once drained', () => {
  const byItems = new SendQueue(2, 1024);
  assert.ok(byItems.push('complete', '{"a":1}'));
  assert.ok(byItems.push('complete', '{"a":2}'));
  assert.equal(byItems.push('complete', '{"a":3}'), false);
  byItems.shift();
  assert.ok(byItems.push('complete', '{"a":3}'));

  const json = `{"t":"${'é'.repeat(20)}"}`; // 28 characters, 48 bytes
  const byBytes = new SendQueue(100, 90);
  assert.ok(byBytes.push('start', json));
  assert.equal(
    byBytes.push('start', json),
    false,
    '96 bytes pass 90 (its 56 characters would not): written, then taken back',
  );
  assert.equal(byBytes.bytes, 48);
  assert.ok(byBytes.push('end', `{"x":"${'1'.repeat(34)}"}`));
  assert.equal(byBytes.bytes, 90);
  assert.equal(recordText(byBytes.shift()!), json);
});

test('SendQueue: records waiting to be written in a run keep the byte bound, and every read writes them', () => {
  // 1 000 bytes: a record of n characters waits only while 3 x (its and the waiting ones' characters) fits.
  const queue = new SendQueue(100, 1000);
  const ascii = (i: number) => `{"i":${i},"p":"${'a'.repeat(80)}"}`; // 94 characters
  for (let i = 0; i < 3; i++) assert.ok(queue.push('complete', ascii(i)));
  assert.equal(queue.bytesAtLeast, 3 * 94);
  assert.equal(queue.peek()?.kind, 'complete');
  assert.equal(queue.peek()?.len, 94);
  // Near the bound, multi-byte records are written at once and measured: 2 bytes per 'é'.
  const wide = `{"t":"${'é'.repeat(100)}"}`; // 108 characters, 208 bytes
  assert.ok(queue.push('start', wide));
  assert.ok(queue.push('end', wide));
  assert.ok(queue.push('end', wide));
  assert.equal(queue.bytes, 3 * 94 + 3 * 208);
  assert.equal(queue.push('end', wide), false, '906 + 208 bytes would pass 1 000');
  assert.ok(queue.push('complete', ascii(9)), 'exactly 1 000');
  assert.equal(queue.bytes, 1000);
  const got = [];
  for (let item = queue.shift(); item; item = queue.shift()) got.push([item.kind, recordText(item)]);
  assert.deepEqual(got, [
    ['complete', ascii(0)],
    ['complete', ascii(1)],
    ['complete', ascii(2)],
    ['start', wide],
    ['end', wide],
    ['end', wide],
    ['complete', ascii(9)],
  ]);
  assert.equal(queue.bytes, 0);
  assert.equal(queue.peek(), undefined);
});

test('SendQueue.takeBatch: a run of complete records up to the item and byte bounds, or one start or end; in order across the ring', () => {
  const random = mulberry32(0xba7);
  const queue = new SendQueue(1_000_000, 1024 ** 3);
  const expected: { kind: ItemKind; json: string; seq: number }[] = [];
  let n = 0;
  const push = (count: number): void => {
    for (let i = 0; i < count; i++) {
      const kind = random() < 0.8 ? 'complete' : KINDS[1 + Math.floor(random() * 2)]!;
      const json = JSON.stringify({ n: n++, text: 'é😀x'.repeat(Math.floor(random() * 30)) });
      assert.ok(queue.push(kind, json));
      expected.push({ kind, json, seq: queue.lastSeq });
    }
  };
  const take = (maxItems: number, maxBytes: number): void => {
    const bytesBefore = queue.bytes;
    const batch = queue.takeBatch(maxItems, maxBytes)!;
    const items = batch.items();
    const batchBytes = items.reduce((n, item) => n + item.len, 0);
    assert.equal(items.length, batch.length);
    assert.ok(batch.length >= 1 && batch.length <= Math.max(1, maxItems));
    if (batch.kind !== 'complete') assert.equal(batch.length, 1);
    if (batch.length > 1) assert.ok(batchBytes <= maxBytes, 'a batch of several stays within the bytes');
    for (const item of items) {
      const want = expected.shift()!;
      assert.equal(item.kind, want.kind);
      assert.equal(item.seq, want.seq);
      assert.equal(recordText(item), want.json);
    }
    assert.equal(batch.firstSeq, items[0]!.seq);
    assert.equal(queue.bytes, bytesBefore - batchBytes);
    // The batch stopped at a bound or before an item of another kind.
    const next = expected[0];
    if (batch.kind === 'complete' && next?.kind === 'complete' && batch.length < maxItems)
      assert.ok(batchBytes + Buffer.byteLength(next.json) > maxBytes, 'stopped at the byte bound');
  };
  for (const wave of [900, 4000, 300, 2500]) {
    push(wave);
    while (queue.length > wave / 3) take(1 + Math.floor(random() * 40), 200 + Math.floor(random() * 4000));
  }
  while (queue.length > 0) take(50, 10_000);
  assert.equal(queue.takeBatch(10, 10), undefined);
  assert.equal(expected.length, 0);
});

test('SendQueue: lets go of each slab once no unsettled item is in it, records of their own buffer too, whatever way items leave', () => {
  const queue = new SendQueue(1_000_000, 1024 ** 3);
  const record = (n: number, size: number): string => JSON.stringify({ n, text: 'x'.repeat(size) });
  const pushed: string[] = [];
  // ~400 B records fill many 256 KiB slabs; every 97th is past a slab's own-buffer size.
  for (let n = 0; n < 5000; n++) {
    const json = record(n, n % 97 === 0 ? 40_000 : 400);
    assert.ok(queue.push('complete', json));
    pushed.push(json);
  }
  const slabsFull = queue.slabsHeld;
  assert.ok(slabsFull >= 8 + 50, `slabs and own buffers held: ${slabsFull}`);
  const got: string[] = [];
  while (queue.length > 2500) {
    const batch = queue.takeBatch(37, 1024 ** 2)!;
    got.push(...batch.items().map(recordText));
    queue.settle(batch);
  }
  const slabsHalf = queue.slabsHeld;
  assert.ok(slabsHalf < slabsFull && slabsHalf > 0, `half drained: ${slabsHalf} of ${slabsFull}`);
  while (queue.length > 0) got.push(recordText(queue.shift()!));
  assert.equal(queue.slabsHeld, 0);
  assert.deepEqual(got, pushed, 'every record read back whole, in order, after its slab left the table');
  // The slab being written goes on being used: a record after the drain lands in it and reads back.
  assert.ok(queue.push('complete', record(-1, 10)));
  assert.equal(queue.slabsHeld, 1);
  assert.equal(recordText(queue.shift()!), record(-1, 10));
  assert.equal(queue.slabsHeld, 0);
});

test('SendQueue: a slab whose records were all sent from columns is written again; one handed out as objects never is', () => {
  const queue = new SendQueue(1_000_000, 1024 ** 3);
  const record = (n: number): string => JSON.stringify({ n, text: 'y'.repeat(400 + (n % 7)) });
  let n = 0;
  const fill = (count: number): void => {
    for (const end = n + count; n < end; n++) assert.ok(queue.push('complete', record(n)));
  };
  /** Takes every queued record in batches, checks each reads back, settles them. */
  const drain = (asObjects: boolean): void => {
    while (queue.length > 0) {
      const batch = queue.takeBatch(100, 1024 ** 2)!;
      const bodies = asObjects
        ? batch.items().map(recordText)
        : Array.from(batch.lens, (len, k) =>
            batch.slabs[k]!.toString('utf8', batch.ats[k], batch.ats[k]! + len),
          );
      for (const text of bodies) assert.equal(JSON.parse(text).text.length, 400 + (JSON.parse(text).n % 7));
      queue.settle(batch);
    }
  };
  fill(3000); // ~1.2 MB: five slabs and the one being written
  drain(false);
  assert.equal(queue.slabsHeld, 0);
  const pooled = queue.slabsPooled;
  assert.ok(pooled >= 4, `slabs kept for reuse: ${pooled}`);
  fill(1500); // written into kept slabs, over the old records' bytes
  assert.ok(queue.slabsPooled < pooled, `kept slabs taken again: ${queue.slabsPooled} of ${pooled}`);
  const first = n - 1500;
  const batch = queue.takeBatch(1500, 1024 ** 2)!;
  assert.deepEqual(
    batch.items().map(recordText),
    Array.from({ length: 1500 }, (_, k) => record(first + k)),
    'records written into a reused slab read back whole',
  );
  const before = queue.slabsPooled;
  queue.settle(batch); // handed out as objects: those slabs are never written again
  assert.equal(queue.slabsPooled, before);
  fill(3000);
  const left = queue.slabsPooled;
  drain(true);
  assert.equal(queue.slabsPooled, left, 'no slab whose records were handed out came back');
});
