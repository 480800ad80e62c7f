import { types } from 'node:util';
import { setOwn } from '../shared/set-own.js';

type Rec = Record<string, unknown>;

/**
 * Stream accumulators copy what they keep from chunks, so that their output shares no object with what
 * the reader holds (and may change): see StreamAccumulator.ownsOutput.
 */
export const NOT_PLAIN: unique symbol = Symbol('not plain data');
/** Deeper than this, a chunk's value is kept as it is (and the output serialized with every guard). */
const MAX_COPY_DEPTH = 8;

/** A copy of JSON data (ordinary objects, arrays, primitives) as JSON.parse makes it; NOT_PLAIN else. */
export function plainCopy(v: unknown, depth: number): unknown {
  if (typeof v !== 'object' || v === null) {
    return typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint' ? NOT_PLAIN : v;
  }
  if (depth >= MAX_COPY_DEPTH || types.isProxy(v)) return NOT_PLAIN;
  if (Array.isArray(v)) {
    const copy: unknown[] = [];
    for (const item of v as unknown[]) {
      const c = plainCopy(item, depth + 1);
      if (c === NOT_PLAIN) return NOT_PLAIN;
      copy.push(c);
    }
    return copy;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype) return NOT_PLAIN;
  const copy: Rec = {};
  for (const key in v) {
    const d = Object.getOwnPropertyDescriptor(v, key);
    if (d === undefined || !('value' in d)) return NOT_PLAIN;
    const c = plainCopy(d.value, depth + 1);
    if (c === NOT_PLAIN) return NOT_PLAIN;
    setOwn(copy, key, c);
  }
  return copy;
}
