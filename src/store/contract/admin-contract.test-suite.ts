import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { microsToIso } from '../../shared/time.js';
import type { TraceStore } from '../trace-store.js';
import {
  T0,
  collect,
  completePart,
  endPart,
  startPart,
  uniqueProject,
} from './contract-fixtures.test-suite.js';

/** listProjects, stats, API keys, and the isolation of projects from each other. */
export function adminContract(open: () => Promise<TraceStore>): void {
  describe('projects, stats, keys, isolation', () => {
    let store: TraceStore;
    before(async () => {
      store = await open();
    });
    after(async () => {
      await store.close();
    });

    const hash = (key: string) => createHash('sha256').update(key).digest('hex');

    test('listProjects gives call counts and the last start or end seen', async () => {
      const p1 = uniqueProject();
      const p2 = uniqueProject();
      await store.ingest([
        startPart(p1, 'a', { startedAtUs: T0 + 10 }),
        endPart(p1, 'a', { endedAtUs: T0 + 900 }),
        startPart(p1, 'b', { startedAtUs: T0 + 500 }),
        completePart(p2, 'a', { startedAtUs: T0 + 1 }, { endedAtUs: T0 + 2 }),
      ]);
      const projects = await store.listProjects();
      const find = (p: string) => projects.find((x) => x.project_id === p);
      assert.deepEqual(find(p1), { project_id: p1, call_count: 2, last_activity: microsToIso(T0 + 900) });
      assert.deepEqual(find(p2), { project_id: p2, call_count: 1, last_activity: microsToIso(T0 + 2) });
    });

    test('stats counts calls and projects', async () => {
      const before = await store.stats();
      const p = uniqueProject();
      await store.ingest([completePart(p, 'a'), completePart(p, 'b'), startPart(p, 'a')]);
      const now = await store.stats();
      assert.equal(now.calls, before.calls + 2);
      assert.equal(now.projects, before.projects + 1);
    });

    test('API keys: only the hash is stored, found by hash, none at first', async () => {
      const fresh = await open();
      try {
        assert.equal(await fresh.hasApiKeys(), false);
        const project = uniqueProject();
        const created = await fresh.createApiKey(project, hash('secret-1'));
        assert.equal(created.project_id, project);
        assert.equal(created.key_hash, hash('secret-1'));
        assert.ok(created.id.length > 0);
        assert.ok(!JSON.stringify(created).includes('secret-1'));
        assert.deepEqual(await fresh.findApiKey(hash('secret-1')), created);
        assert.equal(await fresh.findApiKey(hash('secret-2')), null);
        assert.equal(await fresh.hasApiKeys(), true);
      } finally {
        await fresh.close();
      }
    });

    test('projects are isolated: same ids, separate calls, queries, deletes and updates', async () => {
      const p1 = uniqueProject();
      const p2 = uniqueProject();
      await store.ingest([
        completePart(p1, 'same', { op_name: 'one', inputs: { p: 1 } }),
        completePart(p2, 'same', { op_name: 'two', inputs: { p: 2 } }),
        startPart(p2, 'child', { parent_id: 'same' }),
      ]);
      assert.deepEqual((await store.readCall(p1, 'same'))?.inputs, { p: 1 });
      assert.deepEqual((await store.readCall(p2, 'same'))?.inputs, { p: 2 });
      const inP1 = await collect(store.queryCalls({ project_id: p1 }));
      assert.deepEqual(
        inP1.map((c) => [c.project_id, c.op_name]),
        [[p1, 'one']],
      );
      assert.equal(await store.countCalls({ project_id: p1, filter: { call_ids: ['same', 'child'] } }), 1);
      assert.equal(await store.updateCall(p1, 'same', { display_name: 'mine' }), true);
      assert.equal((await store.readCall(p2, 'same'))?.display_name, null);
      assert.equal(await store.deleteCalls(p1, ['same']), 1);
      assert.equal(await store.countCalls({ project_id: p2 }), 2);
      await store.createObject({ project_id: p1, object_id: 'o', val: 1 });
      assert.deepEqual(await store.queryObjects({ project_id: p2 }), []);
      await store.createFeedback({ project_id: p1, weave_ref: 'r', feedback_type: 't', payload: {} });
      assert.deepEqual(await store.queryFeedback({ project_id: p2 }), []);
    });
  });
}
