import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ValidationError } from '../../shared/errors.js';
import { isoToMicros } from '../../shared/time.js';
import { resolveCallField } from './call-fields.js';
import { toJsonPath } from './sql-fragment.js';
import { compileExpr, compileSort } from './sqlite-query.js';

const expr = (e: unknown) => compileExpr(e, resolveCallField);
const field = (name: string) => ({ $getField: name });
const lit = (value: unknown) => ({ $literal: value });

describe('sqlite-query compiler', () => {
  test('literals become parameters, never SQL text', () => {
    const hostile = "x' OR 1=1; --";
    const c = expr({ $eq: [field('op_name'), lit(hostile)] });
    assert.equal(c.sql.includes(hostile), false);
    assert.deepEqual(c.params, [hostile]);
  });

  test('booleans bind as 1/0, objects as JSON text, null as IS NULL', () => {
    assert.deepEqual(expr({ $eq: [field('inputs.flag'), lit(true)] }).params, ['$."flag"', 1]);
    assert.deepEqual(expr({ $eq: [field('inputs.o'), lit({ a: 1 })] }).params, ['$."o"', '{"a":1}']);
    const isNull = expr({ $eq: [field('exception'), lit(null)] });
    assert.match(isNull.sql, /IS NULL/);
    assert.deepEqual(isNull.params, []);
  });

  test('a time field turns ISO literals into microseconds', () => {
    const iso = '2025-03-04T05:06:07.123456Z';
    const c = expr({ $gte: [field('started_at'), lit(iso)] });
    assert.match(c.sql, /started_at_us >= \?/);
    assert.deepEqual(c.params, [isoToMicros(iso)]);
  });

  test('status equality compiles to column tests, without the CASE expression', () => {
    const c = expr({ $eq: [field('status'), lit('error')] });
    assert.match(c.sql, /exception IS NOT NULL/);
    assert.doesNotMatch(c.sql, /CASE/);
    assert.match(expr({ $gt: [field('status'), lit('a')] }).sql, /CASE/);
  });

  test('$not is two-valued, $in [] and $or [] are false, $and [] is true', () => {
    assert.match(expr({ $not: [{ $eq: [field('op_name'), lit('x')] }] }).sql, /IS NOT TRUE/);
    assert.equal(expr({ $in: [field('op_name'), []] }).sql, '0');
    assert.equal(expr({ $or: [] }).sql, '0');
    assert.equal(expr({ $and: [] }).sql, '1');
  });

  test('dotted paths: digits index arrays, other segments are quoted keys', () => {
    assert.equal(toJsonPath(['messages', '0', 'content'], 'f'), '$."messages"[0]."content"');
    assert.throws(() => toJsonPath(['a"b'], 'f'), ValidationError);
    assert.throws(() => toJsonPath([''], 'f'), ValidationError);
  });

  test('sort appends the id tie-breaker in the direction of the last key', () => {
    const fallback = [{ field: 'started_at', direction: 'asc' as const }];
    assert.equal(compileSort(undefined, resolveCallField, fallback).sql, 'started_at_us ASC, id ASC');
    const c = compileSort([{ field: 'inputs.n', direction: 'desc' }], resolveCallField, fallback);
    assert.equal(c.sql, 'json_extract(inputs, ?) DESC, id DESC');
    assert.deepEqual(c.params, ['$."n"']);
    assert.equal(
      compileSort([{ field: 'id', direction: 'desc' }], resolveCallField, fallback).sql,
      'id DESC',
    );
  });

  test('aliases of Weave UI fields resolve to the derived fields', () => {
    assert.equal(resolveCallField('summary.weave.status', 'f').sql, resolveCallField('status', 'f').sql);
    assert.equal(
      resolveCallField('summary.weave.latency_ms', 'f').sql,
      resolveCallField('latency_ms', 'f').sql,
    );
  });
});
