import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ValidationError } from '../../shared/errors.js';
import type { CallsFilter, QueryOperand, SortBy, TraceStore } from '../trace-store.js';
import {
  collect,
  completePart,
  drain,
  ids,
  seedTree,
  startPart,
  uniqueProject,
} from './contract-fixtures.test-suite.js';

/** queryCalls filters, sort, limit/offset, columns; countCalls; streaming alongside ingest. */
export function queryContract(open: () => Promise<TraceStore>): void {
  describe('queryCalls and countCalls', () => {
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

    const filtered = (filter: CallsFilter) => ids(store, { project_id: project, filter });
    const sorted = (sort_by: SortBy[]) => ids(store, { project_id: project, sort_by });

    test('default order is started_at ascending (NULL first), then id', async () => {
      assert.deepEqual(await ids(store, { project_id: project }), [
        'orphan',
        'root1',
        'child1',
        'child2',
        'grandchild',
        'root2',
      ]);
    });

    test('filters by op_names, including every version of an op ref with :*', async () => {
      assert.deepEqual(await filtered({ op_names: ['llm'] }), ['child1', 'child2']);
      assert.deepEqual(await filtered({ op_names: ['tool', 'weave:///e/p/op/root:v2'] }), [
        'grandchild',
        'root2',
      ]);
      assert.deepEqual(await filtered({ op_names: ['weave:///e/p/op/root:*'] }), ['root1', 'root2']);
      assert.deepEqual(await filtered({ op_names: ['unknown'] }), []);
    });

    test('filters by trace_ids, call_ids, parent_ids, thread_ids, turn_ids', async () => {
      assert.deepEqual(await filtered({ trace_ids: ['A'] }), ['root1', 'child1', 'child2', 'grandchild']);
      assert.deepEqual(await filtered({ call_ids: ['root2', 'child1'] }), ['child1', 'root2']);
      assert.deepEqual(await filtered({ parent_ids: ['root1', 'child2'] }), [
        'child1',
        'child2',
        'grandchild',
      ]);
      assert.deepEqual(await filtered({ thread_ids: ['th2'] }), ['root2']);
      assert.deepEqual(await filtered({ turn_ids: ['tu1', 'tu2'] }), ['root1', 'root2']);
    });

    test('trace_roots_only keeps calls without a parent (a call with no start counts as a root)', async () => {
      assert.deepEqual(await filtered({ trace_roots_only: true }), ['orphan', 'root1', 'root2']);
      assert.equal((await filtered({ trace_roots_only: false })).length, 6);
    });

    test('filters combine with AND; empty lists do not filter', async () => {
      assert.deepEqual(await filtered({ trace_ids: ['A'], op_names: ['llm'], parent_ids: ['root1'] }), [
        'child1',
        'child2',
      ]);
      assert.equal((await filtered({ op_names: [], trace_ids: [] })).length, 6);
      const expr: QueryOperand = { $eq: [{ $getField: 'status' }, { $literal: 'error' }] };
      assert.deepEqual(
        await ids(store, { project_id: project, filter: { trace_ids: ['A'] }, query: { $expr: expr } }),
        ['child1'],
      );
    });

    test('sorts on derived fields: latency_ms (NULL last descending) and status', async () => {
      assert.deepEqual(await sorted([{ field: 'latency_ms', direction: 'desc' }]), [
        'root2',
        'root1',
        'child1',
        'grandchild',
        'orphan',
        'child2',
      ]);
      assert.deepEqual(await sorted([{ field: 'status', direction: 'asc' }]), [
        'child1',
        'orphan',
        'child2',
        'grandchild',
        'root1',
        'root2',
      ]);
    });

    test('sorts on dotted paths and on several keys', async () => {
      assert.deepEqual(await sorted([{ field: 'inputs.n', direction: 'desc' }]), [
        'root2',
        'grandchild',
        'child2',
        'child1',
        'root1',
        'orphan',
      ]);
      assert.deepEqual(
        (await sorted([{ field: 'summary.usage.m.total_tokens', direction: 'desc' }])).slice(0, 2),
        ['root1', 'root2'],
      );
      assert.deepEqual(
        await sorted([
          { field: 'op_name', direction: 'asc' },
          { field: 'started_at', direction: 'desc' },
        ]),
        ['orphan', 'child2', 'child1', 'grandchild', 'root1', 'root2'],
      );
      assert.deepEqual(await sorted([{ field: 'id', direction: 'desc' }]), [
        'root2',
        'root1',
        'orphan',
        'grandchild',
        'child2',
        'child1',
      ]);
    });

    test('limit and offset page through the order', async () => {
      assert.deepEqual(await ids(store, { project_id: project, limit: 2 }), ['orphan', 'root1']);
      assert.deepEqual(await ids(store, { project_id: project, limit: 2, offset: 2 }), ['child1', 'child2']);
      assert.deepEqual(await ids(store, { project_id: project, offset: 4 }), ['grandchild', 'root2']);
      assert.deepEqual(await ids(store, { project_id: project, limit: 0 }), []);
    });

    test('columns selects fields; id, project_id and status are always returned', async () => {
      const [call] = await collect(
        store.queryCalls({ project_id: project, columns: ['op_name'], filter: { call_ids: ['root1'] } }),
      );
      assert.equal(call?.id, 'root1');
      assert.equal(call?.project_id, project);
      assert.equal(call?.status, 'success');
      assert.equal(call?.op_name, 'weave:///e/p/op/root:v1');
      assert.equal(call?.inputs ?? null, null);
      assert.equal(call?.output ?? null, null);
      const [full] = await collect(
        store.queryCalls({ project_id: project, filter: { call_ids: ['root1'] } }),
      );
      assert.deepEqual(full?.inputs, { n: 1, q: 'Alpha Beta', s: '10', nested: { k: 'x' } });
    });

    test('countCalls applies the same filters and query, capped by limit', async () => {
      assert.equal(await store.countCalls({ project_id: project }), 6);
      assert.equal(await store.countCalls({ project_id: project, filter: { trace_roots_only: true } }), 3);
      const running: QueryOperand = { $eq: [{ $getField: 'status' }, { $literal: 'running' }] };
      assert.equal(await store.countCalls({ project_id: project, query: { $expr: running } }), 1);
      assert.equal(await store.countCalls({ project_id: project, limit: 4 }), 4);
      assert.equal(await store.countCalls({ project_id: uniqueProject() }), 0);
    });

    test('invalid sort, columns and paging are ValidationErrors naming the field', async () => {
      await assert.rejects(
        drain(store, { project_id: project, sort_by: [{ field: 'nope', direction: 'asc' }] }),
        (err) => {
          assert.ok(err instanceof ValidationError);
          assert.match(err.path, /^sort_by\[0\]/);
          assert.match(err.message, /nope/);
          return true;
        },
      );
      await assert.rejects(
        drain(store, { project_id: project, sort_by: [{ field: 'id', direction: 'up' as 'asc' }] }),
        ValidationError,
      );
      await assert.rejects(drain(store, { project_id: project, columns: ['nope'] }), ValidationError);
      await assert.rejects(drain(store, { project_id: project, limit: -1 }), ValidationError);
    });

    test('a stream can be abandoned early, and streams run alongside ingest', async () => {
      const own = uniqueProject();
      await store.ingest(
        Array.from({ length: 300 }, (_, i) => completePart(own, `c${String(i).padStart(3, '0')}`)),
      );
      for await (const call of store.queryCalls({ project_id: own })) {
        assert.equal(call.id, 'c000');
        break;
      }
      let seen = 0;
      for await (const call of store.queryCalls({
        project_id: own,
        sort_by: [{ field: 'id', direction: 'asc' }],
      })) {
        assert.equal(call.project_id, own);
        if (seen < 300 && seen % 50 === 0) await store.ingest([startPart(own, `late-${seen}`)]);
        seen++;
      }
      assert.ok(seen >= 300);
      assert.equal(await store.countCalls({ project_id: own }), 306);
    });
  });
}
