import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toJsonText } from './json-text.js';
import { SERIALIZE_DEFAULTS, toJsonSafe } from './serialize.js';

const same = (v: unknown, limits = SERIALIZE_DEFAULTS): void =>
  assert.equal(toJsonText(v, limits), JSON.stringify(toJsonSafe(v, limits)) ?? 'null');

test('gives the same text as toJsonSafe + JSON.stringify, for plain and exotic values', () => {
  const cyc: Record<string, unknown> = { a: 1 };
  cyc.self = cyc;
  class Point {
    constructor(
      readonly x: number,
      readonly y: number,
    ) {}
  }
  const values: unknown[] = [
    { query: 'hello', k: 5 },
    [1, 'two', null, true, { nested: [1, 2, { deep: 'x' }] }],
    'x'.repeat(200_000),
    Array.from({ length: 2000 }, (_, i) => i),
    { n: NaN, i: Infinity, z: -0, u: undefined, list: [undefined, 1] },
    undefined,
    null,
    7n,
    Symbol('s'),
    () => 1,
    new Date(0),
    new Map([[1, 2]]),
    new Set([1]),
    new Point(1, 2),
    cyc,
    Object.create(null) as object,
    { toJSON: () => 'custom' },
    new Error('boom'),
    Buffer.from('hi'),
    {
      get bad() {
        throw new Error('getter');
      },
    },
    new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('trap');
        },
      },
    ),
  ];
  for (const v of values) same(v);
  const tight = {
    ...SERIALIZE_DEFAULTS,
    maxStringLength: 5,
    maxArrayLength: 2,
    maxObjectKeys: 1,
    maxDepth: 2,
  };
  for (const v of [{ a: 'abcdefgh' }, [1, 2, 3], { a: 1, b: 2 }, { a: { b: { c: 1 } } }]) same(v, tight);
});
