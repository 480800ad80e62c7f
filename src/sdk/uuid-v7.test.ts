import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serialize } from 'node:v8';
import { uuidv7 } from './uuid-v7.js';

test('uuidv7: RFC 9562 layout, unique, increasing, with the current time', () => {
  const ids = Array.from({ length: 20_000 }, () => uuidv7());
  for (const id of ids)
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(new Set(ids).size, ids.length);
  for (let i = 1; i < ids.length; i++) assert.ok(ids[i]! > ids[i - 1]!, `${ids[i]} after ${ids[i - 1]}`);
  const ms = parseInt(ids[0]!.slice(0, 8) + ids[0]!.slice(9, 13), 16);
  assert.ok(Math.abs(ms - Date.now()) < 5000);
  // One byte per character, as V8's serializer tags it (`"`; `c` is two-byte): a record holds each id.
  for (const id of ids.slice(0, 100)) assert.equal(serialize(id)[2], 0x22);
});

test('uuidv7: the given clock reading is the timestamp; a clock that stalls or steps back keeps ids increasing', () => {
  const msOf = (id: string): number => parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
  const t = Date.now() + 60_000; // ahead of every id made so far
  const first = uuidv7(t);
  assert.equal(msOf(first), t);
  const ids = [first];
  // 5 000 ids at one reading overflow the 12-bit sequence; then the clock steps back a second.
  for (let i = 0; i < 5000; i++) ids.push(uuidv7(t));
  for (let i = 0; i < 100; i++) ids.push(uuidv7(t - 1000));
  ids.push(uuidv7(t + 10));
  for (let i = 1; i < ids.length; i++) assert.ok(ids[i]! > ids[i - 1]!, `${ids[i]} after ${ids[i - 1]}`);
  assert.ok(msOf(ids[5000]!) > t, 'past the sequence, the timestamp moves on');
  assert.equal(msOf(ids.at(-1)!), t + 10);
  for (const id of ids)
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  // The random tails differ (62 random bits each).
  assert.equal(new Set(ids.map((id) => id.slice(19))).size, ids.length);
});
