import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32 } from '../shared/mulberry32.js';
import { ArrayReads } from './array-reads.js';
import { inputsJsonText, toJsonText } from './json-text.js';
import { hostileValue, randomLimits, type Random } from './serialize-hostile.test-suite.js';
import { SERIALIZE_DEFAULTS, toJsonSafe, type SerializeLimits } from './serialize.js';

/**
 * The fast serializer (json-text.ts) against the slow one (toJsonSafe + JSON.stringify), on the
 * hostile values of the serializer fuzz. Each serializer gets its own copy of a value, generated
 * again from the same seed: a getter or trap runs on the copy being serialized, never on the other.
 */
const CASES = 3_000;

function limitsOf(random: Random): SerializeLimits {
  return random() < 0.3 ? randomLimits(random) : SERIALIZE_DEFAULTS;
}

/** The slow serializer, as toJsonText documents its result. */
function slowText(value: unknown, limits: SerializeLimits): string {
  return JSON.stringify(toJsonSafe(value, limits)) ?? 'null';
}

test(`toJsonText agrees with toJsonSafe + JSON.stringify, for ${CASES} hostile values`, () => {
  for (let i = 0; i < CASES; i++) {
    const make = (): { value: unknown; limits: SerializeLimits } => {
      const random = mulberry32(0x0fa5 + i);
      return { value: hostileValue(random), limits: limitsOf(random) };
    };
    // From one call site, so that the stacks of errors in the values are the same too.
    const [fast, slow] = Array.from({ length: 2 }, make) as [
      ReturnType<typeof make>,
      ReturnType<typeof make>,
    ];
    assert.equal(toJsonText(fast.value, fast.limits), slowText(slow.value, slow.limits), `value #${i}`);
  }
});

test(`inputs written from the arguments agree with the slow serializer, for ${CASES} hostile argument lists`, () => {
  const KEYS = ['a', 'b', 'c'];
  const keyJson = KEYS.map((k) => `${JSON.stringify(k)}:`);
  let straight = 0;
  for (let i = 0; i < CASES; i++) {
    const make = (): { args: unknown[]; limits: SerializeLimits } => {
      const random = mulberry32(0x1a90 + i);
      const n = Math.floor(random() * (KEYS.length + 1));
      const args = Array.from({ length: n }, () => (random() < 0.3 ? random() : hostileValue(random)));
      return { args, limits: limitsOf(random) };
    };
    // From one call site, so that the stacks of errors in the values are the same too.
    const [fast, slow] = Array.from({ length: 2 }, make) as [
      ReturnType<typeof make>,
      ReturnType<typeof make>,
    ];
    // As CallRecorder does: straight from the arguments, else the inputs object with the same reads.
    const reads = new ArrayReads();
    const direct = inputsJsonText(keyJson, fast.args, fast.limits, reads);
    if (direct !== undefined) straight++;
    const text = direct ?? toJsonText(keyed(KEYS, fast.args), fast.limits, reads);
    assert.equal(text, slowText(keyed(KEYS, slow.args), slow.limits), `argument list #${i}`);
  }
  assert.ok(straight > CASES / 10, `only ${straight} argument lists took the fast path`);
});

function keyed(keys: string[], args: unknown[]): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  args.forEach((v, i) => (inputs[keys[i]!] = v));
  return inputs;
}
