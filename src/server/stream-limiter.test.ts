import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpError } from './http-error.js';
import { StreamLimiter } from './stream-limiter.js';

const limits = { maxStreams: 4, maxStreamsPerKey: 2, maxStreamsPerConnection: 1, retryAfterSeconds: 3 };

function refusedFor(cap: RegExp) {
  return (err: unknown) =>
    err instanceof HttpError && err.status === 429 && err.retryAfterSeconds === 3 && cap.test(err.message);
}

test('caps streams per key, per connection and server-wide; a release frees the place once', () => {
  const limiter = new StreamLimiter(limits);
  const [c1, c2, c3, c4, c5] = [{}, {}, {}, {}, {}];
  const a1 = limiter.acquire('a', c1);
  assert.throws(() => limiter.acquire('b', c1), refusedFor(/per-connection cap/));
  const a2 = limiter.acquire('a', c2);
  assert.throws(() => limiter.acquire('a', c3), refusedFor(/per-key cap/));
  limiter.acquire('b', c3);
  limiter.acquire('c', c4);
  assert.throws(() => limiter.acquire('d', c5), refusedFor(/on this server/));
  assert.deepEqual(limiter.stats(), { active: 4, refused: 3, idle_aborted: 0 });

  a1.release();
  a1.release(); // idempotent: the place is not given back twice
  assert.equal(limiter.stats().active, 3);
  limiter.acquire('a', c1); // the key and the connection have room again
  assert.throws(() => limiter.acquire('a', c5), refusedFor(/per-key cap/));
  a2.release();
  limiter.acquire('a', undefined); // an unknown connection counts against the key and the server only
  assert.equal(limiter.stats().active, 4);
});

test('idle aborts are counted', () => {
  const limiter = new StreamLimiter(limits);
  limiter.countIdleAbort();
  assert.equal(limiter.stats().idle_aborted, 1);
});
