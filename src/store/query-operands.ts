import { CALL_RECORD_FIELDS } from '../shared/call-types.js';
import { ValidationError, describeValue } from '../shared/errors.js';
import { isoToMicros } from '../shared/time.js';
import { MIN_TRUNCATE_BYTES } from '../shared/api-types.js';
import type { CallsFilter } from '../shared/query-types.js';

/**
 * Store-independent pieces of the query language that every store's compiler shares, so that the
 * stores validate queries and name the offending field the same way (the contract suite checks it).
 */

export type RecordField = (typeof CALL_RECORD_FIELDS)[number];

/** An operand that must be an array; a ValidationError at `at` otherwise. */
export function expectArray(value: unknown, at: string): unknown[] {
  if (!Array.isArray(value)) throw new ValidationError(at, 'expected an array');
  return value;
}

/** A literal compared with `started_at`/`ended_at`: an ISO-8601 string or microseconds, as microseconds. */
export function toMicros(value: unknown, at: string): number | null {
  if (value === null) return null;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const us = isoToMicros(value);
    if (us !== undefined) return us;
  }
  throw new ValidationError(at, `expected an ISO-8601 time or microseconds, got ${describeValue(value)}`);
}

const ALWAYS: readonly RecordField[] = ['project_id', 'id', 'status'];

/**
 * The record fields to return for a `columns` list: `id`, `project_id` and `status` always; a dotted
 * entry selects its top-level field; names the store knows but that are not record fields (e.g.
 * `latency_ms`) are accepted and ignored. `isField` says which names the store knows; an unknown name
 * is a ValidationError.
 */
export function selectedFields(
  columns: string[] | undefined,
  isField: (name: string) => boolean,
  where = 'columns',
): RecordField[] {
  if (columns === undefined) return [...CALL_RECORD_FIELDS];
  if (!Array.isArray(columns)) throw new ValidationError(where, 'expected an array of field names');
  const wanted = new Set<string>(ALWAYS);
  columns.forEach((column, i) => {
    if (typeof column !== 'string') throw new ValidationError(`${where}[${i}]`, 'expected a field name');
    const head = column.split('.')[0] as string;
    if (!isField(head)) throw new ValidationError(`${where}[${i}]`, `unknown call field "${column}"`);
    wanted.add(head);
  });
  return CALL_RECORD_FIELDS.filter((f) => wanted.has(f));
}

/** One validated `sort_by` key: the field, its SQL direction and where it stands (for errors). */
export interface SortKey {
  field: string;
  direction: 'ASC' | 'DESC';
  at: string;
}

/**
 * Validates `sort_by` (or takes `fallback` when it is missing or empty) into keys, and says whether the
 * `id` tie-breaker must be appended (it is, in the direction of the last key, unless `id` is a key).
 */
export function sortKeysOf(
  sortBy: unknown,
  fallback: readonly { field: string; direction: string }[],
  where: string,
): { keys: SortKey[]; tieBreak: 'ASC' | 'DESC' | undefined } {
  if (sortBy !== undefined && !Array.isArray(sortBy)) throw new ValidationError(where, 'expected an array');
  const given = sortBy && sortBy.length > 0 ? (sortBy as unknown[]) : fallback;
  const keys = given.map((key, i): SortKey => {
    const at = `${where}[${i}]`;
    const k = key as { field?: unknown; direction?: unknown } | null;
    if (typeof k !== 'object' || k === null || typeof k.field !== 'string' || k.field === '') {
      throw new ValidationError(`${at}.field`, 'expected a field name');
    }
    if (k.direction !== 'asc' && k.direction !== 'desc') {
      throw new ValidationError(`${at}.direction`, `expected asc or desc, got ${describeValue(k.direction)}`);
    }
    return { field: k.field, direction: k.direction === 'asc' ? 'ASC' : 'DESC', at };
  });
  const last = keys[keys.length - 1]?.direction ?? 'ASC';
  return { keys, tieBreak: keys.some((k) => k.field === 'id') ? undefined : last };
}

/** A query's `truncate_values_over`: undefined when absent, else an integer of at least MIN_TRUNCATE_BYTES. */
export function truncateOver(value: unknown, where = 'truncate_values_over'): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < MIN_TRUNCATE_BYTES) {
    throw new ValidationError(
      where,
      `expected an integer of at least ${MIN_TRUNCATE_BYTES}, got ${describeValue(value)}`,
    );
  }
  return value;
}

/** A query's `filter`: `{}` when absent, a ValidationError naming `filter` when it is not an object. */
export function callsFilterOf(filter: unknown): CallsFilter {
  if (filter === undefined || filter === null) return {};
  if (typeof filter !== 'object' || Array.isArray(filter))
    throw new ValidationError('filter', 'expected an object');
  return filter as CallsFilter;
}

/** An operand that must be an array of strings; a ValidationError at `where` otherwise. */
export function stringList(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new ValidationError(where, 'expected an array of strings');
  }
  return value;
}

/** `filter.op_names` split into exact names and `name:*` prefixes (each kept with its trailing `:`). */
export function opNamePatterns(value: unknown): { exact: string[]; prefixes: string[] } {
  const names = stringList(value, 'filter.op_names');
  return {
    exact: names.filter((n) => !n.endsWith(':*')),
    prefixes: names.filter((n) => n.endsWith(':*')).map((n) => n.slice(0, -1)),
  };
}
