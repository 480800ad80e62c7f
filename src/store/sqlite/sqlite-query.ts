import { expectArray, sortKeysOf, toMicros } from '../query-operands.js';
import type { SortBy } from '../trace-store.js';
import { ValidationError, describeValue } from '../../shared/errors.js';
import type { SqlFragment } from './sql-fragment.js';
import { bindable, join } from './sql-fragment.js';

/**
 * Compiles the Weave `$expr` query language and `sort_by` to SQLite SQL. Field names are resolved by a
 * {@link FieldResolver} (calls and feedback have their own), so this module knows no table.
 *
 * Semantics (a ClickHouse store must mirror them; the calls-specific ones are in call-fields.ts and
 * call-query-sql.ts):
 * - Every `$literal` is a bound parameter, never interpolated. Booleans bind as 1/0, objects and
 *   arrays as their JSON text, null as SQL NULL.
 * - `$getField` takes a top-level field or a dotted path into a JSON column (`inputs.a.b`). A dotted
 *   path reads the JSON value there (a segment of digits indexes an array): strings as text, numbers
 *   as numbers, booleans as 1/0, objects/arrays as compact JSON text, a missing path or JSON null as
 *   NULL. Unknown fields and bad paths raise a ValidationError whose `path` is the `$getField` location.
 * - Time fields (`started_at`, `ended_at`, `created_at`) are integer microseconds. A literal compared
 *   with a time field (`$eq $gt $gte $lt $lte $in`) may be an ISO-8601 string (any precision, `Z` or
 *   offset; converted) or a number (microseconds); any other literal is a ValidationError.
 * - `$eq` with a null literal means IS NULL. Otherwise comparisons follow SQLite ordering across types
 *   (NULL < numbers < text): `inputs.n > '5'` is false for a number; use `$convert` to compare across.
 * - Logic is two-valued: a comparison involving a missing value (NULL) is false, and `$not` of it is
 *   true (`NOT` is compiled as `IS NOT TRUE`). `$and []` is true, `$or []` is false, `$in` with an
 *   empty list is false.
 * - `$contains` is a substring test on the text form of `input` (numbers are converted to text); an
 *   empty `substr` matches any non-null input; a null input never matches. `case_insensitive` folds
 *   ASCII letters only.
 * - `$convert` to `int` / `double` / `string` are SQL casts (text gives its leading number, else 0);
 *   to `bool`: 'true'/'false' (any case) map to 1/0, anything else is `number != 0`, NULL stays NULL.
 * - `sort_by`: same fields as `$getField`; NULL is the smallest value (first ascending, last
 *   descending); values of different types sort NULL < numbers < text. Ties are broken by `id`, in the
 *   direction of the last sort key.
 */

/** How a resolved field behaves in comparisons. */
export type FieldKind = 'text' | 'number' | 'time' | 'json';

export interface ResolvedField extends SqlFragment {
  kind: FieldKind;
  /**
   * A specialised `field = literal` predicate (e.g. derived `status` compiled to column tests so that
   * indexes apply). Returns undefined to fall back to a plain comparison.
   */
  equals?: (value: unknown) => SqlFragment | undefined;
}

/** Maps a `$getField` / `sort_by` field name to SQL; throws a ValidationError naming `where`. */
export type FieldResolver = (field: string, where: string) => ResolvedField;

const COMPARISONS = { $eq: '=', $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' } as const;
type ComparisonOp = keyof typeof COMPARISONS;

const TRUE: SqlFragment = { sql: '1', params: [] };
const FALSE: SqlFragment = { sql: '0', params: [] };

/** Compiles one `$expr` operand (or operation) to an SQL expression. */
export function compileExpr(operand: unknown, resolve: FieldResolver, where = 'query.$expr'): SqlFragment {
  return compileOperand(operand, resolve, where).fragment;
}

interface Compiled {
  fragment: SqlFragment;
  /** Set when the operand is a bare `$getField`. */
  field?: ResolvedField;
  /** Set when the operand is a bare `$literal`. */
  literal?: { value: unknown };
}

function compileOperand(operand: unknown, resolve: FieldResolver, where: string): Compiled {
  if (typeof operand !== 'object' || operand === null || Array.isArray(operand)) {
    throw new ValidationError(where, `expected an operand object, got ${describeValue(operand)}`);
  }
  const keys = Object.keys(operand);
  if (keys.length !== 1) {
    throw new ValidationError(where, `expected exactly one operator, got ${describeValue(keys)}`);
  }
  const op = keys[0] as string;
  const arg = (operand as Record<string, unknown>)[op];
  const at = `${where}.${op}`;
  switch (op) {
    case '$literal':
      return { fragment: { sql: '?', params: [bindable(arg, at)] }, literal: { value: arg } };
    case '$getField': {
      if (typeof arg !== 'string' || arg === '') throw new ValidationError(at, 'expected a field name');
      const field = resolve(arg, at);
      return { fragment: { sql: field.sql, params: field.params }, field };
    }
    case '$convert':
      return { fragment: compileConvert(arg, resolve, at) };
    case '$and':
    case '$or': {
      const items = expectArray(arg, at).map((item, i) => compileExpr(item, resolve, `${at}[${i}]`));
      if (items.length === 0) return { fragment: op === '$and' ? TRUE : FALSE };
      return { fragment: join(items, op === '$and' ? ' AND ' : ' OR ') };
    }
    case '$not': {
      const items = expectArray(arg, at);
      if (items.length !== 1) throw new ValidationError(at, 'expected exactly one operand');
      const inner = compileExpr(items[0], resolve, `${at}[0]`);
      return { fragment: { sql: `((${inner.sql}) IS NOT TRUE)`, params: inner.params } };
    }
    case '$eq':
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte':
      return { fragment: compileComparison(op, arg, resolve, at) };
    case '$in':
      return { fragment: compileIn(arg, resolve, at) };
    case '$contains':
      return { fragment: compileContains(arg, resolve, at) };
    default:
      throw new ValidationError(at, 'unknown operator');
  }
}

function compileComparison(op: ComparisonOp, arg: unknown, resolve: FieldResolver, at: string): SqlFragment {
  const pair = expectArray(arg, at);
  if (pair.length !== 2) throw new ValidationError(at, 'expected exactly two operands');
  let left = compileOperand(pair[0], resolve, `${at}[0]`);
  let right = compileOperand(pair[1], resolve, `${at}[1]`);
  left = coerceForField(left, right.field, `${at}[0]`);
  right = coerceForField(right, left.field, `${at}[1]`);
  if (op === '$eq') {
    const special = specialEquals(left, right) ?? specialEquals(right, left);
    if (special) return special;
    if (right.literal && right.literal.value === null)
      return { sql: `(${left.fragment.sql} IS NULL)`, params: left.fragment.params };
    if (left.literal && left.literal.value === null)
      return { sql: `(${right.fragment.sql} IS NULL)`, params: right.fragment.params };
  }
  return {
    sql: `(${left.fragment.sql} ${COMPARISONS[op]} ${right.fragment.sql})`,
    params: [...left.fragment.params, ...right.fragment.params],
  };
}

function specialEquals(field: Compiled, other: Compiled): SqlFragment | undefined {
  if (!field.field?.equals || !other.literal) return undefined;
  return field.field.equals(other.literal.value);
}

/** A literal compared with a time field becomes microseconds. */
function coerceForField(side: Compiled, otherField: ResolvedField | undefined, at: string): Compiled {
  if (!side.literal || otherField?.kind !== 'time') return side;
  const us = toMicros(side.literal.value, at);
  return { fragment: { sql: '?', params: [us] }, literal: { value: us } };
}

/** `$in` lists longer than this are bound as one JSON array (`json_each`) instead of one `?` each. */
const IN_LIST_INLINE_MAX = 32;

function isOneScalarParam(f: SqlFragment): boolean {
  const [p] = f.params;
  return f.sql === '?' && f.params.length === 1 && (typeof p === 'string' || typeof p === 'number');
}

function compileIn(arg: unknown, resolve: FieldResolver, at: string): SqlFragment {
  const pair = expectArray(arg, at);
  if (pair.length !== 2) throw new ValidationError(at, 'expected [operand, [operands...]]');
  const needle = compileOperand(pair[0], resolve, `${at}[0]`);
  const list = expectArray(pair[1], `${at}[1]`);
  if (list.length === 0) return FALSE;
  const items = list.map((item, i) =>
    coerceForField(compileOperand(item, resolve, `${at}[1][${i}]`), needle.field, `${at}[1][${i}]`),
  );
  if (needle.field?.equals && items.every((item) => item.literal)) {
    const preds = items.map((item) => needle.field?.equals?.(item.literal?.value));
    if (preds.every((p): p is SqlFragment => p !== undefined)) return join(preds, ' OR ');
  }
  const values = items.map((item) => item.fragment);
  if (values.length > IN_LIST_INLINE_MAX && values.every(isOneScalarParam)) {
    // A long list is one JSON parameter: SQLite allows at most 32 766 bound variables per statement.
    return {
      sql: `(${needle.fragment.sql} IN (SELECT value FROM json_each(?)))`,
      params: [...needle.fragment.params, JSON.stringify(values.map((v) => v.params[0]))],
    };
  }
  return {
    sql: `(${needle.fragment.sql} IN (${values.map((v) => v.sql).join(', ')}))`,
    params: [...needle.fragment.params, ...values.flatMap((v) => v.params)],
  };
}

function compileContains(arg: unknown, resolve: FieldResolver, at: string): SqlFragment {
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg)) {
    throw new ValidationError(at, 'expected { input, substr, case_insensitive? }');
  }
  const { input, substr, case_insensitive } = arg as Record<string, unknown>;
  if (case_insensitive !== undefined && case_insensitive !== null && typeof case_insensitive !== 'boolean') {
    throw new ValidationError(`${at}.case_insensitive`, 'expected a boolean');
  }
  const hay = compileExpr(input, resolve, `${at}.input`);
  const needle = compileExpr(substr, resolve, `${at}.substr`);
  const sql = case_insensitive
    ? `(instr(lower(${hay.sql}), lower(${needle.sql})) > 0)`
    : `(instr(${hay.sql}, ${needle.sql}) > 0)`;
  return { sql, params: [...hay.params, ...needle.params] };
}

function compileConvert(arg: unknown, resolve: FieldResolver, at: string): SqlFragment {
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg)) {
    throw new ValidationError(at, 'expected { input, to }');
  }
  const { input, to } = arg as Record<string, unknown>;
  const x = compileExpr(input, resolve, `${at}.input`);
  switch (to) {
    case 'int':
      return { sql: `CAST(${x.sql} AS INTEGER)`, params: x.params };
    case 'double':
      return { sql: `CAST(${x.sql} AS REAL)`, params: x.params };
    case 'string':
      return { sql: `CAST(${x.sql} AS TEXT)`, params: x.params };
    case 'bool':
      return {
        sql:
          `(CASE WHEN ${x.sql} IS NULL THEN NULL WHEN lower(${x.sql}) = 'true' THEN 1 ` +
          `WHEN lower(${x.sql}) = 'false' THEN 0 ELSE CAST(${x.sql} AS REAL) <> 0 END)`,
        params: [...x.params, ...x.params, ...x.params, ...x.params],
      };
    default:
      throw new ValidationError(`${at}.to`, `expected int, double, bool or string, got ${describeValue(to)}`);
  }
}

/** Compiles `sort_by` to an ORDER BY list (without the keyword), with the `id` tie-breaker appended. */
export function compileSort(
  sortBy: SortBy[] | undefined,
  resolve: FieldResolver,
  fallback: SortBy[],
  where = 'sort_by',
): SqlFragment {
  const { keys, tieBreak } = sortKeysOf(sortBy, fallback, where);
  const parts: SqlFragment[] = keys.map((key) => {
    const field = resolve(key.field, `${key.at}.field`);
    return { sql: `${field.sql} ${key.direction}`, params: field.params };
  });
  if (tieBreak) parts.push({ sql: `id ${tieBreak}`, params: [] });
  return { sql: parts.map((p) => p.sql).join(', '), params: parts.flatMap((p) => p.params) };
}
