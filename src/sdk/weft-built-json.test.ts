import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32 } from '../shared/mulberry32.js';
import { markWeftBuilt, toJsonText } from './json-text.js';
import { randomLimits, type Random } from './serialize-hostile.test-suite.js';
import { SERIALIZE_DEFAULTS, toJsonSafe } from './serialize.js';
import { usageJsonText } from './usage-json-text.js';

/**
 * Values weft builds itself (a stream's accumulated output, a call's usage summary) skip the guards of
 * a user's value, never the limits: their text must be what the full serializer gives, at and past
 * every limit.
 */
const CASES = 3_000;

/** Plain data as JSON.parse makes it, with the odd values it can make too (Infinity from 1e400, `__proto__` keys). */
function plainValue(random: Random, depth: number): unknown {
  const r = random();
  if (depth > 5 || r < 0.35) {
    const leaves = [
      () => 'x'.repeat(Math.floor(random() * 60)),
      () => Math.floor(random() * 1000) - 500,
      () => random() * 1e6,
      () => (random() < 0.5 ? Infinity : -Infinity),
      () => random() < 0.5,
      () => null,
      () => '€ü\n"'.repeat(Math.floor(random() * 12)),
    ];
    return leaves[Math.floor(random() * leaves.length)]!();
  }
  if (r < 0.6) return Array.from({ length: Math.floor(random() * 9) }, () => plainValue(random, depth + 1));
  const o: Record<string, unknown> = JSON.parse('{}') as Record<string, unknown>;
  const n = Math.floor(random() * 9);
  for (let i = 0; i < n; i++) {
    const key = random() < 0.05 ? '__proto__' : random() < 0.1 ? 'k'.repeat(50) : `k${i}`;
    Object.defineProperty(o, key, {
      value: plainValue(random, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return o;
}

test(`a weft-built value's text is the full serializer's, for ${CASES} plain values and limits`, () => {
  for (let i = 0; i < CASES; i++) {
    const random = mulberry32(0x7b1d + i);
    const value = plainValue(random, 0);
    const limits = random() < 0.7 ? randomLimits(random) : SERIALIZE_DEFAULTS;
    const expected = JSON.stringify(toJsonSafe(value, limits)) ?? 'null';
    if (typeof value === 'object' && value !== null) markWeftBuilt(value);
    assert.equal(toJsonText(value, limits), expected, `value #${i}: ${JSON.stringify(value)}`);
  }
});

test(`a usage summary's text is the full serializer's, for ${CASES} summaries and limits`, () => {
  for (let i = 0; i < CASES; i++) {
    const random = mulberry32(0x05a9e + i);
    const usage: Record<string, Record<string, number>> = {};
    const models = Math.floor(random() * 8);
    for (let m = 0; m < models; m++) {
      const counters: Record<string, number> = {};
      const keys = Math.floor(random() * 8);
      for (let k = 0; k < keys; k++) {
        const v = random() < 0.05 ? Infinity : Math.floor(random() * 1e5);
        counters[random() < 0.1 ? 'tokens_'.repeat(8) : `c${k}`] = v;
      }
      usage[random() < 0.1 ? `model-${'x'.repeat(40)}` : `model-${m}`] = counters;
    }
    const limits = random() < 0.7 ? randomLimits(random) : SERIALIZE_DEFAULTS;
    assert.equal(
      usageJsonText(usage, limits),
      toJsonText(usage, limits),
      `usage #${i}: ${JSON.stringify(usage)}`,
    );
  }
});

test('a weft-built value still goes through the full serializer when Object.prototype has a toJSON', () => {
  const value = markWeftBuilt({ a: 1, b: [1, 2] });
  const proto = Object.prototype as { toJSON?: () => string };
  proto.toJSON = () => 'polluted';
  try {
    assert.equal(toJsonText(value), JSON.stringify(toJsonSafe(value)));
    assert.equal(usageJsonText({ m: { t: 1 } }, SERIALIZE_DEFAULTS), toJsonText({ m: { t: 1 } }));
  } finally {
    delete proto.toJSON;
  }
});
