import { expectArray, sortKeysOf, toMicros } from '../query-operands.js';
import { ValidationError, describeValue } from '../../shared/errors.js';
import type { SortBy } from '../trace-store.js';
import { sqlNumber } from './sql-literal.js';
import type { CompareOp, Typed } from './typed-sql.js';
import {
  FALSE_SQL,
  TRUE_SQL,
  asText,
  compare,
  convert,
  inList,
  isNull,
  literal,
  sortKeys,
  truthy,
} from './typed-sql.js';

/**
 * Compiles Weave's `$expr` language and `sort_by` to ClickHouse SQL with the semantics the SQLite
 * store defines (sqlite-query.ts): literals are escaped by sql-literal.ts, never spliced; `$eq` with
 * null is IS NULL; logic is two-valued (every predicate is a non-null UInt8, so `$not` of a
 * comparison with a missing value is true); `$and []` is true, `$or []` and `$in []` false; time
 * fields take ISO-8601 strings or microseconds; `$contains` works on the text form, `case_insensitive`
 * folding ASCII only (positionCaseInsensitive, like SQLite's lower()); sorting puts NULL first
 * ascending, orders NULL < numbers < text, and breaks ties by `id` in the last key's direction.
 * Type rules are in typed-sql.ts. Field names are resolved by a {@link FieldResolver} (calls and
 * feedback have their own), so this module knows no table.
 */

export type FieldKind = 'text' | 'number' | 'time' | 'json';

export interface ResolvedField {
  value: Typed;
  kind: FieldKind;
  /** A specialised `field = literal` predicate (e.g. status); undefined falls back to a comparison. */
  equals?: (value: unknown) => string | undefined;
}

/**
 * Maps a `$getField` / `sort_by` field name to SQL; throws a ValidationError naming `where`. A resolver
 * with `superset` set compiles for pre-selection: a predicate may then also hold for rows that the exact
 * one rejects, never the reverse (call-query-sql.ts re-checks), which lets `$contains` on JSON strings
 * search their raw JSON text instead of unescaping every value.
 */
export type FieldResolver = ((field: string, where: string) => ResolvedField) & { superset?: boolean };

/** Characters that JSON.stringify escapes (and lone surrogates, which it writes as \\uXXXX). */
// eslint-disable-next-line no-control-regex
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

const COMPARISONS: Record<string, CompareOp> = { $eq: '=', $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };

interface Compiled {
  value: Typed;
  field?: ResolvedField;
  literal?: { value: unknown };
}

/** Compiles a `$expr` operand used as a condition: a non-null UInt8 predicate. */
export function compilePredicate(operand: unknown, resolve: FieldResolver, where = 'query.$expr'): string {
  return truthy(compileOperand(operand, resolve, where).value);
}

function compileOperand(operand: unknown, resolve: FieldResolver, where: string): Compiled {
  if (typeof operand !== 'object' || operand === null || Array.isArray(operand)) {
    throw new ValidationError(where, `expected an operand object, got ${describeValue(operand)}`);
  }
  const keys = Object.keys(operand);
  if (keys.length !== 1)
    throw new ValidationError(where, `expected exactly one operator, got ${describeValue(keys)}`);
  const op = keys[0] as string;
  const arg = (operand as Record<string, unknown>)[op];
  const at = `${where}.${op}`;
  const bool = (sql: string): Compiled => ({ value: { t: 'bool', sql } });
  switch (op) {
    case '$literal':
      if (typeof arg === 'bigint' || typeof arg === 'function' || typeof arg === 'symbol') {
        throw new ValidationError(at, `unsupported literal ${describeValue(arg)}`);
      }
      if (typeof arg === 'number' && !Number.isFinite(arg))
        throw new ValidationError(at, 'expected a finite number');
      return { value: literal(arg), literal: { value: arg } };
    case '$getField': {
      if (typeof arg !== 'string' || arg === '') throw new ValidationError(at, 'expected a field name');
      const field = resolve(arg, at);
      // Read lazily: a specialised `equals` may make the plain value unnecessary (see call-fields.ts).
      return {
        get value(): Typed {
          return field.value;
        },
        field,
      };
    }
    case '$convert':
      return { value: compileConvert(arg, resolve, at) };
    case '$and':
    case '$or': {
      const items = expectArray(arg, at).map((item, i) => compilePredicate(item, resolve, `${at}[${i}]`));
      if (items.length === 0) return bool(op === '$and' ? TRUE_SQL : FALSE_SQL);
      if (items.length === 1) return bool(items[0] as string);
      return bool(`(${items.join(op === '$and' ? ' AND ' : ' OR ')})`);
    }
    case '$not': {
      const items = expectArray(arg, at);
      if (items.length !== 1) throw new ValidationError(at, 'expected exactly one operand');
      return bool(`(NOT ${compilePredicate(items[0], resolve, `${at}[0]`)})`);
    }
    case '$eq':
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte':
      return bool(compileComparison(COMPARISONS[op] as CompareOp, arg, resolve, at));
    case '$in':
      return bool(compileIn(arg, resolve, at));
    case '$contains':
      return bool(compileContains(arg, resolve, at));
    default:
      throw new ValidationError(at, 'unknown operator');
  }
}

function compileComparison(op: CompareOp, arg: unknown, resolve: FieldResolver, at: string): string {
  const pair = expectArray(arg, at);
  if (pair.length !== 2) throw new ValidationError(at, 'expected exactly two operands');
  let left = compileOperand(pair[0], resolve, `${at}[0]`);
  let right = compileOperand(pair[1], resolve, `${at}[1]`);
  left = coerceForField(left, right.field, `${at}[0]`);
  right = coerceForField(right, left.field, `${at}[1]`);
  if (op === '=') {
    const special = specialEquals(left, right) ?? specialEquals(right, left);
    if (special !== undefined) return special;
    if (right.literal && right.literal.value === null) return isNull(left.value);
    if (left.literal && left.literal.value === null) return isNull(right.value);
  }
  return compare(left.value, op, right.value);
}

function specialEquals(field: Compiled, other: Compiled): string | undefined {
  if (!field.field?.equals || !other.literal) return undefined;
  return field.field.equals(other.literal.value);
}

/** A literal compared with a time field becomes microseconds. */
function coerceForField(side: Compiled, otherField: ResolvedField | undefined, at: string): Compiled {
  if (!side.literal || otherField?.kind !== 'time') return side;
  const us = toMicros(side.literal.value, at);
  return us === null
    ? { value: { t: 'null' }, literal: { value: null } }
    : { value: { t: 'num', sql: sqlNumber(us), affinity: 'none', literal: us }, literal: { value: us } };
}

/** `$in` lists longer than this become one `IN (...)` where they can (see `inList`), not ORs. */
const IN_LIST_OR_MAX = 32;

function compileIn(arg: unknown, resolve: FieldResolver, at: string): string {
  const pair = expectArray(arg, at);
  if (pair.length !== 2) throw new ValidationError(at, 'expected [operand, [operands...]]');
  const needle = compileOperand(pair[0], resolve, `${at}[0]`);
  const list = expectArray(pair[1], `${at}[1]`);
  if (list.length === 0) return FALSE_SQL;
  const items = list.map((item, i) =>
    coerceForField(compileOperand(item, resolve, `${at}[1][${i}]`), needle.field, `${at}[1][${i}]`),
  );
  if (!needle.field?.equals && items.length > IN_LIST_OR_MAX) {
    const asIn = inList(
      needle.value,
      items.map((item) => item.value),
    );
    if (asIn !== undefined) return asIn;
  }
  const preds = items.map((item) => {
    const special = specialEquals(needle, item);
    if (special !== undefined) return special;
    return compare(needle.value, '=', item.value);
  });
  return preds.length === 1 ? (preds[0] as string) : `(${preds.join(' OR ')})`;
}

function compileContains(arg: unknown, resolve: FieldResolver, at: string): string {
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg)) {
    throw new ValidationError(at, 'expected { input, substr, case_insensitive? }');
  }
  const { input, substr, case_insensitive } = arg as Record<string, unknown>;
  if (case_insensitive !== undefined && case_insensitive !== null && typeof case_insensitive !== 'boolean') {
    throw new ValidationError(`${at}.case_insensitive`, 'expected a boolean');
  }
  const hay = compileOperand(input, resolve, `${at}.input`).value;
  const needle = compileOperand(substr, resolve, `${at}.substr`);
  const fn = case_insensitive ? 'positionCaseInsensitive' : 'position';
  const text = needle.literal?.value;
  if (
    resolve.superset &&
    hay.t === 'json' &&
    typeof text === 'string' &&
    text !== '' &&
    text !== '0' &&
    text !== '1' &&
    !ESCAPED.test(text)
  ) {
    // Wherever a needle with no character that JSON escapes occurs in a value's text form, it occurs
    // in the whole column's JSON text too (a boolean's text form, 1 / 0, is excluded above): a plain
    // substring scan of one column, no per-row path lookup.
    return `ifNull(${fn}(${hay.node.column}, ${(needle.value as { sql: string }).sql}) > 0, 0)`;
  }
  return `ifNull(${fn}(${asText(hay)}, ${asText(needle.value)}) > 0, 0)`;
}

function compileConvert(arg: unknown, resolve: FieldResolver, at: string): Typed {
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg)) {
    throw new ValidationError(at, 'expected { input, to }');
  }
  const { input, to } = arg as Record<string, unknown>;
  const x = compileOperand(input, resolve, `${at}.input`).value;
  if (to === 'int' || to === 'double' || to === 'string' || to === 'bool') return convert(x, to);
  throw new ValidationError(`${at}.to`, `expected int, double, bool or string, got ${describeValue(to)}`);
}

/** Compiles `sort_by` to an ORDER BY list (without the keyword), with the `id` tie-breaker appended. */
export function compileSort(
  sortBy: SortBy[] | undefined,
  resolve: FieldResolver,
  fallback: SortBy[],
  where = 'sort_by',
  idSql = 'id',
): string {
  const { keys, tieBreak } = sortKeysOf(sortBy, fallback, where);
  const parts = keys.flatMap((key) => sortKeys(resolve(key.field, `${key.at}.field`).value, key.direction));
  if (tieBreak) parts.push(`${idSql} ${tieBreak}`);
  return parts.join(', ');
}
