import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ValidationError } from '../../shared/errors.js';
import { microsToIso } from '../../shared/time.js';
import type { TraceStore } from '../trace-store.js';
import { T0, drain, matching, seedTree, uniqueProject } from './contract-fixtures.test-suite.js';

/** The `$expr` language over calls: every operator, fields, paths, times, validation. */
export function exprContract(open: () => Promise<TraceStore>): void {
  describe('queryCalls $expr', () => {
    let store: TraceStore;
    let project: string;
    before(async () => {
      store = await open();
      project = uniqueProject();
      await seedTree(store, project);
    });
    after(async () => {
      await store.close();
    });

    const field = (name: string) => ({ $getField: name });
    const lit = (value: unknown) => ({ $literal: value });
    const where = ($expr: unknown) => matching(store, project, $expr);
    const ALL = ['child1', 'child2', 'grandchild', 'orphan', 'root1', 'root2'];

    test('$eq on columns, derived status and the effective display_name', async () => {
      assert.deepEqual(await where({ $eq: [field('op_name'), lit('llm')] }), ['child1', 'child2']);
      assert.deepEqual(await where({ $eq: [lit('llm'), field('op_name')] }), ['child1', 'child2']);
      assert.deepEqual(await where({ $eq: [field('status'), lit('error')] }), ['child1']);
      assert.deepEqual(await where({ $eq: [field('status'), lit('success')] }), [
        'grandchild',
        'root1',
        'root2',
      ]);
      assert.deepEqual(await where({ $eq: [field('status'), lit('missing_start')] }), ['orphan']);
      assert.deepEqual(await where({ $eq: [field('display_name'), lit('Second')] }), ['root2']);
      assert.deepEqual(await where({ $eq: [field('parent_id'), lit('root1')] }), ['child1', 'child2']);
    });

    test('$eq with a null literal tests for a missing value', async () => {
      assert.deepEqual(
        await where({ $eq: [field('exception'), lit(null)] }),
        ALL.filter((id) => id !== 'child1'),
      );
      assert.deepEqual(await where({ $eq: [field('ended_at'), lit(null)] }), ['child2']);
    });

    test('$gt $gte $lt $lte on numbers at dotted paths', async () => {
      assert.deepEqual(await where({ $gt: [field('inputs.n'), lit(3)] }), ['grandchild', 'root2']);
      assert.deepEqual(await where({ $gte: [field('inputs.n'), lit(3)] }), ['child2', 'grandchild', 'root2']);
      assert.deepEqual(await where({ $lt: [field('inputs.n'), lit(2)] }), ['root1']);
      assert.deepEqual(await where({ $lte: [field('inputs.n'), lit(2)] }), ['child1', 'root1']);
      assert.deepEqual(await where({ $gte: [field('output.score'), lit(0.9)] }), ['root2']);
      assert.deepEqual(await where({ $gt: [field('summary.usage.m.total_tokens'), lit(50)] }), ['root1']);
    });

    test('nested paths into inputs, attributes and summary', async () => {
      assert.deepEqual(await where({ $eq: [field('inputs.nested.k'), lit('x')] }), ['root1']);
      assert.deepEqual(await where({ $eq: [field('attributes.env'), lit('dev')] }), ['root2']);
      assert.deepEqual(await where({ $eq: [field('inputs.missing.deeper'), lit('x')] }), []);
    });

    test('$in on values, on status, and with an empty list', async () => {
      assert.deepEqual(await where({ $in: [field('inputs.q'), [lit('gamma'), lit('delta')]] }), [
        'child1',
        'root2',
      ]);
      assert.deepEqual(await where({ $in: [field('status'), [lit('running'), lit('missing_start')]] }), [
        'child2',
        'orphan',
      ]);
      assert.deepEqual(await where({ $in: [field('inputs.n'), [lit(1), lit(4)]] }), ['grandchild', 'root1']);
      assert.deepEqual(await where({ $in: [field('op_name'), []] }), []);
    });

    test('$contains, case-sensitive or not', async () => {
      const contains = (substr: string, case_insensitive?: boolean) =>
        where({ $contains: { input: field('inputs.q'), substr: lit(substr), case_insensitive } });
      assert.deepEqual(await contains('Alpha'), ['root1']);
      assert.deepEqual(await contains('alpha', true), ['child2', 'root1']);
      assert.deepEqual(await contains('ALPHA', false), ['child2']);
      assert.deepEqual(await contains('zzz', true), []);
      assert.deepEqual(
        await where({
          $contains: { input: field('op_name'), substr: lit('op/root'), case_insensitive: false },
        }),
        ['root1', 'root2'],
      );
    });

    test('$not, $and, $or, and a missing value counts as false', async () => {
      assert.deepEqual(await where({ $not: [{ $eq: [field('op_name'), lit('llm')] }] }), [
        'grandchild',
        'orphan',
        'root1',
        'root2',
      ]);
      assert.deepEqual(
        await where({ $and: [{ $eq: [field('trace_id'), lit('A')] }, { $gt: [field('inputs.n'), lit(1)] }] }),
        ['child1', 'child2', 'grandchild'],
      );
      assert.deepEqual(
        await where({
          $or: [{ $eq: [field('id'), lit('root2')] }, { $eq: [field('status'), lit('running')] }],
        }),
        ['child2', 'root2'],
      );
      assert.deepEqual(await where({ $not: [{ $gt: [field('inputs.n'), lit(2)] }] }), [
        'child1',
        'orphan',
        'root1',
      ]);
      assert.deepEqual(await where(lit(true)), ALL);
    });

    test('started_at and ended_at compare with ISO strings (any offset) or microseconds', async () => {
      assert.deepEqual(await where({ $gte: [field('started_at'), lit(microsToIso(T0 + 2_500))] }), [
        'child2',
        'grandchild',
        'root2',
      ]);
      assert.deepEqual(await where({ $lt: [field('started_at'), lit('2025-01-01T01:00:00.002+01:00')] }), [
        'root1',
      ]);
      assert.deepEqual(await where({ $lt: [field('started_at'), lit(T0 + 2_000)] }), ['root1']);
      assert.deepEqual(await where({ $gt: [field('ended_at'), lit(microsToIso(T0 + 5_000))] }), [
        'orphan',
        'root2',
      ]);
      assert.deepEqual(await where({ $eq: [field('started_at'), lit(microsToIso(T0 + 2_600))] }), [
        'grandchild',
      ]);
      assert.deepEqual(
        await where({ $in: [field('started_at'), [lit(microsToIso(T0 + 1_000)), lit(T0 + 10_000)]] }),
        ['root1', 'root2'],
      );
    });

    test('latency_ms is usable in comparisons', async () => {
      assert.deepEqual(await where({ $gt: [field('latency_ms'), lit(2)] }), ['root1', 'root2']);
      assert.deepEqual(await where({ $lt: [field('latency_ms'), lit(1)] }), ['grandchild']);
    });

    test('$convert to int, double, string and bool', async () => {
      const convert = (input: unknown, to: string) => ({ $convert: { input, to } });
      assert.deepEqual(await where({ $gt: [convert(field('inputs.s'), 'int'), lit(9)] }), ['root1']);
      assert.deepEqual(await where({ $gte: [convert(field('inputs.s'), 'double'), lit(9.5)] }), ['root1']);
      assert.deepEqual(await where({ $eq: [convert(field('inputs.n'), 'string'), lit('3')] }), ['child2']);
      assert.deepEqual(await where({ $eq: [convert(lit('TRUE'), 'bool'), lit(true)] }), ALL);
      assert.deepEqual(await where({ $eq: [convert(field('inputs.n'), 'bool'), lit(true)] }), [
        'child1',
        'child2',
        'grandchild',
        'root1',
        'root2',
      ]);
    });

    test('unknown fields, bad paths, bad operators and bad times are ValidationErrors', async () => {
      const rejects = async ($expr: unknown, pathPattern: RegExp, messagePattern?: RegExp) =>
        assert.rejects(drain(store, { project_id: project, query: { $expr } as never }), (err) => {
          assert.ok(err instanceof ValidationError, String(err));
          assert.match(err.path, pathPattern);
          if (messagePattern) assert.match(err.message, messagePattern);
          return true;
        });
      await rejects({ $eq: [field('nope'), lit(1)] }, /^query\.\$expr\.\$eq\[0\]\.\$getField$/, /nope/);
      await rejects({ $and: [{ $eq: [lit(1), field('op_name.x')] }] }, /\$and\[0\]\.\$eq\[1\]/, /op_name\.x/);
      await rejects({ $eq: [field('inputs..x'), lit(1)] }, /\$getField/);
      await rejects({ $regex: [field('op_name'), lit('x')] }, /\$regex/);
      await rejects({ $eq: [field('op_name')] }, /\$eq/);
      await rejects({ $gt: [field('started_at'), lit('yesterday')] }, /\$gt\[1\]/);
      await rejects({ $convert: { input: lit(1), to: 'date' } }, /\$convert\.to/);
    });

    test('fields named like Object.prototype members are unknown fields (400), not 500s', async () => {
      for (const name of ['constructor', 'toString', '__proto__', 'valueOf', 'hasOwnProperty']) {
        await assert.rejects(
          drain(store, { project_id: project, query: { $expr: { $eq: [field(name), lit('x')] } } as never }),
          (err) => err instanceof ValidationError && err.message.includes(name),
          name,
        );
        await assert.rejects(
          drain(store, { project_id: project, sort_by: [{ field: name, direction: 'asc' }] }),
          (err) => err instanceof ValidationError && /^sort_by\[0\]/.test(err.path),
          `sort_by ${name}`,
        );
        await assert.rejects(
          drain(store, {
            project_id: project,
            query: { $expr: { $eq: [field(`${name}.x`), lit(1)] } } as never,
          }),
          (err) => err instanceof ValidationError,
          `${name}.x`,
        );
        // A JSON key of that name inside inputs is an ordinary path.
        assert.deepEqual(await where({ $eq: [field(`inputs.${name}`), lit('x')] }), []);
      }
    });

    test('$in with 50 000 items (ids, op names, times) answers like a short list', async () => {
      const many = (hit: string, make: (i: number) => string) => [
        ...Array.from({ length: 49_999 }, (_, i) => lit(make(i))),
        lit(hit),
      ];
      assert.deepEqual(await where({ $in: [field('id'), many('root2', (i) => `nope-${i}`)] }), ['root2']);
      assert.deepEqual(await where({ $in: [field('op_name'), many('llm', (i) => `op-${i}`)] }), [
        'child1',
        'child2',
      ]);
      assert.deepEqual(await where({ $in: [field('inputs.q'), many('nothing', (i) => `q-${i}`)] }), []);
    });

    test('literals are bound, never interpolated', async () => {
      const hostile = "x' OR 1=1 --";
      assert.deepEqual(await where({ $eq: [field('op_name'), lit(hostile)] }), []);
      assert.deepEqual(await where({ $eq: [field(`inputs.q`), lit(`'); DROP TABLE calls; --`)] }), []);
      assert.equal(await store.countCalls({ project_id: project }), 6);
    });
  });
}
