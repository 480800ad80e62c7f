import assert from 'node:assert/strict';
import { test } from 'node:test';
import { uuidv7 } from './uuid-v7.js';

test('uuidv7: RFC 9562 layout, unique, increasing, with the current time', () => {
  const ids = Array.from({ length: 20_000 }, () => uuidv7());
  for (const id of ids)
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(new Set(ids).size, ids.length);
  for (let i = 1; i < ids.length; i++) assert.ok(ids[i]! > ids[i - 1]!, `${ids[i]} after ${ids[i - 1]}`);
  const ms = parseInt(ids[0]!.slice(0, 8) + ids[0]!.slice(9, 13), 16);
  assert.ok(Math.abs(ms - Date.now()) < 5000);
});
