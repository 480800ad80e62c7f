import { types } from 'node:util';
import { SERIALIZE_DEFAULTS, toJsonSafe, type SerializeLimits } from './serialize.js';

const isProxy = types.isProxy;
const ownDescriptor = Object.getOwnPropertyDescriptor;

/**
 * JSON text of any value, as `JSON.stringify(toJsonSafe(value, limits))` would give it, but without
 * building the JSON-safe copy when there is nothing to convert: a value made only of plain objects,
 * arrays, finite numbers, booleans, null and strings within the limits goes straight to the native
 * `JSON.stringify`. That is the common case (inputs and outputs of LLM calls) and the hot path of
 * every traced call. Anything else, or anything that throws while being read, takes the full
 * serializer. Never throws.
 *
 * The check before `JSON.stringify` runs no user code on objects: it reads their properties through
 * their descriptors, and an accessor (a getter) or a Proxy sends the value to the full serializer, so
 * that a getter runs once per serialization, not once to check and once more to stringify.
 */
export function toJsonText(value: unknown, limits: SerializeLimits = SERIALIZE_DEFAULTS): string {
  const leaf = primitiveJson(value, limits);
  if (leaf !== undefined) return leaf;
  try {
    if (value !== undefined && isPlainJson(value, limits)) {
      const text = JSON.stringify(value);
      if (typeof text === 'string') return text;
    }
  } catch {
    // a getter or Proxy trap threw: the full serializer records it with a marker
  }
  try {
    return JSON.stringify(toJsonSafe(value, limits)) ?? 'null';
  } catch {
    return '"[Unserializable]"';
  }
}

/**
 * JSON text of a call's inputs object (argument `i` under the key whose JSON, with its colon, is
 * `keyJson[i]`), exactly as `toJsonText` of that object would give it, without building the object:
 * the hot path of every traced call. Returns undefined when a value needs the full serializer (or a
 * getter throws); the caller then builds the object and takes the general path.
 */
export function inputsJsonText(
  keyJson: readonly string[],
  args: readonly unknown[],
  limits: SerializeLimits,
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
      } else if (check(value, 1, limits, budget)) json = JSON.stringify(value);
      else return undefined;
      // Left to right, so that the short `{"key":` is one flat piece, not three.
      text = text === '' ? '{' + key + json : text + ',' + key + json;
    }
  } catch {
    return undefined;
  }
  return text === '' ? '{}' : `${text}}`;
}

/** JSON of a finite number, a boolean, null or a string within the limits; undefined for anything else. */
function primitiveJson(value: unknown, limits: SerializeLimits): string | undefined {
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? String(value) : undefined;
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
 * True if JSON.stringify gives exactly what toJsonSafe + JSON.stringify would, and would run no user
 * code on the way (no getter, Proxy or `toJSON`). May throw (an array index getter).
 */
function isPlainJson(root: unknown, limits: SerializeLimits): boolean {
  return check(root, 0, limits, { left: limits.maxTotalNodes });
}

function check(value: unknown, depth: number, limits: SerializeLimits, budget: { left: number }): boolean {
  if (--budget.left < 0) return false;
  switch (typeof value) {
    case 'string':
      return value.length <= limits.maxStringLength;
    case 'number':
      return Number.isFinite(value);
    case 'boolean':
      return true;
    case 'undefined':
      return depth > 0; // omitted in objects, null in arrays: the same either way
    case 'object': {
      if (value === null) return true;
      if (depth >= limits.maxDepth || isProxy(value)) return false;
      if (Array.isArray(value)) {
        // Elements are read directly (descriptors would double the cost of a long array): an array
        // with an index getter is rare enough to have it read twice.
        if (value.length > limits.maxArrayLength) return false;
        for (let i = 0; i < value.length; i++) if (!check(value[i], depth + 1, limits, budget)) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) return false;
      if ('toJSON' in value) return false;
      let keys = 0;
      for (const key in value) {
        if (++keys > limits.maxObjectKeys || key.length > limits.maxStringLength) return false;
        // The descriptor, not `value[key]`: a getter is not run here (the full serializer runs it once).
        const d = ownDescriptor(value, key);
        if (d === undefined || d.get !== undefined || d.set !== undefined) return false;
        if (!check(d.value, depth + 1, limits, budget)) return false;
      }
      return true;
    }
    default:
      return false; // bigint, symbol, function
  }
}
