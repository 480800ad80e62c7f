import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32 } from '../shared/mulberry32.js';
import { numberJson } from './number-json.js';

test('numberJson is JSON.stringify for every finite number: all of 0..1 000 000, edges and random ones', () => {
  for (let n = 0; n <= 1_000_000; n++) {
    if (numberJson(n) !== JSON.stringify(n)) assert.equal(numberJson(n), JSON.stringify(n));
  }
  const edges = [
    -0,
    -1,
    -999,
    0.5,
    999.5,
    1e-7,
    1e6 - 0.5,
    999_999_999,
    1e9,
    1e9 + 1,
    2 ** 31,
    2 ** 32 + 7,
    Number.MAX_SAFE_INTEGER,
    1e21,
    1.5e300,
    Number.MIN_VALUE,
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
  ];
  for (const n of edges) assert.equal(numberJson(n), JSON.stringify(n), String(n));
  const random = mulberry32(0x7e57);
  for (let i = 0; i < 200_000; i++) {
    const whole = Math.floor(random() * 2e9) - 5e8;
    const n = i % 4 === 0 ? whole + random() : whole;
    if (numberJson(n) !== JSON.stringify(n)) assert.equal(numberJson(n), JSON.stringify(n), String(n));
  }
});
