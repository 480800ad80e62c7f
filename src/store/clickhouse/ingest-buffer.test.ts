import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidOptionError, StoreError } from '../../shared/errors.js';
import { IngestBuffer } from './ingest-buffer.js';

/** An insert function that records blocks and can be held open or made to fail. */
function recorder() {
  const blocks: number[][] = [];
  let fail = false;
  let gate: Promise<void> = Promise.resolve();
  let open: () => void = () => {};
  return {
    blocks,
    insert: async (rows: number[]) => {
      await gate;
      if (fail) throw new StoreError('insert failed', 'STORE_WRITE_FAILED');
      blocks.push([...rows]);
    },
    failNext: () => (fail = true),
    hold: () => {
      gate = new Promise<void>((resolve) => (open = resolve));
    },
    release: () => open(),
  };
}

describe('IngestBuffer', () => {
  test('concurrent adds share one insert; each resolves after it', async () => {
    const r = recorder();
    const buffer = new IngestBuffer<number>(r.insert, { maxDelayMs: 20 });
    await Promise.all([buffer.add([1, 2], 10), buffer.add([3], 10), buffer.add([4, 5, 6], 10)]);
    assert.deepEqual(r.blocks, [[1, 2, 3, 4, 5, 6]]);
    assert.deepEqual(buffer.stats, { inserts: 1, rows: 6, failedInserts: 0 });
  });

  test('a block is sealed when full; the rows of one add are never split', async () => {
    const r = recorder();
    const buffer = new IngestBuffer<number>(r.insert, { maxRows: 4, maxDelayMs: 60_000 });
    const adds = Promise.all([
      buffer.add([1, 2, 3], 1),
      buffer.add([4, 5, 6, 7, 8, 9], 1),
      buffer.add([10], 1),
    ]);
    await buffer.flush(); // the last, partial block would otherwise wait for its delay
    await adds;
    assert.deepEqual(r.blocks, [[1, 2, 3], [4, 5, 6, 7, 8, 9], [10]]);
  });

  test('a failed insert rejects every add of its block, and later blocks go on', async () => {
    const r = recorder();
    const buffer = new IngestBuffer<number>(r.insert, { maxDelayMs: 1 });
    r.failNext();
    const results = await Promise.allSettled([buffer.add([1], 1), buffer.add([2], 1)]);
    assert.deepEqual(
      results.map((x) => x.status),
      ['rejected', 'rejected'],
    );
    assert.equal(buffer.stats.failedInserts, 1);
  });

  test('at most maxConcurrentInserts run at once; close flushes and then refuses', async () => {
    const r = recorder();
    r.hold();
    const buffer = new IngestBuffer<number>(r.insert, { maxRows: 1, maxConcurrentInserts: 1, maxDelayMs: 0 });
    const first = buffer.add([1], 1);
    const second = buffer.add([2], 1);
    assert.deepEqual(r.blocks, []);
    r.release();
    await Promise.all([first, second]);
    assert.deepEqual(r.blocks, [[1], [2]]);
    await buffer.close();
    await assert.rejects(
      buffer.add([3], 1),
      (err) => err instanceof StoreError && err.code === 'STORE_CLOSED',
    );
  });

  test('options are validated', () => {
    assert.throws(() => new IngestBuffer<number>(async () => {}, { maxRows: 0 }), InvalidOptionError);
    assert.throws(() => new IngestBuffer<number>(async () => {}, { maxDelayMs: -1 }), InvalidOptionError);
  });
});
