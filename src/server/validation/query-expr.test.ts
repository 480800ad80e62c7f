import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ValidationError } from '../../shared/errors.js';
import { parseQueryExpr, QUERY_EXPR_LIMITS } from './query-expr.js';

/** Builds `{ $not: [ ... { $literal: 1 } ] }` nested `depth` operators deep, without recursion. */
function nestedNot(depth: number): unknown {
  let e: unknown = { $literal: 1 };
  for (let i = 1; i < depth; i++) e = { $not: [e] };
  return e;
}

function deepArray(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

const rejectsWith = (value: unknown, pattern: RegExp) =>
  assert.throws(
    () => parseQueryExpr(value, 'query'),
    (err: unknown) => err instanceof ValidationError && pattern.test(err.message),
  );

test('an expression nested 1 000 operators deep is a 400 naming the depth limit, not a stack overflow', () => {
  rejectsWith({ $expr: nestedNot(1000) }, new RegExp(`deeper than ${QUERY_EXPR_LIMITS.maxDepth} operators`));
  rejectsWith({ $expr: nestedNot(100_000) }, /deeper than/);
  assert.doesNotThrow(() => parseQueryExpr({ $expr: nestedNot(QUERY_EXPR_LIMITS.maxDepth) }, 'query'));
});

test('a literal nested 10 000 deep is a 400 naming the literal limit', () => {
  rejectsWith(
    { $expr: { $eq: [{ $getField: 'inputs.x' }, { $literal: deepArray(10_000) }] } },
    new RegExp(`literal nests deeper than ${QUERY_EXPR_LIMITS.maxLiteralDepth}`),
  );
  assert.doesNotThrow(() =>
    parseQueryExpr({ $expr: { $eq: [{ $getField: 'inputs.x' }, { $literal: deepArray(8) }] } }, 'query'),
  );
});

test('$in with 50 000 items is within the operand bound; past maxOperands it is a 400', () => {
  const list = (n: number) => Array.from({ length: n }, (_, i) => ({ $literal: `id-${i}` }));
  assert.doesNotThrow(() => parseQueryExpr({ $expr: { $in: [{ $getField: 'id' }, list(50_000)] } }, 'query'));
  rejectsWith(
    { $expr: { $in: [{ $getField: 'id' }, list(QUERY_EXPR_LIMITS.maxOperands + 1)] } },
    new RegExp(`more than ${QUERY_EXPR_LIMITS.maxOperands} operands`),
  );
});
