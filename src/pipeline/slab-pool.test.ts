import assert from 'node:assert/strict';
import { test } from 'node:test';

import { SlabPool } from './slab-pool.js';

test('SlabPool: gives back what was given, never an escaped slab, a buffer it did not make, or more than its bound', () => {
  const pool = new SlabPool(1024, 2, 60_000);
  const a = pool.take();
  const b = pool.take();
  const c = pool.take();
  assert.equal(a.length, 1024);
  assert.equal(pool.size, 0);
  pool.escape(b);
  pool.give(b);
  pool.give(Buffer.alloc(1024));
  assert.equal(pool.size, 0, 'an escaped slab and a buffer it did not make are left to the GC');
  pool.give(a);
  pool.give(c);
  pool.give(Buffer.alloc(1024));
  assert.equal(pool.size, 2, 'at most maxSlabs kept');
  const again = [pool.take(), pool.take()];
  assert.ok(again.includes(a) && again.includes(c));
  assert.notEqual(pool.take(), b);
});

test('SlabPool: lets go of its slabs once none was taken for decayMs', async () => {
  const pool = new SlabPool(1024, 8, 50);
  const slabs = [pool.take(), pool.take(), pool.take()];
  for (const s of slabs) pool.give(s);
  assert.equal(pool.size, 3);
  const deadline = Date.now() + 5_000;
  while (pool.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(pool.size, 0, 'kept slabs let go of after the decay');
  assert.notEqual(pool.take(), slabs[0], 'a new slab once the kept ones are gone');
});
