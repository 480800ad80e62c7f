import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ValidationError } from '../../shared/errors.js';
import { isoToMicros } from '../../shared/time.js';
import type { TraceStore } from '../trace-store.js';
import {
  completePart,
  ids,
  matching,
  seedTree,
  startPart,
  uniqueProject,
} from './contract-fixtures.test-suite.js';

/** deleteCalls (with descendants), updateCall (display_name), feedback. */
export function mutationContract(open: () => Promise<TraceStore>): void {
  describe('deleteCalls and updateCall', () => {
    let store: TraceStore;
    before(async () => {
      store = await open();
    });
    after(async () => {
      await store.close();
    });

    test('deleting a call deletes its whole subtree and nothing else', async () => {
      const project = uniqueProject();
      await seedTree(store, project);
      assert.equal(await store.deleteCalls(project, ['child2']), 2);
      assert.deepEqual(await ids(store, { project_id: project }), ['orphan', 'root1', 'child1', 'root2']);
      assert.equal(await store.deleteCalls(project, ['root1', 'root2']), 3);
      assert.deepEqual(await ids(store, { project_id: project }), ['orphan']);
    });

    test('deleting unknown ids, or ids of another project, deletes nothing', async () => {
      const project = uniqueProject();
      const other = uniqueProject();
      await seedTree(store, project);
      await seedTree(store, other);
      assert.equal(await store.deleteCalls(project, ['nope']), 0);
      assert.equal(await store.deleteCalls(project, []), 0);
      assert.equal(await store.deleteCalls(other, ['root1']), 4);
      assert.equal(await store.countCalls({ project_id: project }), 6);
      assert.equal(await store.countCalls({ project_id: other }), 2);
    });

    test('a deep chain is deleted from its root', async () => {
      const project = uniqueProject();
      const chain = Array.from({ length: 50 }, (_, i) =>
        startPart(project, `n${i}`, { trace_id: 't', parent_id: i === 0 ? null : `n${i - 1}` }),
      );
      await store.ingest(chain);
      assert.equal(await store.deleteCalls(project, ['n0']), 50);
      assert.equal(await store.countCalls({ project_id: project }), 0);
    });

    test('updateCall sets display_name, which wins over a start re-sent later', async () => {
      const project = uniqueProject();
      await store.ingest([startPart(project, 'c', { display_name: 'original' })]);
      assert.equal(await store.updateCall(project, 'c', { display_name: 'renamed' }), true);
      assert.equal((await store.readCall(project, 'c'))?.display_name, 'renamed');
      await store.ingest([startPart(project, 'c', { display_name: 'original' }), completePart(project, 'c')]);
      assert.equal((await store.readCall(project, 'c'))?.display_name, 'renamed');
      assert.deepEqual(
        await matching(store, project, { $eq: [{ $getField: 'display_name' }, { $literal: 'renamed' }] }),
        ['c'],
      );
    });

    test("updateCall with '' or null removes the name, even against the start's name", async () => {
      const project = uniqueProject();
      await store.ingest([
        startPart(project, 'a', { display_name: 'A' }),
        startPart(project, 'b', { display_name: 'B' }),
      ]);
      assert.equal(await store.updateCall(project, 'a', { display_name: '' }), true);
      assert.equal(await store.updateCall(project, 'b', { display_name: null }), true);
      assert.equal((await store.readCall(project, 'a'))?.display_name, null);
      assert.equal((await store.readCall(project, 'b'))?.display_name, null);
      await store.ingest([startPart(project, 'a', { display_name: 'A' })]);
      assert.equal((await store.readCall(project, 'a'))?.display_name, null);
    });

    test('updateCall of an unknown call, or one of another project, is false', async () => {
      const project = uniqueProject();
      await store.ingest([startPart(project, 'c')]);
      assert.equal(await store.updateCall(project, 'nope', { display_name: 'x' }), false);
      assert.equal(await store.updateCall(uniqueProject(), 'c', { display_name: 'x' }), false);
      assert.equal((await store.readCall(project, 'c'))?.display_name, null);
    });
  });

  describe('feedback', () => {
    let store: TraceStore;
    before(async () => {
      store = await open();
    });
    after(async () => {
      await store.close();
    });

    const ref = (project: string, id: string) => `weave:///${project}/call/${id}`;

    test('createFeedback returns the record with a UUID id and an ISO created_at', async () => {
      const project = uniqueProject();
      const created = await store.createFeedback({
        project_id: project,
        weave_ref: ref(project, 'c1'),
        feedback_type: 'wandb.reaction.1',
        payload: { emoji: '👍' },
        creator: 'me',
      });
      assert.match(created.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.notEqual(isoToMicros(created.created_at), undefined);
      assert.deepEqual(created.payload, { emoji: '👍' });
      const [read] = await store.queryFeedback({ project_id: project });
      assert.deepEqual(read, { ...created, wb_user_id: null });
    });

    test('queryFeedback filters with $expr (columns and payload paths), sorts and pages', async () => {
      const project = uniqueProject();
      const made = [];
      for (const [i, type] of ['note', 'score', 'score'].entries()) {
        made.push(
          await store.createFeedback({
            project_id: project,
            weave_ref: ref(project, `c${i}`),
            feedback_type: type,
            payload: { value: i, text: `t${i}` },
          }),
        );
      }
      await store.createFeedback({
        project_id: uniqueProject(),
        weave_ref: 'x',
        feedback_type: 'score',
        payload: {},
      });
      const q = (extra: object) => store.queryFeedback({ project_id: project, ...extra });
      assert.deepEqual(
        (await q({})).map((f) => f.id),
        made.map((f) => f.id),
      );
      const scores = await q({
        query: { $expr: { $eq: [{ $getField: 'feedback_type' }, { $literal: 'score' }] } },
      });
      assert.deepEqual(
        scores.map((f) => f.payload.value),
        [1, 2],
      );
      const high = await q({ query: { $expr: { $gte: [{ $getField: 'payload.value' }, { $literal: 1 }] } } });
      assert.equal(high.length, 2);
      const byRef = await q({
        query: { $expr: { $eq: [{ $getField: 'weave_ref' }, { $literal: ref(project, 'c0') }] } },
      });
      assert.deepEqual(
        byRef.map((f) => f.feedback_type),
        ['note'],
      );
      const desc = await q({ sort_by: [{ field: 'payload.value', direction: 'desc' }], limit: 2, offset: 1 });
      assert.deepEqual(
        desc.map((f) => f.payload.value),
        [1, 0],
      );
      const since = await q({
        query: { $expr: { $gte: [{ $getField: 'created_at' }, { $literal: made[1]?.created_at }] } },
      });
      assert.deepEqual(
        since.map((f) => f.payload.value),
        [1, 2],
      );
    });

    test('an unknown feedback field is a ValidationError', async () => {
      await assert.rejects(
        store.queryFeedback({
          project_id: uniqueProject(),
          query: { $expr: { $eq: [{ $getField: 'inputs.x' }, { $literal: 1 }] } },
        }),
        ValidationError,
      );
    });

    test('feedback fields and sorts named like Object.prototype members are unknown fields, not 500s', async () => {
      const project_id = uniqueProject();
      for (const name of ['constructor', 'toString', '__proto__', 'valueOf', 'hasOwnProperty']) {
        await assert.rejects(
          store.queryFeedback({
            project_id,
            query: { $expr: { $eq: [{ $getField: name }, { $literal: 'x' }] } },
          }),
          (err) => err instanceof ValidationError && err.message.includes(name),
          name,
        );
        await assert.rejects(
          store.queryFeedback({ project_id, sort_by: [{ field: name, direction: 'asc' }] }),
          (err) => err instanceof ValidationError && /^sort_by\[0\]/.test(err.path),
          `sort_by ${name}`,
        );
        // Inside the payload it is an ordinary JSON key.
        assert.deepEqual(
          await store.queryFeedback({
            project_id,
            query: { $expr: { $eq: [{ $getField: `payload.${name}` }, { $literal: 'x' }] } },
          }),
          [],
        );
      }
    });
  });
}
