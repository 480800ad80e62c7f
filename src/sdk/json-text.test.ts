import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inputsJsonText, toJsonText } from './json-text.js';
import { ArrayReads } from './array-reads.js';
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

test('inputsJsonText writes the inputs object straight from the arguments, or defers to the full path', () => {
  const keys = ['"query":', '"k":', '"opts":'];
  const inputsOf = (args: unknown[]): Record<string, unknown> => {
    const o: Record<string, unknown> = {};
    args.forEach((a, i) => (o[['query', 'k', 'opts'][i]!] = a));
    return o;
  };
  const tight = {
    ...SERIALIZE_DEFAULTS,
    maxStringLength: 5,
    maxArrayLength: 2,
    maxObjectKeys: 2,
    maxDepth: 2,
  };
  const cases: unknown[][] = [
    [],
    ['hello'],
    ['hello', 5, { temperature: 0.2, stop: ['\n'] }],
    [undefined, 5],
    ['x', undefined, null],
    ['abcdefgh'],
    [{ a: { b: { c: 1 } } }],
    [[1, 2, 3]],
    [new Date(0)],
    [7n],
    [NaN],
    [{ n: Infinity }],
    ['a', 'b', 'c'],
  ];
  let written = 0;
  for (const limits of [SERIALIZE_DEFAULTS, tight]) {
    for (const args of cases) {
      const fast = inputsJsonText(keys, args, limits);
      if (fast === undefined) continue;
      written++;
      assert.equal(fast, toJsonText(inputsOf(args), limits), JSON.stringify(args));
    }
    // More arguments than named parameters: `arg3` keys are the general path's business.
    assert.equal(inputsJsonText(keys, [1, 2, 3, 4], limits), undefined);
  }
  assert.ok(written >= 12, `fast path taken ${written} times`);
  assert.equal(inputsJsonText(keys, [new Date(0)], SERIALIZE_DEFAULTS), undefined);
  assert.equal(inputsJsonText(keys, ['abcdefgh'], tight), undefined);
  const getter = {
    get bad(): never {
      throw new Error('getter');
    },
  };
  assert.equal(inputsJsonText(keys, [getter], SERIALIZE_DEFAULTS), undefined);
});

/** An array whose element 1 is an index getter, counting its reads (and throwing if asked to). */
function getterArray(fails = false): { array: unknown[]; reads: () => number } {
  let reads = 0;
  const array: unknown[] = [1, 2, 3];
  Object.defineProperty(array, 1, {
    enumerable: true,
    get() {
      reads++;
      if (fails) throw new Error('index getter');
      return 'two';
    },
  });
  return { array, reads: () => reads };
}

test('an array index getter runs once, on the fast path and when the full serializer takes over', () => {
  const fast = getterArray();
  assert.equal(toJsonText({ list: fast.array }), '{"list":[1,"two",3]}');
  assert.equal(fast.reads(), 1, 'fast path');

  // A BigInt after the array sends the value to the full serializer, which reuses what was read.
  const slow = getterArray();
  const value = { list: slow.array, big: 7n };
  assert.equal(toJsonText(value), '{"list":[1,"two",3],"big":"7n"}');
  assert.equal(slow.reads(), 1, 'fast check then full serializer');
  assert.equal(JSON.stringify(toJsonSafe(value)), '{"list":[1,"two",3],"big":"7n"}');

  const throwing = getterArray(true);
  assert.equal(toJsonText([throwing.array]), '[[1,"[Getter threw: index getter]",3]]');
  assert.equal(throwing.reads(), 1, 'a getter that throws is not run again by the full serializer');
});

test('inputsJsonText and the general inputs path share the reads of argument arrays', () => {
  const keys = ['"list":', '"f":'];
  const ok = getterArray();
  assert.equal(inputsJsonText(keys, [ok.array], SERIALIZE_DEFAULTS), '{"list":[1,"two",3]}');
  assert.equal(ok.reads(), 1);

  // A function argument defers to the general path: the caller passes the same reads along.
  const deferred = getterArray();
  const reads = new ArrayReads();
  const fn = (): number => 1;
  assert.equal(inputsJsonText(keys, [deferred.array, fn], SERIALIZE_DEFAULTS, reads), undefined);
  const text = toJsonText({ list: deferred.array, f: fn }, SERIALIZE_DEFAULTS, reads);
  assert.equal(text, JSON.stringify(toJsonSafe({ list: [1, 'two', 3], f: fn })));
  assert.equal(deferred.reads(), 1, 'read once across both passes');
});

test('an array shared by two keys is read once and written twice', () => {
  const shared = getterArray();
  assert.equal(toJsonText({ a: shared.array, b: shared.array }), '{"a":[1,"two",3],"b":[1,"two",3]}');
  assert.equal(shared.reads(), 1);
});

test('a copied object (it holds an array) keeps a __proto__ key as data, and its prototype', () => {
  const parsed = JSON.parse('{"a":[1,2],"__proto__":{"polluted":true},"b":[3]}') as object;
  same(parsed);
  assert.equal(toJsonText(parsed), '{"a":[1,2],"__proto__":{"polluted":true},"b":[3]}');
  const bare = Object.assign(Object.create(null) as object, { list: [1], x: 'y' });
  same(bare);
  assert.equal(toJsonText(bare), '{"list":[1],"x":"y"}');
});

test('many arrays in one value: each element is read once past the inline slots', () => {
  let reads = 0;
  const arrays = Array.from({ length: 20 }, (_, i) => {
    const a = [i, i + 1];
    Object.defineProperty(a, 1, {
      get: () => {
        reads++;
        return i + 1;
      },
      enumerable: true,
    });
    return a;
  });
  const value = { arrays, again: arrays[3] };
  const text = toJsonText(value);
  assert.equal(reads, 20);
  assert.equal(JSON.parse(text).arrays[19][1], 20);
});
