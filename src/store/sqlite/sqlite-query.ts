import { sortKeysOf } from '../query-operands.js';
import type { SortBy } from '../trace-store.js';
import { walkOperand, type ExprDialect, type WalkedField } from '../expr-walker.js';
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

export type { FieldKind } from '../expr-walker.js';

export interface ResolvedField extends SqlFragment, WalkedField<SqlFragment> {
  /**
   * A specialised `field = literal` predicate (e.g. derived `status` compiled to column tests so that
   * indexes apply). Returns undefined to fall back to a plain comparison.
   */
  equals?: (value: unknown) => SqlFragment | undefined;
}

/** Maps a `$getField` / `sort_by` field name to SQL; throws a ValidationError naming `where`. */
export type FieldResolver = (field: string, where: string) => ResolvedField;

/** Compiles one `$expr` operand (or operation) to an SQL expression. */
export function compileExpr(operand: unknown, resolve: FieldResolver, where = 'query.$expr'): SqlFragment {
  return walkOperand(sqliteDialect(resolve), operand, where).value;
}

/** `$in` lists longer than this are bound as one JSON array (`json_each`) instead of one `?` each. */
const IN_LIST_INLINE_MAX = 32;

const bound = (value: unknown): SqlFragment => ({ sql: '?', params: [value] });

function isOneScalarParam(f: SqlFragment): boolean {
  const [p] = f.params;
  return f.sql === '?' && f.params.length === 1 && (typeof p === 'string' || typeof p === 'number');
}

/** SQLite's SQL for the shared `$expr` walk: values and predicates are both fragments with `?` params. */
function sqliteDialect(resolve: FieldResolver): ExprDialect<SqlFragment, SqlFragment, ResolvedField> {
  return {
    resolve,
    fieldValue: (field) => ({ sql: field.sql, params: field.params }),
    literal: (value, at) => bound(bindable(value, at)),
    micros: bound,
    TRUE: { sql: '1', params: [] },
    FALSE: { sql: '0', params: [] },
    truthy: (value) => value,
    asValue: (predicate) => predicate,
    and: (items) => join(items, ' AND '),
    or: (items) => join(items, ' OR '),
    not: (inner) => ({ sql: `((${inner.sql}) IS NOT TRUE)`, params: inner.params }),
    compare: (left, op, right) => ({
      sql: `(${left.sql} ${op} ${right.sql})`,
      params: [...left.params, ...right.params],
    }),
    isNull: (value) => ({ sql: `(${value.sql} IS NULL)`, params: value.params }),
    in(needle, items) {
      const n = needle.value;
      const values = items.map((item) => item.value);
      if (values.length > IN_LIST_INLINE_MAX && values.every(isOneScalarParam)) {
        // A long list is one JSON parameter: SQLite allows at most 32 766 bound variables per statement.
        return {
          sql: `(${n.sql} IN (SELECT value FROM json_each(?)))`,
          params: [...n.params, JSON.stringify(values.map((v) => v.params[0]))],
        };
      }
      return {
        sql: `(${n.sql} IN (${values.map((v) => v.sql).join(', ')}))`,
        params: [...n.params, ...values.flatMap((v) => v.params)],
      };
    },
    contains(hay, needle, caseInsensitive) {
      const h = hay.value;
      const x = needle.value;
      const sql = caseInsensitive
        ? `(instr(lower(${h.sql}), lower(${x.sql})) > 0)`
        : `(instr(${h.sql}, ${x.sql}) > 0)`;
      return { sql, params: [...h.params, ...x.params] };
    },
    convert(x, to) {
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
      }
    },
  };
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
