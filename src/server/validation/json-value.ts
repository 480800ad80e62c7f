import { JSON_LIMITS } from '../../shared/json-limits.js';
import { ValidationError } from '../../shared/errors.js';
import { RawJson } from '../../shared/raw-json.js';

/**
 * Checks a JSON value from a request before it is stored: nested at most `JSON_LIMITS.maxDepth`
 * levels, and every number finite (`JSON.parse` turns `1e400` into Infinity, which `JSON.stringify`
 * would silently store as null). A failure is a ValidationError at `path` (`batch[0].inputs`) whose
 * message names the offending place inside the value. Recursion stops at the depth limit, so a deep
 * value cannot overflow the stack. A `RawJson` value was checked for both when it was kept
 * (src/server/offload/parse-keeping-raw.ts, at `JSON_LIMITS.maxDepth`).
 */
export function checkJsonValue(value: unknown, path: string, maxDepth: number = JSON_LIMITS.maxDepth): void {
  if (value instanceof RawJson) return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ValidationError(path, `expected a finite number, got ${value}`);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const problem = visit(value, maxDepth - 1);
  if (problem === undefined) return;
  const inside = problem.keys.length === 0 ? '' : ` (at ${problem.keys.reverse().join('')})`;
  const message =
    problem.kind === 'depth'
      ? `is nested deeper than ${maxDepth} levels of objects and arrays, the most the server stores`
      : `must not contain a non-finite number${inside}; got ${problem.value}`;
  throw new ValidationError(path, message);
}

interface Problem {
  kind: 'depth' | 'number';
  value?: number;
  /** Path segments from the failing node up (`.a`, `[3]`), reversed when reported. */
  keys: string[];
}

/** Visits the children of a container that may hold `room` more container levels. */
function visit(container: object, room: number): Problem | undefined {
  if (Array.isArray(container)) {
    for (let i = 0; i < container.length; i++) {
      const problem = child(container[i] as unknown, room);
      if (problem) {
        problem.keys.push(`[${i}]`);
        return problem;
      }
    }
    return undefined;
  }
  const record = container as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const problem = child(record[key], room);
    if (problem) {
      problem.keys.push(`.${key}`);
      return problem;
    }
  }
  return undefined;
}

function child(value: unknown, room: number): Problem | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? undefined : { kind: 'number', value, keys: [] };
  }
  if (typeof value !== 'object' || value === null) return undefined;
  if (room === 0) return { kind: 'depth', keys: [] };
  return visit(value, room - 1);
}
