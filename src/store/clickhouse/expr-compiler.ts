import { sortKeysOf } from '../query-operands.js';
import { walkPredicate, type ExprDialect, type Operand, type WalkedField } from '../expr-walker.js';
import { ValidationError, describeValue } from '../../shared/errors.js';
import type { SortBy } from '../trace-store.js';
import { sqlNumber } from './sql-literal.js';
import type { Typed } from './typed-sql.js';
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
 * Type rules are in typed-sql.ts. This is the ClickHouse dialect of the shared walk
 * (../expr-walker.ts). Field names are resolved by a {@link FieldResolver} (calls and feedback have
 * their own), so this module knows no table.
 */

export type { FieldKind } from '../expr-walker.js';

export interface ResolvedField extends WalkedField<string> {
  value: Typed;
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

/** Compiles a `$expr` operand used as a condition: a non-null UInt8 predicate. */
export function compilePredicate(operand: unknown, resolve: FieldResolver, where = 'query.$expr'): string {
  return walkPredicate(clickhouseDialect(resolve), operand, where);
}

/** `$in` lists longer than this become one `IN (...)` where they can (see `inList`), not ORs. */
const IN_LIST_OR_MAX = 32;

type Compiled = Operand<Typed, ResolvedField>;

function specialEquals(field: Compiled, other: Compiled): string | undefined {
  if (!field.field?.equals || !other.literal) return undefined;
  return field.field.equals(other.literal.value);
}

/** ClickHouse SQL for the shared `$expr` walk: typed values (typed-sql.ts), non-null UInt8 predicates. */
function clickhouseDialect(resolve: FieldResolver): ExprDialect<Typed, string, ResolvedField> {
  return {
    resolve,
    fieldValue: (field) => field.value,
    literal(value, at) {
      if (typeof value === 'bigint' || typeof value === 'function' || typeof value === 'symbol') {
        throw new ValidationError(at, `unsupported literal ${describeValue(value)}`);
      }
      if (typeof value === 'number' && !Number.isFinite(value))
        throw new ValidationError(at, 'expected a finite number');
      return literal(value);
    },
    micros: (us) =>
      us === null ? { t: 'null' } : { t: 'num', sql: sqlNumber(us), affinity: 'none', literal: us },
    TRUE: TRUE_SQL,
    FALSE: FALSE_SQL,
    truthy,
    asValue: (sql) => ({ t: 'bool', sql }),
    and: (items) => (items.length === 1 ? items[0]! : `(${items.join(' AND ')})`),
    or: (items) => (items.length === 1 ? items[0]! : `(${items.join(' OR ')})`),
    not: (item) => `(NOT ${item})`,
    compare,
    isNull,
    in(needle, items) {
      if (!needle.field?.equals && items.length > IN_LIST_OR_MAX) {
        const asIn = inList(
          needle.value,
          items.map((item) => item.value),
        );
        if (asIn !== undefined) return asIn;
      }
      const preds = items.map(
        (item) => specialEquals(needle, item) ?? compare(needle.value, '=', item.value),
      );
      return preds.length === 1 ? preds[0]! : `(${preds.join(' OR ')})`;
    },
    contains(hayOperand, needle, caseInsensitive) {
      const hay = hayOperand.value;
      const fn = caseInsensitive ? 'positionCaseInsensitive' : 'position';
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
    },
    convert,
  };
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
