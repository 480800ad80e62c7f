import { types } from 'node:util';
import { thrownError } from './array-reads.js';
import { setOwn } from '../shared/set-own.js';

import {
  binaryToJson,
  describeThrown,
  functionMarker,
  numberToJson,
  truncateString,
  unbox,
  unserializableMarker,
} from './serialize-leaf.js';

/**
 * The recursive part of `toJsonSafe` (`serialize.ts`). One walker serializes one value: it carries the
 * limits, the remaining node budget and the current path (ancestors only, for cycle detection).
 * Every read of a user value that can run user code (getters, Proxy traps, `toJSON`) is guarded, and the
 * depth is checked before recursing, so the walk neither throws nor overflows the stack.
 */

const CIRCULAR = '[Circular]';
const MAX_DEPTH = '[Max depth]';
const objectProto = Object.prototype;
const objectToString = Object.prototype.toString;
const dateGetTime = Date.prototype.getTime;
const dateToIsoString = Date.prototype.toISOString;
const regExpToString = RegExp.prototype.toString;
const mapEntries = Map.prototype.entries;
const mapSize = Object.getOwnPropertyDescriptor(Map.prototype, 'size')?.get;
const setValues = Set.prototype.values;
const setSize = Object.getOwnPropertyDescriptor(Set.prototype, 'size')?.get;
const urlHref = Object.getOwnPropertyDescriptor(URL.prototype, 'href')?.get;
const urlSearchParamsToString = URLSearchParams.prototype.toString;

type JsonRecord = Record<string, unknown>;

/** Limits after normalization: every field a number >= 1 (possibly Infinity, except maxDepth). */
export interface WalkerLimits {
  maxStringLength: number;
  maxArrayLength: number;
  maxObjectKeys: number;
  maxDepth: number;
  maxTotalNodes: number;
}

export class SerializeWalker {
  private readonly maxString: number;
  private readonly maxArray: number;
  private readonly maxKeys: number;
  private readonly maxDepth: number;
  /** Values still allowed in the output (the root is already counted). */
  private nodes: number;
  /** The objects being serialized, outermost first: a value found here is a cycle. */
  private readonly path: object[] = [];

  /**
   * @param preRead elements of arrays already read during this serialization (by the fast JSON path),
   * taken from here instead of being read again (an index getter runs once).
   */
  constructor(
    limits: WalkerLimits,
    private readonly preRead?: ReadonlyMap<object, readonly unknown[]>,
  ) {
    this.maxString = limits.maxStringLength;
    this.maxArray = limits.maxArrayLength;
    this.maxKeys = limits.maxObjectKeys;
    this.maxDepth = limits.maxDepth;
    this.nodes = limits.maxTotalNodes - 1;
  }

  /**
   * The JSON-safe form of `v`, or undefined where JSON would drop the value (an object property that is
   * `undefined`). `key` is passed to `toJSON`; `depth` counts the JSON levels (objects and arrays of
   * the result) around `v`, so that the result never nests deeper than `maxDepth`.
   */
  value(v: unknown, key: string | number, depth: number): unknown {
    switch (typeof v) {
      case 'string':
        return v.length > this.maxString ? truncateString(v, this.maxString) : v;
      case 'number':
        return numberToJson(v);
      case 'boolean':
        return v;
      case 'object':
        return v === null ? null : this.object(v, key, depth, true);
      case 'undefined':
        return undefined;
      case 'function':
        return functionMarker(v);
      default:
        return this.string(typeof v === 'bigint' ? `${v}n` : String(v));
    }
  }

  private string(s: string): string {
    return s.length > this.maxString ? truncateString(s, this.maxString) : s;
  }

  private object(v: object, key: string | number, depth: number, allowToJson: boolean): unknown {
    if (this.path.includes(v)) return CIRCULAR;
    const mark = this.path.length;
    try {
      if (Array.isArray(v)) return this.array(v as unknown[], depth);
      const proto: unknown = Object.getPrototypeOf(v);
      if (proto === objectProto)
        return allowToJson ? this.withToJson(v, key, depth) : this.record(v, {}, depth);
      const tag = objectToString.call(v);
      if (tag !== '[object Object]') {
        const special = this.special(v, tag, key, depth);
        if (special !== v) return special;
      } else if (proto !== null && v instanceof Error) {
        return this.error(v, depth); // an error made without the Error constructor (old-style inheritance)
      }
      const out: JsonRecord = {};
      const name = className(proto);
      if (name !== undefined) out.__class = name;
      return allowToJson ? this.withToJson(v, key, depth, out) : this.record(v, out, depth);
    } catch (err) {
      this.path.length = mark;
      return unserializableMarker(err);
    }
  }

  /** Built-ins recognized by their tag and confirmed by a brand check; returns `v` itself for "none". */
  private special(v: object, tag: string, key: string | number, depth: number): unknown {
    switch (tag) {
      case '[object Date]':
        if (!types.isDate(v)) return v;
        return Number.isNaN(dateGetTime.call(v)) ? 'Invalid Date' : dateToIsoString.call(v);
      case '[object RegExp]':
        return types.isRegExp(v) ? this.string(regExpToString.call(v)) : v;
      case '[object Error]':
        return this.error(v, depth);
      case '[object Map]':
        return types.isMap(v) ? this.collection(v, 'Map', depth) : v;
      case '[object Set]':
        return types.isSet(v) ? this.collection(v, 'Set', depth) : v;
      case '[object Promise]':
        return types.isPromise(v) ? '[Promise]' : v;
      case '[object WeakMap]':
        return types.isWeakMap(v) ? '[WeakMap]' : v;
      case '[object WeakSet]':
        return types.isWeakSet(v) ? '[WeakSet]' : v;
      case '[object WeakRef]':
        return v instanceof WeakRef ? '[WeakRef]' : v;
      case '[object URL]':
        return v instanceof URL && urlHref ? this.string(String(urlHref.call(v))) : v;
      case '[object URLSearchParams]':
        return v instanceof URLSearchParams ? this.string(urlSearchParamsToString.call(v)) : v;
      case '[object String]':
      case '[object Number]':
      case '[object Boolean]':
      case '[object BigInt]':
      case '[object Symbol]': {
        const primitive = unbox(v);
        return primitive === v ? v : this.value(primitive, key, depth);
      }
      default:
        return binaryToJson(v, this.maxString) ?? v;
    }
  }

  /** Uses `v.toJSON(key)` when there is one (its result is not `toJSON`-ed again, like JSON.stringify). */
  private withToJson(v: object, key: string | number, depth: number, out: JsonRecord = {}): unknown {
    let toJson: unknown;
    try {
      toJson = (v as { toJSON?: unknown }).toJSON;
    } catch {
      toJson = undefined; // a throwing `toJSON` getter: serialize the properties instead
    }
    if (typeof toJson !== 'function') return this.record(v, out, depth);
    let result: unknown;
    try {
      result = (toJson as (this: object, key: string) => unknown).call(v, String(key));
    } catch (err) {
      return `[toJSON threw: ${describeThrown(err)}]`;
    }
    if (result === v) return this.record(v, out, depth);
    if (typeof result !== 'object' || result === null) return this.value(result, key, depth);
    this.path.push(v);
    const json = this.object(result, key, depth, false);
    this.path.pop();
    return json;
  }

  /** Own enumerable string keys of `v` into `out` (which may already hold `__class`). */
  private record(v: object, out: JsonRecord, depth: number): unknown {
    if (depth >= this.maxDepth) return MAX_DEPTH;
    const keys = Object.keys(v);
    this.path.push(v);
    this.fill(out, v, keys, depth + 1);
    this.path.pop();
    return out;
  }

  private fill(out: JsonRecord, src: object, keys: readonly string[], depth: number): void {
    const total = keys.length;
    const limit = total < this.maxKeys ? total : this.maxKeys;
    let i = 0;
    for (; i < limit && this.nodes > 0; i++) {
      this.nodes--;
      const key = keys[i] as string;
      const outKey = key.length > this.maxString ? truncateString(key, this.maxString) : key;
      let item: unknown;
      try {
        item = (src as JsonRecord)[key];
      } catch (err) {
        setOwn(out, outKey, `[Getter threw: ${describeThrown(err)}]`);
        continue;
      }
      const json = this.value(item, key, depth);
      if (json !== undefined) setOwn(out, outKey, json);
    }
    if (i < total) setOwn(out, '…', `[${more(total - i, 'key', i < limit)}]`);
  }

  private array(v: unknown[], depth: number): unknown {
    if (depth >= this.maxDepth) return MAX_DEPTH;
    const rawLength: unknown = v.length;
    const total =
      typeof rawLength === 'number' && rawLength > 0 ? Math.floor(Math.min(rawLength, 2 ** 32)) : 0;
    const limit = total < this.maxArray ? total : this.maxArray;
    const out: unknown[] = [];
    const known = this.preRead?.get(v);
    this.path.push(v);
    let i = 0;
    for (; i < limit && this.nodes > 0; i++) {
      this.nodes--;
      let item: unknown;
      try {
        if (known !== undefined && i < known.length) {
          item = known[i];
          const failed = thrownError(item);
          if (failed !== undefined) throw failed.error;
        } else item = v[i];
      } catch (err) {
        out.push(`[Getter threw: ${describeThrown(err)}]`);
        continue;
      }
      const json = this.value(item, i, depth + 1);
      out.push(json === undefined ? null : json);
    }
    this.path.pop();
    if (i < total) out.push(`…[${more(total - i, 'item', i < limit)}]`);
    return out;
  }

  /** `{ name, message, stack, ...own enumerable props, cause?, errors? }`. */
  private error(v: object, depth: number): unknown {
    if (depth >= this.maxDepth) return MAX_DEPTH;
    const keys = ['name', 'message', 'stack'];
    for (const key of Object.keys(v)) {
      if (key !== 'name' && key !== 'message' && key !== 'stack' && key !== 'cause' && key !== 'errors') {
        keys.push(key);
      }
    }
    if (Object.hasOwn(v, 'cause')) keys.push('cause');
    if (Object.hasOwn(v, 'errors')) keys.push('errors');
    const out: JsonRecord = {};
    this.path.push(v);
    this.fill(out, v, keys, depth + 1);
    this.path.pop();
    return out;
  }

  /** `{ __type: 'Map', size, entries: [[k, v], ...] }` or `{ __type: 'Set', size, values: [...] }`. */
  private collection(v: object, type: 'Map' | 'Set', depth: number): unknown {
    const isMap = type === 'Map';
    // JSON levels of the result around an item: the object, `entries` and the pair, or `values`.
    const levels = isMap ? 3 : 2;
    if (depth + levels > this.maxDepth) return MAX_DEPTH;
    const total = (isMap ? mapSize : setSize)?.call(v) as number;
    const limit = total < this.maxArray ? total : this.maxArray;
    const items: unknown[] = [];
    this.path.push(v);
    let i = 0;
    const iterator = (isMap ? mapEntries : setValues).call(v as Map<unknown, unknown>) as Iterator<unknown>;
    for (let next = iterator.next(); !next.done && i < limit && this.nodes > 0; next = iterator.next(), i++) {
      this.nodes--;
      if (isMap) {
        const entry = next.value as [unknown, unknown];
        items.push([
          this.value(entry[0], 0, depth + levels) ?? null,
          this.value(entry[1], 1, depth + levels) ?? null,
        ]);
      } else {
        items.push(this.value(next.value, i, depth + levels) ?? null);
      }
    }
    this.path.pop();
    if (i < total) items.push(`…[${more(total - i, isMap ? 'entry' : 'value', this.nodes <= 0)}]`);
    return isMap
      ? { __type: type, size: total, entries: items }
      : { __type: type, size: total, values: items };
  }
}

/** `3 more items`, `1 more key`, `5 more entries, max nodes` (when the node budget, not a length, cut). */
function more(count: number, noun: 'item' | 'key' | 'entry' | 'value', budgetSpent: boolean): string {
  const plural = count === 1 ? noun : noun === 'entry' ? 'entries' : `${noun}s`;
  return `${count} more ${plural}${budgetSpent ? ', max nodes' : ''}`;
}

/** The constructor name of a class instance's prototype; undefined for plain objects and unreadable ones. */
function className(proto: unknown): string | undefined {
  if (proto === null || typeof proto !== 'object') return undefined;
  try {
    const ctor: unknown = (proto as { constructor?: unknown }).constructor;
    if (typeof ctor !== 'function') return undefined;
    const name: unknown = ctor.name;
    return typeof name === 'string' && name !== '' && name !== 'Object' ? name.slice(0, 200) : undefined;
  } catch {
    return undefined;
  }
}
