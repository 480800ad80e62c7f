import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isoToMicros, microsToIso, nowMicros } from './time.js';

test('microsToIso writes six fraction digits and round-trips through isoToMicros', () => {
  assert.equal(
    microsToIso(Date.parse('2026-11-28T07:10:05Z') * 1000 + 123_456),
    '2026-11-28T07:10:05.123456Z',
  );
  assert.equal(microsToIso(Date.parse('2026-11-28T07:10:05Z') * 1000 + 7), '2026-11-28T07:10:05.000007Z');
  assert.equal(microsToIso(Date.parse('2026-11-28T07:10:06Z') * 1000), '2026-11-28T07:10:06.000000Z');
  for (let i = 0; i < 1000; i++) {
    const us = Math.floor(Math.random() * 4e15);
    assert.equal(isoToMicros(microsToIso(us)), us);
  }
});

test('microsToIso gives what Date gives, for times before 1970 too and in any order', () => {
  const reference = (us: number): string => {
    const ms = Math.floor(us / 1000);
    return `${new Date(ms).toISOString().slice(0, 23)}${String(((us % 1000) + 1000) % 1000).padStart(3, '0')}Z`;
  };
  const samples = [0, -1, -1_500_001, 86_400_000_000 - 1, 86_400_000_000, 1_764_000_000_123_456];
  for (let i = 0; i < 5000; i++) samples.push(Math.floor((Math.random() - 0.3) * 4e15));
  for (const us of samples) assert.equal(microsToIso(us), reference(us), String(us));
});

test('isoToMicros accepts any precision and offsets, rejects garbage', () => {
  assert.equal(isoToMicros('2026-01-01T00:00:00Z'), Date.parse('2026-01-01T00:00:00Z') * 1000);
  assert.equal(isoToMicros('2026-01-01T00:00:00.5Z'), Date.parse('2026-01-01T00:00:00Z') * 1000 + 500_000);
  assert.equal(
    isoToMicros('2026-01-01T02:00:00.000001+02:00'),
    Date.parse('2026-01-01T00:00:00Z') * 1000 + 1,
  );
  assert.equal(
    isoToMicros('2026-01-01T00:00:00.123456789Z'),
    Date.parse('2026-01-01T00:00:00Z') * 1000 + 123_456,
  );
  assert.equal(isoToMicros('yesterday'), undefined);
  assert.equal(isoToMicros('2026-13-45T00:00:00Z'), undefined);
});

test('nowMicros is monotonic and close to the wall clock', () => {
  const a = nowMicros();
  const b = nowMicros();
  assert.ok(b >= a);
  assert.ok(Math.abs(a / 1000 - Date.now()) < 1000);
});
