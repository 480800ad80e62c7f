import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TraceStore } from '../trace-store.js';
import { uniqueProject } from './contract-fixtures.test-suite.js';

/**
 * Content-addressed objects, tables and files. Digests are pinned: every store must compute the same
 * digests (sha256, base64url without padding, over canonical JSON with sorted keys; see digest.ts).
 */
export function contentContract(open: () => Promise<TraceStore>): void {
  /** sha256 of `{"a":1,"b":[true,null,"x"],"c":{"d":2.5,"e":"é"}}`. */
  const PINNED_VAL_DIGEST = 'aMVFVv6DrdpULdFCfa1MibG1qJIFkAJMjsMn2wjOBhg';
  /** sha256 of the bytes `hello weft`. */
  const PINNED_FILE_DIGEST = 'sT45eYeYsM_VkxkhPSOszuqN8JTpuq8fPQYDtayAsqs';

  describe('objects, tables and files', () => {
    let store: TraceStore;
    before(async () => {
      store = await open();
    });
    after(async () => {
      await store.close();
    });

    test('an object digest depends on the value only, not on key order', async () => {
      const project = uniqueProject();
      const a = await store.createObject({
        project_id: project,
        object_id: 'cfg',
        val: { c: { e: 'é', d: 2.5 }, b: [true, null, 'x'], a: 1 },
      });
      assert.equal(a, PINNED_VAL_DIGEST);
      const b = await store.createObject({
        project_id: uniqueProject(),
        object_id: 'other',
        val: { a: 1, b: [true, null, 'x'], c: { d: 2.5, e: 'é' } },
      });
      assert.equal(b, a);
      const c = await store.createObject({ project_id: project, object_id: 'cfg', val: { a: 2 } });
      assert.notEqual(c, a);
    });

    test('new digests become versions; re-publishing a known digest adds none', async () => {
      const project = uniqueProject();
      const d0 = await store.createObject({
        project_id: project,
        object_id: 'ds',
        val: { v: 0 },
        base_object_class: 'Dataset',
      });
      const d1 = await store.createObject({
        project_id: project,
        object_id: 'ds',
        val: { v: 1 },
        base_object_class: 'Dataset',
      });
      assert.equal(await store.createObject({ project_id: project, object_id: 'ds', val: { v: 0 } }), d0);
      const latest = await store.readObject(project, 'ds', 'latest');
      assert.equal(latest?.digest, d1);
      assert.equal(latest?.version_index, 1);
      assert.equal(latest?.is_latest, true);
      assert.deepEqual(latest?.val, { v: 1 });
      assert.equal(latest?.base_object_class, 'Dataset');
      const v0 = await store.readObject(project, 'ds', 'v0');
      assert.equal(v0?.digest, d0);
      assert.equal(v0?.is_latest, false);
      assert.deepEqual((await store.readObject(project, 'ds', d1))?.val, { v: 1 });
      assert.equal(await store.readObject(project, 'ds', 'v7'), null);
      assert.equal(await store.readObject(project, 'nope', 'latest'), null);
      assert.equal(await store.readObject(uniqueProject(), 'ds', d0), null);
    });

    test('queryObjects filters by object ids, latest only and base classes, and pages', async () => {
      const project = uniqueProject();
      await store.createObject({ project_id: project, object_id: 'a', val: 1, base_object_class: 'Model' });
      await store.createObject({ project_id: project, object_id: 'a', val: 2, base_object_class: 'Model' });
      await store.createObject({ project_id: project, object_id: 'b', val: 3 });
      const all = await store.queryObjects({ project_id: project });
      assert.deepEqual(
        all.map((o) => [o.object_id, o.version_index, o.is_latest]),
        [
          ['a', 0, false],
          ['a', 1, true],
          ['b', 0, true],
        ],
      );
      const latest = await store.queryObjects({ project_id: project, filter: { latest_only: true } });
      assert.deepEqual(
        latest.map((o) => o.val),
        [2, 3],
      );
      const models = await store.queryObjects({
        project_id: project,
        filter: { base_object_classes: ['Model'] },
      });
      assert.equal(models.length, 2);
      const onlyB = await store.queryObjects({ project_id: project, filter: { object_ids: ['b'] } });
      assert.deepEqual(
        onlyB.map((o) => o.val),
        [3],
      );
      const page = await store.queryObjects({ project_id: project, limit: 1, offset: 1 });
      assert.deepEqual(
        page.map((o) => o.val),
        [2],
      );
    });

    test('tables are addressed by their rows in order; rows come back in order', async () => {
      const project = uniqueProject();
      const rows = [{ q: 'a', n: 1 }, { q: 'b' }, { n: 1, q: 'a' }];
      const t = await store.createTable(project, rows);
      assert.equal(t.row_digests.length, 3);
      assert.equal(t.row_digests[0], t.row_digests[2]);
      assert.deepEqual(await store.createTable(project, [{ n: 1, q: 'a' }, { q: 'b' }, { q: 'a', n: 1 }]), t);
      const reordered = await store.createTable(project, [rows[1], rows[0], rows[2]]);
      assert.notEqual(reordered.digest, t.digest);
      const read = await store.queryTable(project, t.digest);
      assert.deepEqual(
        read?.map((r) => r.digest),
        t.row_digests,
      );
      assert.deepEqual(
        read?.map((r) => r.val),
        [{ n: 1, q: 'a' }, { q: 'b' }, { n: 1, q: 'a' }],
      );
      assert.deepEqual(
        (await store.queryTable(project, t.digest, { offset: 1, limit: 1 }))?.map((r) => r.val),
        [{ q: 'b' }],
      );
      assert.equal(await store.queryTable(project, 'nope'), null);
      assert.equal(await store.queryTable(uniqueProject(), t.digest), null);
      const empty = await store.createTable(project, []);
      assert.deepEqual(await store.queryTable(project, empty.digest), []);
    });

    test('files are addressed by the sha256 of their bytes', async () => {
      const project = uniqueProject();
      const digest = await store.createFile(project, 'greeting.txt', Buffer.from('hello weft'));
      assert.equal(digest, PINNED_FILE_DIGEST);
      assert.equal(await store.createFile(project, 'copy.txt', Buffer.from('hello weft')), digest);
      assert.equal((await store.readFile(project, digest))?.toString(), 'hello weft');
      const binary = Buffer.from([0, 255, 1, 254]);
      const bin = await store.createFile(project, 'b.bin', binary);
      assert.deepEqual(await store.readFile(project, bin), binary);
      assert.equal(await store.readFile(project, 'nope'), null);
      assert.equal(await store.readFile(uniqueProject(), digest), null);
    });
  });
}
