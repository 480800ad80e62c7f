import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32 } from '../shared/mulberry32.js';
import { toJsonText } from './json-text.js';
import { randomLimits } from './serialize-hostile.test-suite.js';
import { SERIALIZE_DEFAULTS } from './serialize.js';
import { usageJsonText } from './usage-json-text.js';

/**
 * The usage summary is weft's own object and skips the user-value guards, never the limits: its text
 * must be what the full path gives, at and past every limit.
 */
const CASES = 3_000;

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

test('a usage summary goes through the full serializer when Object.prototype has a toJSON', () => {
  const proto = Object.prototype as { toJSON?: () => string };
  proto.toJSON = () => 'polluted';
  try {
    assert.equal(usageJsonText({ m: { t: 1 } }, SERIALIZE_DEFAULTS), toJsonText({ m: { t: 1 } }));
  } finally {
    delete proto.toJSON;
  }
});
