import { types } from 'node:util';
import { SERIALIZE_DEFAULTS, toJsonSafe, type SerializeLimits } from './serialize.js';
import { ArrayReads, thrownError, thrownRead } from './array-reads.js';
import { setOwn } from '../shared/set-own.js';
import { numberJson } from './number-json.js';

const isProxy = types.isProxy;
const ownDescriptor = Object.getOwnPropertyDescriptor;
/** What `check` returns for a value that needs the full serializer. */
const SLOW: unique symbol = Symbol('slow path');

/**
 * JSON text of any value, as `JSON.stringify(toJsonSafe(value, limits))` would give it, but without
 * building the JSON-safe copy when there is nothing to convert: a value made only of plain objects,
 * arrays, finite numbers, booleans, null and strings within the limits goes straight to the native
 * `JSON.stringify`. That is the common case (inputs and outputs of LLM calls) and the hot path of
 * every traced call. Anything else, or anything that throws while being read, takes the full
 * serializer. Never throws.
 *
 * Every user getter runs at most once per serialization. On objects the check runs no user code: it
 * reads properties through their descriptors, and an accessor or a Proxy sends the value to the full
 * serializer. Array elements are read directly (a descriptor per element would double the cost of an
 * embedding), once: `JSON.stringify` is given the check's copy of each array, and when the check
 * gives up, the full serializer is given what it read (`reads`), so an index getter is not run again.
 */
export function toJsonText(
  value: unknown,
  limits: SerializeLimits = SERIALIZE_DEFAULTS,
  given?: ArrayReads,
): string {
  const leaf = primitiveJson(value, limits);
  if (leaf !== undefined) return leaf; // most outputs: no ArrayReads made
  const reads = given ?? new ArrayReads();
  try {
    if (value !== undefined) {
      const plain = check(value, 0, limits, { left: limits.maxTotalNodes }, reads);
      if (plain !== SLOW) {
        const text = JSON.stringify(plain);
        if (typeof text === 'string') return text;
      }
    }
  } catch {
    // a getter or Proxy trap threw: the full serializer records it with a marker
  }
  try {
    return JSON.stringify(toJsonSafe(value, limits, reads.arrays)) ?? 'null';
  } catch {
    return '"[Unserializable]"';
  }
}

/**
 * JSON text of a call's inputs object (argument `i` under the key whose JSON, with its colon, is
 * `keyJson[i]`), exactly as `toJsonText` of that object would give it, without building the object:
 * the hot path of every traced call. Returns undefined when a value needs the full serializer (or a
 * getter throws); the caller then builds the object and takes the general path, passing the same
 * `reads` so that array elements read here are not read again.
 */
export function inputsJsonText(
  keyJson: readonly string[],
  args: readonly unknown[],
  limits: SerializeLimits,
  reads: ArrayReads = new ArrayReads(),
): string | undefined {
  const n = args.length;
  if (n > keyJson.length || n > limits.maxObjectKeys || limits.maxDepth <= 0 || limits.maxTotalNodes <= 0) {
    return undefined;
  }
  const budget = { left: limits.maxTotalNodes - 1 };
  let text = '';
  try {
    for (let i = 0; i < n; i++) {
      const value = args[i];
      if (value === undefined) {
        if (--budget.left < 0) return undefined;
        continue; // JSON.stringify leaves the key out
      }
      const key = keyJson[i]!; // `"name":`
      if (key.length - 3 > limits.maxStringLength) return undefined;
      let json = primitiveJson(value, limits);
      if (json !== undefined) {
        if (--budget.left < 0) return undefined;
      } else {
        const plain = check(value, 1, limits, budget, reads);
        if (plain === SLOW) return undefined;
        json = JSON.stringify(plain);
      }
      // Left to right, so that the short `{"key":` is one flat piece, not three.
      text = text === '' ? '{' + key + json : text + ',' + key + json;
    }
  } catch {
    return undefined;
  }
  return text === '' ? '{}' : `${text}}`;
}

/**
 * JSON of a finite number, a boolean, null or a string within the limits; undefined for anything else.
 * A number's text is `numberJson`'s (JSON.stringify's digits), not String's: String(n) goes through V8's
 * number-to-string cache, which keeps every string it makes until its slot is reused, so an argument
 * that differs per call (a counter, an id) left each call's string alive across young collections.
 * In a 50 000-call burst that was ~1 MB promoted, and enough survival that V8 doubled the young
 * generation (8 MiB of RSS more, half of weft's margin over OpenTelemetry; bench/rss).
 */
function primitiveJson(value: unknown, limits: SerializeLimits): string | undefined {
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? numberJson(value) : undefined;
    case 'string':
      return value.length <= limits.maxStringLength ? JSON.stringify(value) : undefined;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      return value === null ? 'null' : undefined;
    default:
      return undefined;
  }
}

/**
 * `value` itself, or a copy made of the array elements it read, if JSON.stringify of that gives exactly
 * what toJsonSafe + JSON.stringify would and runs no user code on the way (no getter, Proxy or
 * `toJSON`); SLOW otherwise. Array elements are read through `reads` (once per serialization), and an
 * array or object is copied only when one of its values was. May throw (an array index getter).
 */
function check(
  value: unknown,
  depth: number,
  limits: SerializeLimits,
  budget: { left: number },
  reads: ArrayReads,
): unknown {
  if (--budget.left < 0) return SLOW;
  switch (typeof value) {
    case 'string':
      return value.length <= limits.maxStringLength ? value : SLOW;
    case 'number':
      return Number.isFinite(value) ? value : SLOW;
    case 'boolean':
      return value;
    case 'undefined':
      return depth > 0 ? value : SLOW; // omitted in objects, null in arrays: the same either way
    case 'object': {
      if (value === null) return value;
      if (depth >= limits.maxDepth || isProxy(value)) return SLOW;
      if (Array.isArray(value)) return checkArray(value as unknown[], depth, limits, budget, reads);
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) return SLOW;
      if ('toJSON' in value) return SLOW;
      let keys = 0;
      let copy: Record<string, unknown> | undefined;
      for (const key in value) {
        if (++keys > limits.maxObjectKeys || key.length > limits.maxStringLength) return SLOW;
        // The descriptor, not `value[key]`: a getter is not run here (the full serializer runs it once).
        const d = ownDescriptor(value, key);
        if (d === undefined || d.get !== undefined || d.set !== undefined) return SLOW;
        const plain = check(d.value, depth + 1, limits, budget, reads);
        if (plain === SLOW) return SLOW;
        if (plain !== d.value && copy === undefined) copy = copyKeysBefore(value, key, proto === null);
        if (copy !== undefined) setOwn(copy, key, plain);
      }
      return copy ?? value;
    }
    default:
      return SLOW; // bigint, symbol, function
  }
}

function checkArray(
  value: unknown[],
  depth: number,
  limits: SerializeLimits,
  budget: { left: number },
  reads: ArrayReads,
): unknown {
  const n = value.length;
  if (n > limits.maxArrayLength) return SLOW;
  const seen = reads.of(value); // raw elements, each read once, kept for a later pass
  let copy: unknown[] | undefined; // made when an element's checked form is a copy
  for (let i = 0; i < n; i++) {
    let item: unknown;
    if (i < seen.length) {
      item = seen[i];
      if (thrownError(item) !== undefined) return SLOW;
    } else {
      try {
        item = value[i];
      } catch (err) {
        seen.push(thrownRead(err)); // the full serializer records it without a second read
        return SLOW;
      }
      seen.push(item);
    }
    const plain = check(item, depth + 1, limits, budget, reads);
    if (plain === SLOW) return SLOW;
    if (plain !== item && copy === undefined) copy = seen.slice(0, i);
    if (copy !== undefined) copy.push(plain);
  }
  return copy ?? (seen.length === n ? seen : seen.slice(0, n));
}

/**
 * A copy of the (already checked, getter-free) properties of `value` before `stop`, written through
 * `setOwn`: an ordinary object when `value` is one (a null-prototype object is a slow dictionary for
 * `JSON.stringify`).
 */
function copyKeysBefore(value: object, stop: string, nullProto: boolean): Record<string, unknown> {
  // A null-prototype value keeps one: its copy must not see a (polluted) Object.prototype.toJSON.
  const copy = (nullProto ? Object.create(null) : {}) as Record<string, unknown>;
  for (const key in value) {
    if (key === stop) break;
    setOwn(copy, key, ownDescriptor(value, key)!.value);
  }
  return copy;
}
