import { InvalidOptionError } from '../shared/errors.js';
import { functionMarker, numberToJson, truncateString, unserializableMarker } from './serialize-leaf.js';
import { SerializeWalker } from './serialize-walker.js';
import type { WalkerLimits } from './serialize-walker.js';

/**
 * The SDK's value serializer: turns the inputs and output of a traced call, whatever they are, into a
 * value that `JSON.stringify` cannot choke on and that survives a JSON round trip unchanged.
 *
 * Shapes and markers (all markers are plain strings, so the result is always valid JSON):
 * - strings past `maxStringLength`: the first part + `…[truncated N chars]`;
 *   NaN / ±Infinity: `"NaN"`, `"Infinity"`, `"-Infinity"`; -0: 0; BigInt: `"123n"`;
 *   Symbol: `"Symbol(desc)"`; functions: `"[Function name]"` / `"[Function (anonymous)]"`;
 *   `undefined`: null at the top and in arrays, left out in objects (as JSON does).
 * - Date: ISO string (`"Invalid Date"`); RegExp: `"/source/flags"`; URL: href; URLSearchParams: query;
 *   boxed primitives: the primitive.
 * - Error: `{ name, message, stack, ...own enumerable props, cause?, errors? }`.
 * - Map: `{ __type: 'Map', size, entries: [[k, v], ...] }`; Set: `{ __type: 'Set', size, values: [...] }`;
 *   Promise / WeakMap / WeakSet / WeakRef: `"[Promise]"`, `"[WeakMap]"`, `"[WeakSet]"`, `"[WeakRef]"`.
 * - Buffer, typed arrays, DataView, (Shared)ArrayBuffer: `{ __type: 'Buffer' | 'Uint8Array' | ...,
 *   byteLength, base64 }`, or `truncated: "…[N bytes not captured]"` instead of `base64` past 4 KiB.
 * - objects: own enumerable string keys; class instances add `__class: 'Foo'` first (an own `__class` key
 *   wins over it, while the `"…"` key-count entry below replaces an own `…` key); `toJSON(key)` is used
 *   when present. A throwing getter gives `"[Getter threw: message]"`, a throwing `toJSON`
 *   `"[toJSON threw: message]"`, an object that cannot be inspected at all (e.g. a Proxy whose traps
 *   throw) `"[Unserializable: message]"`.
 * - limits: `"[Circular]"` (an ancestor seen again; values shared but not circular are repeated),
 *   `"[Max depth]"`, a last array item `"…[N more items]"`, an object entry `"…": "[N more keys]"`,
 *   a last Map/Set item `"…[N more entries]"` / `"…[N more values]"` (singular for 1); when the
 *   `maxTotalNodes` budget runs out, containers stop early and the same markers end in `, max nodes]`.
 */

export interface SerializeLimits {
  /**
   * Longest string kept (UTF-16 units); longer strings (and object keys) are cut and marked.
   * @default 100_000
   */
  maxStringLength: number;
  /**
   * Most array items (and Map/Set entries) kept; the rest are counted in a final marker item.
   * @default 1_000
   */
  maxArrayLength: number;
  /**
   * Most keys kept per object; the rest are counted in a `"…"` entry.
   * @default 1_000
   */
  maxObjectKeys: number;
  /**
   * Most levels of nesting of the result's objects and arrays (an object, array or error takes one, a
   * Map three: its object, `entries` and each pair; a Set two); containers that would go deeper become
   * `"[Max depth]"`. At most `MAX_SERIALIZE_DEPTH`, which keeps the recursion off the end of the stack
   * and the result below the server's limit on stored JSON.
   * @default 24
   */
  maxDepth: number;
  /**
   * Budget of values for the whole result (every object, array, entry and primitive counts one);
   * once spent, containers stop early with a marker.
   * @default 100_000
   */
  maxTotalNodes: number;
}

/**
 * Upper bound of `maxDepth`: the serializer recurses once per level (a few stack frames each), and the
 * server refuses values nested deeper than `JSON_LIMITS.maxDepth` (500). A call's inputs and attributes
 * are serialized as one object each, so what the SDK sends nests at most this deep.
 */
export const MAX_SERIALIZE_DEPTH = 200;

/** Limits used when `toJsonSafe` gets none. Frozen. */
export const SERIALIZE_DEFAULTS: SerializeLimits = Object.freeze({
  /** @default 100_000 */
  maxStringLength: 100_000,
  /** @default 1_000 */
  maxArrayLength: 1_000,
  /** @default 1_000 */
  maxObjectKeys: 1_000,
  /** @default 24 */
  maxDepth: 24,
  /** @default 100_000 */
  maxTotalNodes: 100_000,
});

const LIMIT_NAMES: readonly (keyof SerializeLimits)[] = [
  'maxStringLength',
  'maxArrayLength',
  'maxObjectKeys',
  'maxDepth',
  'maxTotalNodes',
];

/**
 * Checks user-supplied serializer options (`serialize: { ... }` in the SDK options) and returns the ones
 * given, to be spread over `SERIALIZE_DEFAULTS`. `undefined`/`null` mean none; `undefined` fields are
 * skipped. Throws `InvalidOptionError` naming the option (e.g. `serialize.maxDepth`) for a value that is
 * not an integer >= 1 (`maxDepth`: at most `MAX_SERIALIZE_DEPTH`), for an unknown key and for a non-object.
 */
export function validateSerializeLimits(partial: unknown): Partial<SerializeLimits> {
  if (partial === undefined || partial === null) return {};
  if (typeof partial !== 'object' || Array.isArray(partial)) {
    throw new InvalidOptionError('serialize', partial, `an object with some of ${LIMIT_NAMES.join(', ')}`);
  }
  const result: Partial<SerializeLimits> = {};
  for (const [key, value] of Object.entries(partial)) {
    const name = LIMIT_NAMES.find((known) => known === key);
    if (name === undefined) {
      throw new InvalidOptionError(
        `serialize.${key}`,
        value,
        `no such option (known: ${LIMIT_NAMES.join(', ')})`,
      );
    }
    if (value === undefined) continue;
    const max = name === 'maxDepth' ? MAX_SERIALIZE_DEPTH : Number.MAX_SAFE_INTEGER;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
      throw new InvalidOptionError(`serialize.${name}`, value, `an integer from 1 to ${max}`);
    }
    result[name] = value;
  }
  return result;
}

/**
 * A JSON-safe copy of any value: `JSON.stringify` of the result cannot throw, and
 * `JSON.parse(JSON.stringify(result))` deep-equals the result. Never throws, whatever it is given
 * (hostile getters, Proxies, cycles, deep nesting); see the module comment for the shapes and markers.
 * `limits` should be `SERIALIZE_DEFAULTS` or defaults merged with `validateSerializeLimits` output;
 * anything else is tolerated (bad fields fall back to the defaults).
 */
export function toJsonSafe(
  value: unknown,
  limits: SerializeLimits = SERIALIZE_DEFAULTS,
  preRead?: ReadonlyMap<object, readonly unknown[]>,
): unknown {
  try {
    switch (typeof value) {
      case 'number':
        return numberToJson(value);
      case 'boolean':
        return value;
      case 'undefined':
        return null;
      case 'function':
        return functionMarker(value);
      case 'string': {
        const max = limits === SERIALIZE_DEFAULTS ? SERIALIZE_DEFAULTS.maxStringLength : maxStringOf(limits);
        return value.length > max ? truncateString(value, max) : value;
      }
      case 'object':
        if (value === null) return null;
    }
    const walker = new SerializeWalker(
      limits === SERIALIZE_DEFAULTS ? SERIALIZE_DEFAULTS : normalize(limits),
      preRead,
    );
    return walker.value(value, '', 0) ?? null;
  } catch (err) {
    // Only reachable through a throwing `limits` getter, or a stack overflow / out-of-memory inside the
    // serializer itself (a called user function's exceptions are caught closer to it).
    try {
      return unserializableMarker(err);
    } catch {
      return '[Unserializable]';
    }
  }
}

function limitOf(value: unknown, fallback: number, max: number): number {
  return typeof value === 'number' && value >= 1 ? Math.min(Math.floor(value), max) : fallback;
}

function maxStringOf(limits: SerializeLimits): number {
  return limitOf(limits?.maxStringLength, SERIALIZE_DEFAULTS.maxStringLength, Infinity);
}

function normalize(limits: SerializeLimits): WalkerLimits {
  const d = SERIALIZE_DEFAULTS;
  if (limits === null || typeof limits !== 'object') return d;
  return {
    maxStringLength: limitOf(limits.maxStringLength, d.maxStringLength, Infinity),
    maxArrayLength: limitOf(limits.maxArrayLength, d.maxArrayLength, Infinity),
    maxObjectKeys: limitOf(limits.maxObjectKeys, d.maxObjectKeys, Infinity),
    maxDepth: limitOf(limits.maxDepth, d.maxDepth, MAX_SERIALIZE_DEPTH),
    maxTotalNodes: limitOf(limits.maxTotalNodes, d.maxTotalNodes, Infinity),
  };
}
