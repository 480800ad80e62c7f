import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { InvalidOptionError } from '../shared/errors.js';
import { JSON_LIMITS } from '../shared/json-limits.js';
import { mulberry32 } from '../shared/mulberry32.js';
import { hostileValue, randomLimits } from './serialize-hostile.test-suite.js';
import { MAX_SERIALIZE_DEPTH, SERIALIZE_DEFAULTS, toJsonSafe, validateSerializeLimits } from './serialize.js';
import type { SerializeLimits } from './serialize.js';

/** Serializes `value`, checks that the result survives JSON unchanged, and returns it. */
function safe(value: unknown, limits?: Partial<SerializeLimits>): unknown {
  const result = toJsonSafe(value, limits ? { ...SERIALIZE_DEFAULTS, ...limits } : undefined);
  const text = JSON.stringify(result);
  assert.equal(typeof text, 'string');
  assert.deepEqual(JSON.parse(text), result);
  return result;
}

function chain(levels: number, wrap: (inner: unknown) => unknown): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i++) value = wrap(value);
  return value;
}

function nestingOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  return 1 + Math.max(0, ...Object.values(value).map(nestingOf));
}

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

describe('toJsonSafe: primitives', () => {
  it('keeps strings, booleans, null and finite numbers, and turns -0 into 0', () => {
    assert.equal(safe('hi'), 'hi');
    assert.equal(safe(true), true);
    assert.equal(safe(null), null);
    assert.equal(safe(1.5e300), 1.5e300);
    assert.ok(Object.is(safe(-0), 0));
    assert.deepEqual(safe({ a: -0, b: [-0] }), { a: 0, b: [0] });
  });

  it('writes NaN, the infinities, BigInt and Symbol as strings', () => {
    assert.deepEqual(safe([NaN, Infinity, -Infinity, 123n, Symbol('tag'), Symbol()]), [
      'NaN',
      'Infinity',
      '-Infinity',
      '123n',
      'Symbol(tag)',
      'Symbol()',
    ]);
    assert.equal(safe(Object(-5n)), '-5n');
  });

  it('maps undefined to null at the top and in arrays, and drops it in objects', () => {
    assert.equal(safe(undefined), null);
    assert.deepEqual(safe([undefined, 1]), [null, 1]);
    assert.deepEqual(safe({ a: undefined, b: 1 }), { b: 1 });
  });

  it('names functions, even ones whose name cannot be read', () => {
    const throwingName = Object.defineProperty(() => 1, 'name', {
      get() {
        throw new Error('no');
      },
    });
    const proxied = new Proxy(function f() {}, {
      get() {
        throw new Error('trap');
      },
    });
    assert.deepEqual(safe([function search() {}, () => 1, throwingName, proxied, class Foo {}]), [
      '[Function search]',
      '[Function (anonymous)]',
      '[Function (anonymous)]',
      '[Function (anonymous)]',
      '[Function Foo]',
    ]);
    assert.deepEqual(safe({ callback() {} }), { callback: '[Function callback]' });
  });

  it('truncates long strings and keys with a visible marker, never splitting a surrogate pair', () => {
    assert.equal(safe('abcdefghij', { maxStringLength: 4 }), 'abcd…[truncated 6 chars]');
    assert.equal(safe('ab😀cd', { maxStringLength: 3 }), 'ab…[truncated 4 chars]');
    assert.deepEqual(safe({ ['k'.repeat(10)]: 'vvvvvv' }, { maxStringLength: 5 }), {
      'kkkkk…[truncated 5 chars]': 'vvvvv…[truncated 1 chars]',
    });
    const big = toJsonSafe('x'.repeat(250_000));
    assert.equal(big, `${'x'.repeat(100_000)}…[truncated 150000 chars]`);
  });
});

describe('toJsonSafe: built-in objects', () => {
  it('writes dates, regexps, URLs and boxed primitives as strings or primitives', () => {
    const url = new URL('https://example.com/a?b=1#c');
    assert.deepEqual(
      safe([new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)), new Date(NaN), /a+b/gi, url, url.searchParams]),
      ['2026-01-02T03:04:05.006Z', 'Invalid Date', '/a+b/gi', 'https://example.com/a?b=1#c', 'b=1'],
    );
    assert.deepEqual(safe([new String('s'), new Number(NaN), new Boolean(false), Object(Symbol('x'))]), [
      's',
      'NaN',
      false,
      'Symbol(x)',
    ]);
  });

  it('writes errors with name, message, stack, own props, cause and AggregateError errors', () => {
    const inner = new TypeError('inner');
    const err = Object.assign(new RangeError('outer', { cause: inner }), { code: 'E_OUT', extra: { n: 1 } });
    const out = safe(err) as Record<string, unknown>;
    assert.equal(out.name, 'RangeError');
    assert.equal(out.message, 'outer');
    assert.match(String(out.stack), /^RangeError: outer\n/);
    assert.equal(out.code, 'E_OUT');
    assert.deepEqual(out.extra, { n: 1 });
    assert.equal((out.cause as Record<string, unknown>).message, 'inner');
    const agg = safe(new AggregateError([new Error('a'), 'b'], 'both')) as Record<string, unknown>;
    assert.equal(agg.name, 'AggregateError');
    assert.deepEqual(
      (agg.errors as Record<string, unknown>[]).map((e) => (typeof e === 'string' ? e : e.message)),
      ['a', 'b'],
    );
  });

  it('handles subclassed, old-style and hostile errors', () => {
    class QuotaError extends Error {
      override name = 'QuotaError';
      constructor(readonly limit: number) {
        super('over quota');
      }
    }
    assert.deepEqual(
      Object.entries(safe(new QuotaError(5)) as object).filter(([k]) => k !== 'stack'),
      [
        ['name', 'QuotaError'],
        ['message', 'over quota'],
        ['limit', 5],
      ],
    );
    const oldStyle = Object.assign(Object.create(Error.prototype) as object, { message: 'legacy' });
    assert.deepEqual(safe(oldStyle), { name: 'Error', message: 'legacy' });
    const hostile = new Error('x');
    Object.defineProperty(hostile, 'message', {
      get() {
        throw new Error('nope');
      },
    });
    assert.equal((safe(hostile) as Record<string, unknown>).message, '[Getter threw: nope]');
    const selfCaused = new Error('loop');
    selfCaused.cause = selfCaused;
    assert.equal((safe(selfCaused) as Record<string, unknown>).cause, '[Circular]');
  });

  it('writes Maps and Sets with their entries, and weak or async things as markers', () => {
    const map = new Map<unknown, unknown>([
      ['a', 1],
      [{ k: 1 }, new Set([1, 'two'])],
    ]);
    assert.deepEqual(safe(map), {
      __type: 'Map',
      size: 2,
      entries: [
        ['a', 1],
        [{ k: 1 }, { __type: 'Set', size: 2, values: [1, 'two'] }],
      ],
    });
    const pending = new Promise(() => {});
    assert.deepEqual(safe([pending, new WeakMap(), new WeakSet(), new WeakRef({})]), [
      '[Promise]',
      '[WeakMap]',
      '[WeakSet]',
      '[WeakRef]',
    ]);
  });

  it('writes binary data as base64 when small and as a marker when large', () => {
    const bytes = Buffer.from('hello');
    assert.deepEqual(safe(bytes), { __type: 'Buffer', byteLength: 5, base64: 'aGVsbG8=' });
    assert.deepEqual(safe(new Uint8Array([1, 2, 3, 4]).subarray(1, 3)), {
      __type: 'Uint8Array',
      byteLength: 2,
      base64: 'AgM=',
    });
    assert.deepEqual(safe(new DataView(new ArrayBuffer(3))), {
      __type: 'DataView',
      byteLength: 3,
      base64: 'AAAA',
    });
    assert.deepEqual(safe(new Float64Array(1)), {
      __type: 'Float64Array',
      byteLength: 8,
      base64: 'AAAAAAAAAAA=',
    });
    assert.deepEqual(safe(new SharedArrayBuffer(0)), {
      __type: 'SharedArrayBuffer',
      byteLength: 0,
      base64: '',
    });
    assert.deepEqual(safe(new ArrayBuffer(5000)), {
      __type: 'ArrayBuffer',
      byteLength: 5000,
      truncated: '…[5000 bytes not captured]',
    });
  });
});

describe('toJsonSafe: objects and arrays', () => {
  it('copies plain, null-prototype and class objects (with __class) and array holes as null', () => {
    const bare = Object.assign(Object.create(null) as object, { a: 1 });
    const holey = [1];
    holey[2] = 3;
    assert.deepEqual(safe({ bare, point: new Point(1, 2), list: holey }), {
      bare: { a: 1 },
      point: { __class: 'Point', x: 1, y: 2 },
      list: [1, null, 3],
    });
  });

  it('keeps a __proto__ key as data', () => {
    const out = safe(JSON.parse('{"__proto__": {"polluted": true}}')) as object;
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    assert.deepEqual(Object.getOwnPropertyDescriptor(out, '__proto__')?.value, { polluted: true });
  });

  it('uses toJSON with the key, once, and guards it', () => {
    const withKey = { toJSON: (key: string) => `key=${key}` };
    assert.deepEqual(safe({ a: withKey, b: [withKey] }), { a: 'key=a', b: ['key=0'] });
    assert.equal(safe(withKey), 'key=');
    const selfish = {
      n: 1,
      toJSON() {
        return { self: this, again: { toJSON: () => 'inner' } };
      },
    };
    assert.deepEqual(safe(selfish), { self: '[Circular]', again: 'inner' });
    const throwing = {
      toJSON() {
        throw new Error('bad toJSON');
      },
    };
    assert.deepEqual(safe({ t: throwing }), { t: '[toJSON threw: bad toJSON]' });
  });

  it('marks throwing getters and Proxies whose traps throw, without throwing', () => {
    const boom = () => {
      throw new Error('boom');
    };
    const getter = Object.defineProperty({ ok: 1 }, 'bad', { get: boom, enumerable: true });
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    assert.deepEqual(
      safe({
        getter,
        ownKeys: new Proxy({}, { ownKeys: boom }),
        getProto: new Proxy({}, { getPrototypeOf: boom }),
        get: new Proxy({ a: 1 }, { get: boom }),
        arrayLength: new Proxy([1], { get: boom }),
        revoked: revocable.proxy,
      }),
      {
        getter: { ok: 1, bad: '[Getter threw: boom]' },
        ownKeys: '[Unserializable: boom]',
        getProto: '[Unserializable: boom]',
        get: { a: '[Getter threw: boom]' },
        arrayLength: '[Unserializable: boom]',
        revoked: "[Unserializable: Cannot perform 'IsArray' on a proxy that has been revoked]",
      },
    );
  });

  it('marks cycles but repeats values that are shared without a cycle', () => {
    const shared = { a: 1 };
    assert.deepEqual(safe({ x: shared, y: [shared, shared], z: new Map([[shared, shared]]) }), {
      x: { a: 1 },
      y: [{ a: 1 }, { a: 1 }],
      z: { __type: 'Map', size: 1, entries: [[{ a: 1 }, { a: 1 }]] },
    });
    const node: Record<string, unknown> = { name: 'root' };
    node.children = [{ parent: node }, new Set([node])];
    assert.deepEqual(safe(node), {
      name: 'root',
      children: [{ parent: '[Circular]' }, { __type: 'Set', size: 1, values: ['[Circular]'] }],
    });
  });
});

describe('toJsonSafe: limits', () => {
  it('keeps the first items and keys and counts the rest', () => {
    assert.deepEqual(safe([1, 2, 3, 4], { maxArrayLength: 2 }), [1, 2, '…[2 more items]']);
    assert.deepEqual(safe({ a: 1, b: 2, c: 3 }, { maxObjectKeys: 2 }), { a: 1, b: 2, '…': '[1 more key]' });
    assert.deepEqual(safe(new Set([1, 2, 3]), { maxArrayLength: 1 }), {
      __type: 'Set',
      size: 3,
      values: [1, '…[2 more values]'],
    });
    assert.deepEqual(safe(new Array(2 ** 32 - 1), { maxArrayLength: 1 }), [null, '…[4294967294 more items]']);
  });

  it('replaces containers past maxDepth', () => {
    assert.deepEqual(safe({ a: { b: { c: 1 } }, d: 1 }, { maxDepth: 2 }), { a: { b: '[Max depth]' }, d: 1 });
    assert.deepEqual(safe([[[1]]], { maxDepth: 1 }), ['[Max depth]']);
    assert.equal(safe(new Date(0), { maxDepth: 1 }), '1970-01-01T00:00:00.000Z');
  });

  it('survives 10 000 levels of nesting of every container kind', () => {
    const wraps: ((inner: unknown) => unknown)[] = [
      (v) => ({ v }),
      (v) => [v],
      (v) => new Map([['v', v]]),
      (v) => new Error('e', { cause: v }),
      (v) => ({ toJSON: () => ({ v }) }),
    ];
    for (const wrap of wraps) {
      const deep = chain(10_000, wrap);
      assert.ok(JSON.stringify(safe(deep)).includes('[Max depth]'));
      const unvalidated = { ...SERIALIZE_DEFAULTS, maxDepth: 1e9 };
      const capped = toJsonSafe(deep, unvalidated);
      assert.ok(JSON.stringify(capped).includes('[Max depth]'));
      // A Map takes three levels, so a chain of Maps stops up to two levels short of the cap.
      const nesting = nestingOf(capped);
      assert.ok(nesting >= MAX_SERIALIZE_DEPTH - 2 && nesting <= MAX_SERIALIZE_DEPTH, `${nesting}`);
    }
  });

  it('never nests deeper than maxDepth, which stays below the server limit on stored JSON', () => {
    assert.ok(MAX_SERIALIZE_DEPTH < JSON_LIMITS.maxDepth);
    const wraps: ((inner: unknown) => unknown)[] = [
      (v) => ({ v }),
      (v) => [v],
      (v) => new Map([['v', v]]),
      (v) => new Map([[v, 1]]),
      (v) => new Set([v]),
      (v) => new Error('e', { cause: v }),
      (v) => new AggregateError([v]),
      (v) => ({ toJSON: () => ({ v }) }),
    ];
    for (const maxDepth of [1, 2, 3, 4, 24, MAX_SERIALIZE_DEPTH]) {
      for (const wrap of wraps) {
        const nesting = nestingOf(safe(chain(1_000, wrap), { maxDepth }));
        assert.ok(nesting <= maxDepth, `${String(wrap)}: ${nesting} levels at maxDepth ${maxDepth}`);
      }
    }
    assert.deepEqual(safe(new Map([['k', 1]]), { maxDepth: 2 }), '[Max depth]');
    assert.deepEqual(safe(new Set([1]), { maxDepth: 2 }), { __type: 'Set', size: 1, values: [1] });
  });

  it('stops at maxTotalNodes, even for exponentially shared values', () => {
    assert.deepEqual(safe([[1, 2, 3], [4]], { maxTotalNodes: 5 }), [[1, 2, 3], '…[1 more item, max nodes]']);
    assert.deepEqual(safe({ a: [1, 2], b: 1 }, { maxTotalNodes: 3 }), {
      a: [1, '…[1 more item, max nodes]'],
      '…': '[1 more key, max nodes]',
    });
    const dag = chain(60, (v) => [v, v]);
    const text = JSON.stringify(safe(dag));
    assert.ok(text.includes('max nodes]'));
    assert.ok(text.length < 2_000_000);
  });

  it('tolerates limits that were never validated', () => {
    const nonsense = { maxStringLength: NaN, maxArrayLength: -1, maxObjectKeys: '3', maxDepth: 0 };
    assert.deepEqual(toJsonSafe({ a: ['xy'] }, nonsense as unknown as SerializeLimits), { a: ['xy'] });
    const throwing = {
      get maxStringLength(): number {
        throw new Error('limits');
      },
    };
    assert.equal(toJsonSafe({ a: 1 }, throwing as SerializeLimits), '[Unserializable: limits]');
  });
});

describe('validateSerializeLimits', () => {
  it('returns the limits given', () => {
    assert.deepEqual(validateSerializeLimits(undefined), {});
    assert.deepEqual(validateSerializeLimits({ maxDepth: 3, maxStringLength: undefined }), { maxDepth: 3 });
    assert.deepEqual(validateSerializeLimits({ ...SERIALIZE_DEFAULTS }), SERIALIZE_DEFAULTS);
  });

  it('rejects bad values, naming the option and the value', () => {
    const cases: [unknown, string, unknown][] = [
      [{ maxDepth: 0 }, 'serialize.maxDepth', 0],
      [{ maxDepth: MAX_SERIALIZE_DEPTH + 1 }, 'serialize.maxDepth', MAX_SERIALIZE_DEPTH + 1],
      [{ maxStringLength: 1.5 }, 'serialize.maxStringLength', 1.5],
      [{ maxArrayLength: '10' }, 'serialize.maxArrayLength', '10'],
      [{ maxTotalNodes: Infinity }, 'serialize.maxTotalNodes', Infinity],
      [{ maxKeys: 5 }, 'serialize.maxKeys', 5],
      ['deep', 'serialize', 'deep'],
    ];
    for (const [input, option, value] of cases) {
      assert.throws(
        () => validateSerializeLimits(input),
        (err: unknown) =>
          err instanceof InvalidOptionError && err.option === option && Object.is(err.value, value),
      );
    }
    assert.throws(() => validateSerializeLimits({ maxObjectKeys: -2 }), /serialize\.maxObjectKeys=-2/);
  });
});

describe('toJsonSafe: fuzz', () => {
  it('never throws and always round-trips, for 5 000 hostile values', () => {
    const random = mulberry32(0x5eed);
    for (let i = 0; i < 5_000; i++) {
      const value = hostileValue(random);
      const limits = random() < 0.3 ? randomLimits(random) : SERIALIZE_DEFAULTS;
      let result: unknown;
      assert.doesNotThrow(() => {
        result = toJsonSafe(value, limits);
      }, `value #${i}`);
      const text = JSON.stringify(result);
      assert.equal(typeof text, 'string', `value #${i}`);
      assert.deepEqual(JSON.parse(text), result, `value #${i}`);
    }
  });
});
