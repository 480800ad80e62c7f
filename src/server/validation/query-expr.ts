import { ValidationError } from '../../shared/errors.js';
import type { QueryOperand } from '../../store/trace-store.js';
import { FieldReader, isJsonObject, kindOf } from './field-reader.js';

const CONVERT_TARGETS = new Set(['int', 'double', 'bool', 'string']);

/** Bounds of a query expression, checked before anything recurses into it (a 400 names the limit). */
export const QUERY_EXPR_LIMITS = {
  /**
   * Deepest nesting of operators (`$and` in `$not` in ...); deeper is a 400. SQLite refuses
   * expression trees past 1 000 and recursion past a few thousand overflows the stack.
   * @default 64
   */
  maxDepth: 64,
  /**
   * Most operands in one expression, `$in` list items included (a list of 50 000 ids is fine).
   * @default 100000
   */
  maxOperands: 100_000,
  /**
   * Deepest nesting of arrays and objects inside one `$literal`.
   * @default 32
   */
  maxLiteralDepth: 32,
};

interface Budget {
  operands: number;
}

/**
 * Checks the shape of a `query` field (`{ $expr: operand }`) so that a malformed expression is a 400
 * naming the exact node (`query.$expr.$and[1].$eq`). Which fields may be read is the store's business.
 */
export function parseQueryExpr(value: unknown, path: string): { $expr: QueryOperand } {
  const r = FieldReader.of(value, path);
  if (!r.has('$expr')) r.fail('$expr', 'is required');
  checkOperand(r.any('$expr'), r.at('$expr'), 1, { operands: 0 });
  return { $expr: r.any('$expr') as QueryOperand };
}

function checkOperand(value: unknown, path: string, depth: number, budget: Budget): void {
  if (depth > QUERY_EXPR_LIMITS.maxDepth) {
    throw new ValidationError(
      path,
      `the expression nests deeper than ${QUERY_EXPR_LIMITS.maxDepth} operators`,
    );
  }
  if (++budget.operands > QUERY_EXPR_LIMITS.maxOperands) {
    throw new ValidationError(path, `the expression has more than ${QUERY_EXPR_LIMITS.maxOperands} operands`);
  }
  if (!isJsonObject(value))
    throw new ValidationError(path, `expected an operand object, got ${kindOf(value)}`);
  const keys = Object.keys(value);
  const op = keys[0];
  if (keys.length !== 1 || op === undefined) {
    throw new ValidationError(
      path,
      `expected exactly one operator key, got ${keys.length === 0 ? 'none' : keys.join(', ')}`,
    );
  }
  const arg = value[op];
  const at = `${path}.${op}`;
  switch (op) {
    case '$literal':
      checkLiteralDepth(arg, at);
      return;
    case '$getField':
      if (typeof arg !== 'string' || arg === '')
        throw new ValidationError(at, 'expected a non-empty field path');
      return;
    case '$convert': {
      const c = FieldReader.of(arg, at);
      checkOperand(c.any('input'), c.at('input'), depth + 1, budget);
      const to = c.any('to');
      if (typeof to !== 'string' || !CONVERT_TARGETS.has(to))
        c.fail('to', 'expected one of int, double, bool, string');
      return;
    }
    case '$and':
    case '$or':
      operandList(arg, at).forEach((o, i) => checkOperand(o, `${at}[${i}]`, depth + 1, budget));
      return;
    case '$not':
      fixedList(arg, at, 1).forEach((o, i) => checkOperand(o, `${at}[${i}]`, depth + 1, budget));
      return;
    case '$eq':
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte':
      fixedList(arg, at, 2).forEach((o, i) => checkOperand(o, `${at}[${i}]`, depth + 1, budget));
      return;
    case '$in': {
      const [lhs, rhs] = fixedList(arg, at, 2);
      checkOperand(lhs, `${at}[0]`, depth + 1, budget);
      operandList(rhs, `${at}[1]`).forEach((o, i) => checkOperand(o, `${at}[1][${i}]`, depth + 1, budget));
      return;
    }
    case '$contains': {
      const c = FieldReader.of(arg, at);
      checkOperand(c.any('input'), c.at('input'), depth + 1, budget);
      checkOperand(c.any('substr'), c.at('substr'), depth + 1, budget);
      c.optionalBoolean('case_insensitive');
      return;
    }
    default:
      throw new ValidationError(path, `unknown operator ${JSON.stringify(op)}`);
  }
}

function operandList(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value))
    throw new ValidationError(path, `expected an array of operands, got ${kindOf(value)}`);
  return value;
}

function fixedList(value: unknown, path: string, n: number): unknown[] {
  const list = operandList(value, path);
  if (list.length !== n)
    throw new ValidationError(path, `expected ${n} operand${n === 1 ? '' : 's'}, got ${list.length}`);
  return list;
}

/** A `$literal` value nests arrays and objects at most `maxLiteralDepth` deep (checked without recursion). */
function checkLiteralDepth(value: unknown, path: string): void {
  let level: unknown[] = [value];
  for (let depth = 0; level.length > 0; depth++) {
    if (depth > QUERY_EXPR_LIMITS.maxLiteralDepth) {
      throw new ValidationError(
        path,
        `the literal nests deeper than ${QUERY_EXPR_LIMITS.maxLiteralDepth} levels`,
      );
    }
    const next: unknown[] = [];
    for (const v of level) {
      if (v !== null && typeof v === 'object') for (const child of Object.values(v)) next.push(child);
    }
    level = next;
  }
}
