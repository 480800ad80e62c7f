import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BodyPool } from './body-pool.js';

test('BodyPool: a released buffer is handed out again, never two at once, at most `keep` kept', () => {
  const pool = new BodyPool(2);
  const a = pool.acquire(1000);
  const b = pool.acquire(1000);
  assert.notEqual(a, b);
  assert.ok(a.length >= 1000 && b.length >= 1000);
  pool.release(a);
  pool.release(b);
  pool.release(Buffer.alloc(2000)); // a third is not kept
  const got = new Set([pool.acquire(10), pool.acquire(10)]);
  assert.deepEqual(got, new Set([a, b]));
  assert.ok(!got.has(pool.acquire(10)), 'the pool is empty: a fresh buffer');
});

test('BodyPool: a body larger than every kept buffer gets a fresh one; huge buffers are not kept', () => {
  const pool = new BodyPool(4);
  const small = pool.acquire(10);
  pool.release(small);
  const big = pool.acquire(small.length + 1);
  assert.notEqual(big, small);
  assert.ok(big.length > small.length);
  const huge = pool.acquire(64 * 1024 * 1024);
  pool.release(huge);
  assert.notEqual(pool.acquire(64 * 1024 * 1024), huge);
  assert.equal(pool.acquire(10), small);
});

test('BodyPool: when full, a larger released buffer replaces the smallest kept one', () => {
  const pool = new BodyPool(1);
  const small = pool.acquire(100_000);
  const large = pool.acquire(300_000);
  pool.release(small);
  pool.release(large);
  assert.equal(pool.acquire(200_000), large);
  assert.notEqual(pool.acquire(50_000), small, 'the small one was let go');
});
