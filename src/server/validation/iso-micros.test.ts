import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isoToMicros, microsToIso } from '../../shared/time.js';
import { parseIsoMicros } from './iso-micros.js';

test('gives what isoToMicros gives, for canonical times on the same day or not, and for any other input', () => {
  const base = Date.UTC(2026, 10, 28, 7, 10, 5) * 1000;
  const inputs = [
    microsToIso(base),
    microsToIso(base + 123_456), // same second: the fast path
    microsToIso(base + 999_999),
    microsToIso(base + 1_000_000), // next second
    microsToIso(base + 3_600_000_000), // next hour
    microsToIso(base + 86_400_000_000), // next day
    '2026-11-28T23:59:59.999999Z',
    '2026-11-28T24:00:00.000000Z', // clock out of range: the slow path decides
    '2026-11-28T07:60:05.000000Z',
    '2026-11-28T07:10:60.000000Z',
    '2026-11-28T0a:10:05.000000Z',
    microsToIso(base + 123_456).replace('.123456Z', '.12345xZ'), // same second, a bad digit
    microsToIso(base + 123_456).replace('.123456Z', '.1234567'), // 27 characters, no Z
    microsToIso(base).replace('Z', '+00:00'),
    '2026-11-28T07:10:05Z',
    '2026-11-28T07:10:05.1Z',
    '2026-11-28T07:10:05.1234567Z',
    '2026-11-28 07:10:05.123456Z',
    '2026-02-30T07:10:05.123456Z',
    '2026-11-28T07:10:05.123456Z', // after an invalid one
    microsToIso(-1),
    microsToIso(-1_000_001),
    'not a time at all, 27 chars',
    '',
  ];
  for (const iso of [...inputs, ...[...inputs].reverse()]) {
    assert.equal(parseIsoMicros(iso), isoToMicros(iso), iso);
  }
});
