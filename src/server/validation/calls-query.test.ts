import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ValidationError } from '../../shared/errors.js';
import { parseCallsQuery } from './calls-query.js';
import { parseQueryExpr } from './query-expr.js';

function invalidAt(fn: () => unknown, path: string): void {
  assert.throws(fn, (err: unknown) => err instanceof ValidationError && err.path === path);
}

describe('parseCallsQuery', () => {
  test('passes a full Weave-style query through', () => {
    const body = {
      project_id: 'acme/chatbot',
      filter: { op_names: ['chat'], trace_roots_only: true, input_refs: [], wb_user_ids: null },
      query: { $expr: { $gt: [{ $getField: 'summary.usage.m.total_tokens' }, { $literal: 10 }] } },
      sort_by: [{ field: 'started_at', direction: 'desc' }],
      limit: 5,
      offset: 10,
      columns: ['id', 'op_name'],
      expand_columns: ['inputs.model'],
      include_costs: false,
      cursor: 'abc',
    };
    const { query, cursor } = parseCallsQuery(body);
    assert.deepEqual(query, {
      project_id: 'acme/chatbot',
      filter: { op_names: ['chat'], trace_roots_only: true },
      query: body.query,
      sort_by: [{ field: 'started_at', direction: 'desc' }],
      limit: 5,
      offset: 10,
      columns: ['id', 'op_name'],
    });
    assert.equal(cursor, 'abc');
  });

  test('treats nulls as absent', () => {
    const { query } = parseCallsQuery({
      project_id: 'a/b',
      filter: null,
      query: null,
      limit: null,
      sort_by: null,
    });
    assert.deepEqual(query, { project_id: 'a/b' });
  });

  test('names the field of each wrong type', () => {
    invalidAt(() => parseCallsQuery({}), 'project_id');
    invalidAt(() => parseCallsQuery({ project_id: 'nope' }), 'project_id');
    invalidAt(() => parseCallsQuery({ project_id: 'a/b', limit: '10' }), 'limit');
    invalidAt(() => parseCallsQuery({ project_id: 'a/b', limit: -1 }), 'limit');
    invalidAt(() => parseCallsQuery({ project_id: 'a/b', offset: 1.5 }), 'offset');
    invalidAt(() => parseCallsQuery({ project_id: 'a/b', filter: [] }), 'filter');
    invalidAt(() => parseCallsQuery({ project_id: 'a/b', filter: { op_names: 'chat' } }), 'filter.op_names');
    invalidAt(
      () => parseCallsQuery({ project_id: 'a/b', filter: { call_ids: ['x', 3] } }),
      'filter.call_ids[1]',
    );
    invalidAt(
      () => parseCallsQuery({ project_id: 'a/b', filter: { trace_roots_only: 'yes' } }),
      'filter.trace_roots_only',
    );
    invalidAt(() => parseCallsQuery({ project_id: 'a/b', filter: { colour: ['red'] } }), 'filter.colour');
    invalidAt(
      () => parseCallsQuery({ project_id: 'a/b', filter: { input_refs: ['weave:///x'] } }),
      'filter.input_refs',
    );
    invalidAt(
      () => parseCallsQuery({ project_id: 'a/b', sort_by: [{ field: 'id', direction: 'up' }] }),
      'sort_by[0].direction',
    );
    invalidAt(
      () => parseCallsQuery({ project_id: 'a/b', sort_by: [{ direction: 'asc' }] }),
      'sort_by[0].field',
    );
    invalidAt(() => parseCallsQuery({ project_id: 'a/b', columns: [1] }), 'columns[0]');
    invalidAt(() => parseCallsQuery({ project_id: 'a/b', cursor: 5 }), 'cursor');
  });

  test('enforces the page-size bounds it is given', () => {
    invalidAt(
      () => parseCallsQuery({ project_id: 'a/b', limit: 10_001 }, { minLimit: 1, maxLimit: 10_000 }),
      'limit',
    );
    invalidAt(
      () => parseCallsQuery({ project_id: 'a/b', limit: 0 }, { minLimit: 1, maxLimit: 10_000 }),
      'limit',
    );
    assert.equal(parseCallsQuery({ project_id: 'a/b', limit: 50_000 }).query.limit, 50_000);
  });
});

describe('parseQueryExpr', () => {
  test('accepts every operator of the Weave query language', () => {
    const expr = {
      $and: [
        { $or: [{ $eq: [{ $getField: 'op_name' }, { $literal: 'chat' }] }, { $not: [{ $literal: false }] }] },
        { $gte: [{ $convert: { input: { $getField: 'inputs.n' }, to: 'int' } }, { $literal: 1 }] },
        { $in: [{ $getField: 'id' }, [{ $literal: 'a' }, { $literal: 'b' }]] },
        {
          $contains: { input: { $getField: 'inputs.q' }, substr: { $literal: 'x' }, case_insensitive: true },
        },
        { $lt: [{ $literal: 1 }, { $literal: 2 }] },
      ],
    };
    assert.deepEqual(parseQueryExpr({ $expr: expr }, 'query'), { $expr: expr });
  });

  test('names the malformed node', () => {
    invalidAt(() => parseQueryExpr({}, 'query'), 'query.$expr');
    invalidAt(() => parseQueryExpr({ $expr: { $foo: [] } }, 'query'), 'query.$expr');
    invalidAt(() => parseQueryExpr({ $expr: { $eq: [{ $literal: 1 }] } }, 'query'), 'query.$expr.$eq');
    invalidAt(
      () => parseQueryExpr({ $expr: { $and: [{ $literal: 1 }, 'x'] } }, 'query'),
      'query.$expr.$and[1]',
    );
    invalidAt(() => parseQueryExpr({ $expr: { $getField: '' } }, 'query'), 'query.$expr.$getField');
    invalidAt(
      () => parseQueryExpr({ $expr: { $convert: { input: { $literal: 1 }, to: 'date' } } }, 'query'),
      'query.$expr.$convert.to',
    );
    invalidAt(
      () => parseQueryExpr({ $expr: { $in: [{ $literal: 1 }, { $literal: 2 }] } }, 'query'),
      'query.$expr.$in[1]',
    );
    invalidAt(() => parseQueryExpr({ $expr: { $literal: 1, $getField: 'x' } }, 'query'), 'query.$expr');
  });
});
