import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildCallsQuery,
  callsViewStateToSearch,
  DEFAULTS,
  parseCallsViewState,
  updateView,
} from './calls-view-state.js';

const NOW = Date.UTC(2026, 0, 31, 12);

test('the default view has an empty query string and asks for the newest root calls', () => {
  assert.equal(callsViewStateToSearch(DEFAULTS), '');
  assert.deepEqual(parseCallsViewState(new URLSearchParams('')), DEFAULTS);
  const body = buildCallsQuery('acme/chatbot', DEFAULTS, NOW);
  assert.deepEqual(body.filter, { trace_roots_only: true });
  assert.deepEqual(body.sort_by, [{ field: 'started_at', direction: 'desc' }]);
  assert.equal(body.limit, 50);
  assert.equal(body.query, undefined);
});

test('a full view survives the URL round trip', () => {
  const view = {
    ...DEFAULTS,
    rootsOnly: false,
    op: 'answer',
    status: 'error' as const,
    range: 'custom' as const,
    from: '2026-01-01T00:00:00.000Z',
    to: '2026-02-01T00:00:00.000Z',
    search: 'weft?',
    sort: { field: 'latency_ms', direction: 'asc' as const },
    pageSize: 100,
    cursor: 'abc',
  };
  const search = callsViewStateToSearch(view);
  assert.deepEqual(parseCallsViewState(new URLSearchParams(search)), view);
});

test('malformed parameters fall back to defaults', () => {
  const state = parseCallsViewState(
    new URLSearchParams('status=weird&sort=colour:up&size=7&range=2y&from=nope'),
  );
  assert.deepEqual(state, DEFAULTS);
});

test('filters become filter fields and $expr terms the server understands', () => {
  const view = {
    ...DEFAULTS,
    op: 'answer',
    status: 'running' as const,
    range: '1h' as const,
    search: ' Paris ',
  };
  const body = buildCallsQuery('acme/chatbot', view, NOW);
  assert.deepEqual(body.filter, { trace_roots_only: true, op_names: ['answer'] });
  const expr = (body.query as { $expr: { $and: unknown[] } }).$expr.$and;
  assert.deepEqual(expr[0], { $eq: [{ $getField: 'status' }, { $literal: 'running' }] });
  assert.deepEqual(expr[1], {
    $gte: [{ $getField: 'started_at' }, { $literal: '2026-01-31T11:00:00.000Z' }],
  });
  const search = expr[2] as {
    $or: { $contains: { substr: { $literal: string }; case_insensitive: boolean } }[];
  };
  assert.equal(search.$or.length, 6);
  assert.equal(search.$or[0]?.$contains.substr.$literal, 'Paris');
  assert.equal(search.$or[0]?.$contains.case_insensitive, true);
});

test('paging keeps the anchor of relative ranges, so the cursor matches the same query', () => {
  const first = { ...DEFAULTS, range: '24h' as const };
  const next = updateView(first, { cursor: 'c2', anchor: NOW });
  const reloaded = parseCallsViewState(new URLSearchParams(callsViewStateToSearch(next)));
  assert.deepEqual(
    buildCallsQuery('a/b', reloaded, NOW + 60_000).query,
    buildCallsQuery('a/b', first, NOW).query,
  );
  assert.equal(buildCallsQuery('a/b', reloaded, NOW).cursor, 'c2');
  const refiltered = updateView(next, { status: 'error' });
  assert.equal(refiltered.cursor, '', 'changing a filter goes back to the first page');
  assert.equal(refiltered.anchor, null);
});
