import type { SerializeLimits } from './serialize.js';

/**
 * A generator of hostile random values for the `toJsonSafe` fuzz test (`serialize.test.ts`): nested
 * mixes of every kind the serializer knows, plus throwing getters, throwing or lying Proxies, cycles,
 * shared references, huge strings and 10 000-level chains. Deterministic for a given PRNG.
 */

export type Random = () => number;

/** Small limits (within what `validateSerializeLimits` accepts) so the fuzz also hits every marker. */
export function randomLimits(random: Random): SerializeLimits {
  const int = (max: number) => 1 + Math.floor(random() * max);
  return {
    maxStringLength: int(40),
    maxArrayLength: int(6),
    maxObjectKeys: int(6),
    maxDepth: int(10),
    maxTotalNodes: int(80),
  };
}

export function hostileValue(random: Random): unknown {
  return generate({ random, ancestors: [], shared: [] }, 0);
}

interface Context {
  random: Random;
  /** Containers being filled: referring to one of them makes a cycle. */
  ancestors: object[];
  /** Containers already made: referring to one of them makes a shared (DAG) reference. */
  shared: object[];
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

const boom = (): never => {
  throw new Error('hostile');
};
const HUGE = 'h'.repeat(150_000);
const STRINGS = ['', 'hello', 'ünïcødé ✓', 'a😀b', '\ud800', 'x\udc00', '"quoted"\n\\', '…', 'x'.repeat(50)];
const NUMBERS = [0, -0, 1, -1.5, 2 ** 53 + 2, Number.MAX_VALUE, Number.MIN_VALUE, NaN, Infinity, -Infinity];
const KEYS = [
  'a',
  'b',
  '0',
  '17',
  '',
  '__proto__',
  'constructor',
  'toJSON',
  '…',
  '__class',
  'k'.repeat(60),
  '😀',
];
const TRAPS = ['ownKeys', 'get', 'getPrototypeOf', 'getOwnPropertyDescriptor', 'has'] as const;
const DEEP = [
  chain((v) => ({ v })),
  chain((v) => [v]),
  chain((v) => new Map([['k', v]])),
  chain((v) => ({ toJSON: () => [v] })),
];

function chain(wrap: (inner: unknown) => unknown): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < 10_000; i++) value = wrap(value);
  return value;
}

class Widget {
  id = 7;
  get computed(): never {
    return boom();
  }
}

class ValidationFailure extends Error {
  override name = 'ValidationFailure';
  field = 'email';
}

function generate(ctx: Context, depth: number): unknown {
  if (depth > 5 || ctx.random() < 0.45) return leaf(ctx);
  const out = container(ctx, depth);
  if (typeof out === 'object' && out !== null && ctx.random() < 0.3) ctx.shared.push(out);
  return out;
}

function leaf(ctx: Context): unknown {
  const { random } = ctx;
  switch (Math.floor(random() * 20)) {
    case 0:
      return pick(random, STRINGS);
    case 1:
      return random() < 0.05 ? pick(random, [HUGE, `${HUGE}😀`, `😀${HUGE}`]) : pick(random, STRINGS);
    case 2:
      return pick(random, NUMBERS);
    case 3:
      return pick(random, [0n, -12345678901234567890n, 10n ** 400n]);
    case 4:
      return pick(random, [Symbol('s'), Symbol(), Symbol.iterator, Symbol.for(HUGE)]);
    case 5:
      return pick(random, [undefined, null, true, false]);
    case 6:
      return pick(random, [
        function named() {},
        () => 0,
        async function* gen() {},
        Widget,
        Object.defineProperty(() => 0, 'name', { get: boom }),
      ]);
    case 7:
      return pick(random, [new Date(random() * 4e12), new Date(NaN), new Date(8.64e15), /x+(?<g>y)/dgimsuy]);
    case 8:
      return pick(random, [new URL('https://u:p@example.com:8080/p?q=1#h'), new URLSearchParams('a=1&a=2')]);
    case 9:
      return pick(random, [
        new String('boxed'),
        new Number(-0),
        new Boolean(true),
        Object(7n),
        Object(Symbol('b')),
      ]);
    case 10:
      return pick(random, [new Promise(() => {}), new WeakMap(), new WeakSet(), new WeakRef(ctx)]);
    case 11:
      return binary(random);
    case 12:
      return ctx.ancestors.length > 0 ? pick(random, ctx.ancestors) : null;
    case 13:
      return ctx.shared.length > 0 ? pick(random, ctx.shared) : [];
    case 14:
      return random() < 0.2 ? pick(random, DEEP) : { flat: 1 };
    case 15: {
      const revocable = Proxy.revocable(random() < 0.5 ? {} : [], {});
      revocable.revoke();
      return revocable.proxy;
    }
    case 16:
      return Object.defineProperty({ ok: true }, 'bad', { get: boom, enumerable: true });
    case 17:
      return new Proxy({ a: 1 }, { [pick(random, TRAPS)]: boom });
    case 18:
      return random() < 0.1 ? Array.from({ length: 1_500 }, (_, i) => i) : new Array(3);
    default:
      return random() < 0.1 ? Object.fromEntries(Array.from({ length: 1_500 }, (_, i) => [`k${i}`, i])) : {};
  }
}

function binary(random: Random): unknown {
  switch (Math.floor(random() * 7)) {
    case 0:
      return Buffer.from('bytes');
    case 1:
      return new Uint8Array([1, 2, 3, 4, 5]).subarray(1, 4);
    case 2:
      return new Float64Array([NaN, -0]);
    case 3:
      return new DataView(new ArrayBuffer(6), 2);
    case 4:
      return new SharedArrayBuffer(3);
    case 5: {
      const detached = new ArrayBuffer(8);
      structuredClone(detached, { transfer: [detached] });
      return detached;
    }
    default:
      return new BigInt64Array(1_000);
  }
}

/** `target[key] = value`; a `__proto__` key really sets the prototype (to anything), unless that is cyclic. */
function assign(target: Record<string, unknown>, key: string, value: unknown): void {
  try {
    target[key] = value;
  } catch {
    // a cyclic __proto__ chain
  }
}

function container(ctx: Context, depth: number): unknown {
  const { random, ancestors } = ctx;
  const kind = Math.floor(random() * 11);
  const target: Record<string, unknown> | unknown[] | Map<unknown, unknown> | Set<unknown> | Error =
    kind === 0 || kind === 1
      ? []
      : kind === 2
        ? new Map()
        : kind === 3
          ? new Set()
          : kind === 4
            ? pick(random, [new Error('e'), new ValidationFailure('v'), new AggregateError([], 'agg')])
            : kind === 5
              ? (Object.create(null) as Record<string, unknown>)
              : kind === 6
                ? (new Widget() as unknown as Record<string, unknown>)
                : {};
  ancestors.push(target);
  const count = Math.floor(random() * 5);
  for (let i = 0; i < count; i++) {
    const child = generate(ctx, depth + 1);
    if (kind <= 1) (target as unknown[]).push(child);
    else if (kind === 2) (target as Map<unknown, unknown>).set(generate(ctx, depth + 1), child);
    else if (kind === 3) (target as Set<unknown>).add(child);
    else if (kind === 4 && target instanceof AggregateError) (target.errors as unknown[]).push(child);
    else if (kind === 4) (target as Error).cause = child;
    else assign(target as Record<string, unknown>, pick(random, KEYS), child);
  }
  ancestors.pop();
  if (kind <= 1 && random() < 0.3) (target as unknown[]).length += 2; // trailing holes
  switch (kind) {
    case 7:
      return {
        toJSON: pick(random, [() => target, boom, () => undefined, () => ({ inner: target, again: target })]),
      };
    case 8:
      return new Proxy(target, { [pick(random, TRAPS)]: boom });
    case 9:
      return new Proxy(target, {
        ownKeys: () => ['ghost', 'length'],
        get: () => (random() < 0.5 ? boom() : target),
      });
    case 10:
      Object.defineProperty(target, Symbol('hidden'), { value: 1, enumerable: true });
      return Object.freeze(target);
    default:
      return target;
  }
}
