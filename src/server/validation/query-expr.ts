import { ValidationError } from '../../shared/errors.js';
import type { QueryOperand } from '../../store/trace-store.js';
import { FieldReader, isJsonObject, kindOf } from './field-reader.js';

const CONVERT_TARGETS = new Set(['int', 'double', 'bool', 'string']);

/**
 * Checks the shape of a `query` field (`{ $expr: operand }`) so that a malformed expression is a 400
 * naming the exact node (`query.$expr.$and[1].$eq`). Which fields may be read is the store's business.
 */
export function parseQueryExpr(value: unknown, path: string): { $expr: QueryOperand } {
  const r = FieldReader.of(value, path);
  if (!r.has('$expr')) r.fail('$expr', 'is required');
  checkOperand(r.any('$expr'), r.at('$expr'));
  return { $expr: r.any('$expr') as QueryOperand };
}

function checkOperand(value: unknown, path: string): void {
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
      return;
    case '$getField':
      if (typeof arg !== 'string' || arg === '')
        throw new ValidationError(at, 'expected a non-empty field path');
      return;
    case '$convert': {
      const c = FieldReader.of(arg, at);
      checkOperand(c.any('input'), c.at('input'));
      const to = c.any('to');
      if (typeof to !== 'string' || !CONVERT_TARGETS.has(to))
        c.fail('to', 'expected one of int, double, bool, string');
      return;
    }
    case '$and':
    case '$or':
      operandList(arg, at).forEach((o, i) => checkOperand(o, `${at}[${i}]`));
      return;
    case '$not':
      fixedList(arg, at, 1).forEach((o, i) => checkOperand(o, `${at}[${i}]`));
      return;
    case '$eq':
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte':
      fixedList(arg, at, 2).forEach((o, i) => checkOperand(o, `${at}[${i}]`));
      return;
    case '$in': {
      const [lhs, rhs] = fixedList(arg, at, 2);
      checkOperand(lhs, `${at}[0]`);
      operandList(rhs, `${at}[1]`).forEach((o, i) => checkOperand(o, `${at}[1][${i}]`));
      return;
    }
    case '$contains': {
      const c = FieldReader.of(arg, at);
      checkOperand(c.any('input'), c.at('input'));
      checkOperand(c.any('substr'), c.at('substr'));
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
