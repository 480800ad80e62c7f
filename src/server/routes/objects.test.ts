import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { createTestApp } from '../test-app.test-helper.js';

const t = createTestApp();
after(() => t.close());
const P = 'acme/objects';

describe('objects', () => {
  test('content-addressed: the same value gives the same digest; versions are read back', async () => {
    const create = async (val: unknown) => {
      const res = await t.post('/obj/create', { obj: { project_id: P, object_id: 'my_op', val } });
      assert.equal(res.status, 200);
      return ((await res.json()) as { digest: string }).digest;
    };
    const d1 = await create({ code: 'v1' });
    assert.equal(await create({ code: 'v1' }), d1);
    const d2 = await create({ code: 'v2' });
    assert.notEqual(d2, d1);

    const read = async (digest: string) => t.post('/obj/read', { project_id: P, object_id: 'my_op', digest });
    const v1 = (await (await read(d1)).json()) as { obj: { val: unknown; digest: string } };
    assert.deepEqual(v1.obj.val, { code: 'v1' });
    const latest = (await (await read('latest')).json()) as { obj: { digest: string } };
    assert.equal(latest.obj.digest, d2);
    assert.equal((await read('0000')).status, 404);
  });

  test('objs/query filters by object ids and latest_only', async () => {
    await t.post('/obj/create', {
      obj: { project_id: P, object_id: 'dataset', val: { rows: 1 }, base_object_class: 'Dataset' },
    });
    const res = await t.post('/objs/query', {
      project_id: P,
      filter: { object_ids: ['my_op'], latest_only: true },
    });
    const { objs } = (await res.json()) as { objs: { object_id: string; is_latest: boolean }[] };
    assert.deepEqual(
      objs.map((o) => [o.object_id, o.is_latest]),
      [['my_op', true]],
    );
    const bad = await t.post('/objs/query', { project_id: P, filter: { is_op: true } });
    assert.equal(((await bad.json()) as { field: string }).field, 'filter.is_op');
  });

  test('validates the object', async () => {
    for (const [obj, field] of [
      [{ project_id: P, object_id: 'a/b', val: 1 }, 'obj.object_id'],
      [{ project_id: P, object_id: 'x' }, 'obj.val'],
      [{ object_id: 'x', val: 1 }, 'obj.project_id'],
    ] as const) {
      const res = await t.post('/obj/create', { obj });
      assert.equal(res.status, 400);
      assert.equal(((await res.json()) as { field: string }).field, field);
    }
  });
});

describe('tables', () => {
  test('rows get digests; the table is content-addressed and pageable', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ q: `question ${i}`, a: i }));
    const created = (await (await t.post('/table/create', { table: { project_id: P, rows } })).json()) as {
      digest: string;
      row_digests: string[];
    };
    assert.equal(created.row_digests.length, 10);
    const again = (await (await t.post('/table/create', { table: { project_id: P, rows } })).json()) as {
      digest: string;
    };
    assert.equal(again.digest, created.digest);

    const page = await t.post('/table/query', { project_id: P, digest: created.digest, limit: 3, offset: 2 });
    const body = (await page.json()) as { rows: { digest: string; val: unknown }[] };
    assert.deepEqual(
      body.rows.map((r) => r.val),
      rows.slice(2, 5),
    );
    assert.equal(body.rows[0]?.digest, created.row_digests[2]);
    assert.equal((await t.post('/table/query', { project_id: P, digest: 'nope' })).status, 404);
  });

  test('rows must be objects', async () => {
    const res = await t.post('/table/create', { table: { project_id: P, rows: [{ a: 1 }, 2] } });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { field: string }).field, 'table.rows[1]');
  });
});
