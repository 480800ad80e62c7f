import { ValidationError, describeValue } from '../../shared/errors.js';

/** SQL snippets with their bound parameters, and the small helpers shared by the SQLite query modules. */

/** An SQL snippet with its positional (`?`) parameters in order. */
export interface SqlFragment {
  sql: string;
  params: unknown[];
}

/** A JS value as an SQLite parameter. */
export function bindable(value: unknown, where: string): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ValidationError(where, 'expected a finite number');
    return value;
  }
  if (typeof value === 'object') return JSON.stringify(value);
  throw new ValidationError(where, `unsupported literal ${describeValue(value)}`);
}

/** `IN (...)` over a list of literals; long lists go through one JSON parameter. */
export function inList(columnSql: string, values: readonly unknown[]): SqlFragment {
  if (values.length > 100) {
    return { sql: `${columnSql} IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(values)] };
  }
  return { sql: `${columnSql} IN (${values.map(() => '?').join(', ')})`, params: [...values] };
}

export function join(parts: SqlFragment[], separator: string): SqlFragment {
  if (parts.length === 1) return parts[0] as SqlFragment;
  return {
    sql: `(${parts.map((p) => p.sql).join(separator)})`,
    params: parts.flatMap((p) => p.params),
  };
}

/**
 * A dotted path (`a.b.0`) after a JSON column name, as a SQLite JSON path (`$."a"."b"[0]`): a segment
 * of digits indexes an array, any other segment is an object key.
 */
export function toJsonPath(segments: string[], where: string): string {
  let path = '$';
  for (const segment of segments) {
    if (segment === '' || /["\\]/.test(segment) || [...segment].some((ch) => ch.charCodeAt(0) < 0x20)) {
      throw new ValidationError(where, `invalid path segment ${describeValue(segment)}`);
    }
    path += /^\d+$/.test(segment) ? `[${segment}]` : `."${segment}"`;
  }
  return path;
}

/** A `limit` / `offset` value: undefined when absent, else a non-negative integer. */
export function optionalCount(value: unknown, where: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ValidationError(where, `expected a non-negative integer, got ${describeValue(value)}`);
  }
  return value;
}
