import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay, isRetryableStatus, parseRetryAfter } from './retry-policy.js';

test('transient statuses are retried, others are not', () => {
  for (const s of [0, 408, 425, 429, 500, 502, 503, 504]) assert.equal(isRetryableStatus(s), true, String(s));
  for (const s of [400, 401, 403, 404, 413, 422]) assert.equal(isRetryableStatus(s), false, String(s));
});

test('Retry-After in seconds and as an HTTP date', () => {
  assert.equal(parseRetryAfter('3'), 3000);
  assert.equal(parseRetryAfter('0.5'), 500);
  const now = Date.parse('2026-11-28T10:00:00Z');
  assert.equal(parseRetryAfter('Sat, 28 Nov 2026 10:00:07 GMT', now), 7000);
  assert.equal(parseRetryAfter('Sat, 28 Nov 2026 09:00:00 GMT', now), 0);
  assert.equal(parseRetryAfter('soon'), undefined);
  assert.equal(parseRetryAfter(null), undefined);
});

test('backoff: full jitter under an exponential ceiling, Retry-After capped', () => {
  assert.equal(
    backoffDelay(0, 100, 10_000, undefined, () => 0.999),
    99,
  );
  assert.equal(
    backoffDelay(3, 100, 10_000, undefined, () => 0.5),
    400,
  );
  assert.equal(
    backoffDelay(40, 100, 10_000, undefined, () => 0.999),
    9990,
  );
  assert.equal(
    backoffDelay(0, 100, 10_000, undefined, () => 0),
    0,
  );
  assert.equal(backoffDelay(0, 100, 10_000, 2500), 2500);
  assert.equal(backoffDelay(0, 100, 10_000, 60_000), 10_000);
});
