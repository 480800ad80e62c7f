import { SERIALIZE_DEFAULTS, toJsonSafe, type SerializeLimits } from './serialize.js';

/**
 * JSON text of any value, as `JSON.stringify(toJsonSafe(value, limits))` would give it, but without
 * building the JSON-safe copy when there is nothing to convert: a value made only of plain objects,
 * arrays, finite numbers, booleans, null and strings within the limits goes straight to the native
 * `JSON.stringify`. That is the common case (inputs and outputs of LLM calls) and the hot path of
 * every traced call. Anything else, or anything that throws while being read, takes the full
 * serializer. Never throws.
 */
export function toJsonText(value: unknown, limits: SerializeLimits = SERIALIZE_DEFAULTS): string {
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

/** True if JSON.stringify gives exactly what toJsonSafe + JSON.stringify would. May throw (getters). */
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
      if (depth >= limits.maxDepth) return false;
      if (Array.isArray(value)) {
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
        if (!check((value as Record<string, unknown>)[key], depth + 1, limits, budget)) return false;
      }
      return true;
    }
    default:
      return false; // bigint, symbol, function
  }
}
