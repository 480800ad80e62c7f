import { ValidationError, describeValue } from '../shared/errors.js';
import type { CallFieldKind } from '../shared/call-field-table.js';
import { expectArray, toMicros } from './query-operands.js';

/**
 * The walk over Weave's `$expr` language that every store shares: operator names and arity, the
 * location of each error (`query.$expr.$and[1].$eq[0]`), `$eq` with null as IS NULL, literals compared
 * with a time field read as ISO-8601 or microseconds, specialised `field = literal` predicates (the
 * derived status) and `$in` over them. A store supplies an {@link ExprDialect} that writes its SQL; the
 * semantics both dialects implement are documented in sqlite/sqlite-query.ts.
 *
 * `V` is a dialect's value (an SQL expression with its type or parameters), `P` its predicate.
 */

/** How a resolved field behaves in comparisons (the field table's kinds). */
export type FieldKind = CallFieldKind;

/** What a store's field resolver gives the walker: the field's kind and an optional `= literal` form. */
export interface WalkedField<P> {
  kind: FieldKind;
  /** A specialised `field = literal` predicate; undefined falls back to a plain comparison. */
  equals?: (value: unknown) => P | undefined;
}

/** A compiled operand: its value, and what it was when it is a bare `$getField` or `$literal`. */
export interface Operand<V, F> {
  readonly value: V;
  field?: F;
  literal?: { value: unknown };
}

export type CompareOp = '=' | '>' | '>=' | '<' | '<=';
export type ConvertTo = 'int' | 'double' | 'string' | 'bool';

/** The SQL a store writes for each construct; the walker has checked the shape already. */
export interface ExprDialect<V, P, F extends WalkedField<P>> {
  resolve(field: string, at: string): F;
  /** The value of a resolved field (read lazily: a specialised `equals` may make it unneeded). */
  fieldValue(field: F): V;
  /** A `$literal` (validated here: the dialect names what it cannot bind). */
  literal(value: unknown, at: string): V;
  /** A time literal as microseconds (null for a null literal). */
  micros(us: number | null): V;
  TRUE: P;
  FALSE: P;
  /** An operand used as a condition, and a condition used as an operand. */
  truthy(value: V): P;
  asValue(predicate: P): V;
  and(items: P[]): P;
  or(items: P[]): P;
  not(item: P): P;
  compare(left: V, op: CompareOp, right: V): P;
  isNull(value: V): P;
  /** `needle IN items` for a non-empty list with no specialised form. */
  in(needle: Operand<V, F>, items: Operand<V, F>[]): P;
  contains(hay: Operand<V, F>, needle: Operand<V, F>, caseInsensitive: boolean): P;
  convert(input: V, to: ConvertTo): V;
}

const COMPARISONS = { $eq: '=', $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' } as const;

/** Compiles a `$expr` operand used as a condition. */
export function walkPredicate<V, P, F extends WalkedField<P>>(
  d: ExprDialect<V, P, F>,
  operand: unknown,
  where: string,
): P {
  return d.truthy(walkOperand(d, operand, where).value);
}

/** Compiles one `$expr` operand (or operation). */
export function walkOperand<V, P, F extends WalkedField<P>>(
  d: ExprDialect<V, P, F>,
  operand: unknown,
  where: string,
): Operand<V, F> {
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
  const predicate = (p: P): Operand<V, F> => ({ value: d.asValue(p) });
  switch (op) {
    case '$literal':
      return { value: d.literal(arg, at), literal: { value: arg } };
    case '$getField': {
      if (typeof arg !== 'string' || arg === '') throw new ValidationError(at, 'expected a field name');
      const field = d.resolve(arg, at);
      return {
        get value(): V {
          return d.fieldValue(field);
        },
        field,
      };
    }
    case '$convert':
      return { value: walkConvert(d, arg, at) };
    case '$and':
    case '$or': {
      const items = expectArray(arg, at).map((item, i) => walkPredicate(d, item, `${at}[${i}]`));
      if (items.length === 0) return predicate(op === '$and' ? d.TRUE : d.FALSE);
      return predicate(op === '$and' ? d.and(items) : d.or(items));
    }
    case '$not': {
      const items = expectArray(arg, at);
      if (items.length !== 1) throw new ValidationError(at, 'expected exactly one operand');
      return predicate(d.not(walkPredicate(d, items[0], `${at}[0]`)));
    }
    case '$eq':
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte':
      return predicate(walkComparison(d, COMPARISONS[op], arg, at));
    case '$in':
      return predicate(walkIn(d, arg, at));
    case '$contains':
      return predicate(walkContains(d, arg, at));
    default:
      throw new ValidationError(at, 'unknown operator');
  }
}

function walkComparison<V, P, F extends WalkedField<P>>(
  d: ExprDialect<V, P, F>,
  op: CompareOp,
  arg: unknown,
  at: string,
): P {
  const pair = expectArray(arg, at);
  if (pair.length !== 2) throw new ValidationError(at, 'expected exactly two operands');
  let left = walkOperand(d, pair[0], `${at}[0]`);
  let right = walkOperand(d, pair[1], `${at}[1]`);
  left = coerceForField(d, left, right.field, `${at}[0]`);
  right = coerceForField(d, right, left.field, `${at}[1]`);
  if (op === '=') {
    let special = specialEquals(left, right);
    if (special === undefined) special = specialEquals(right, left);
    if (special !== undefined) return special as P;
    if (right.literal && right.literal.value === null) return d.isNull(left.value);
    if (left.literal && left.literal.value === null) return d.isNull(right.value);
  }
  return d.compare(left.value, op, right.value);
}

function specialEquals<V, P, F extends WalkedField<P>>(
  field: Operand<V, F>,
  other: Operand<V, F>,
): P | undefined {
  if (!field.field?.equals || !other.literal) return undefined;
  return field.field.equals(other.literal.value);
}

/** A literal compared with a time field becomes microseconds. */
function coerceForField<V, P, F extends WalkedField<P>>(
  d: ExprDialect<V, P, F>,
  side: Operand<V, F>,
  otherField: F | undefined,
  at: string,
): Operand<V, F> {
  if (!side.literal || otherField?.kind !== 'time') return side;
  const us = toMicros(side.literal.value, at);
  return { value: d.micros(us), literal: { value: us } };
}

function walkIn<V, P, F extends WalkedField<P>>(d: ExprDialect<V, P, F>, arg: unknown, at: string): P {
  const pair = expectArray(arg, at);
  if (pair.length !== 2) throw new ValidationError(at, 'expected [operand, [operands...]]');
  const needle = walkOperand(d, pair[0], `${at}[0]`);
  const list = expectArray(pair[1], `${at}[1]`);
  if (list.length === 0) return d.FALSE;
  const items = list.map((item, i) =>
    coerceForField(d, walkOperand(d, item, `${at}[1][${i}]`), needle.field, `${at}[1][${i}]`),
  );
  if (needle.field?.equals && items.every((item) => item.literal)) {
    const preds = items.map((item) => specialEquals(needle, item));
    if (preds.every((p): p is P => p !== undefined)) return preds.length === 1 ? preds[0]! : d.or(preds);
  }
  return d.in(needle, items);
}

function walkContains<V, P, F extends WalkedField<P>>(d: ExprDialect<V, P, F>, arg: unknown, at: string): P {
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg)) {
    throw new ValidationError(at, 'expected { input, substr, case_insensitive? }');
  }
  const { input, substr, case_insensitive } = arg as Record<string, unknown>;
  if (case_insensitive !== undefined && case_insensitive !== null && typeof case_insensitive !== 'boolean') {
    throw new ValidationError(`${at}.case_insensitive`, 'expected a boolean');
  }
  const hay = walkOperand(d, input, `${at}.input`);
  const needle = walkOperand(d, substr, `${at}.substr`);
  return d.contains(hay, needle, case_insensitive === true);
}

function walkConvert<V, P, F extends WalkedField<P>>(d: ExprDialect<V, P, F>, arg: unknown, at: string): V {
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg)) {
    throw new ValidationError(at, 'expected { input, to }');
  }
  const { input, to } = arg as Record<string, unknown>;
  const x = walkOperand(d, input, `${at}.input`).value;
  if (to === 'int' || to === 'double' || to === 'string' || to === 'bool') return d.convert(x, to);
  throw new ValidationError(`${at}.to`, `expected int, double, bool or string, got ${describeValue(to)}`);
}
