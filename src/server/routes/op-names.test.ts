import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { completeCall, createTestApp, startedCall } from '../test-app.test-helper.js';

const t = createTestApp();
const P = 'acme/ops';
after(() => t.close());

before(async () => {
  const ops = ['retrieve', 'answer', 'Evaluation.evaluate', 'answer', 'retrieve', 'zeta', 'answer'];
  const batch = ops.map((op_name, i) =>
    completeCall({
      project_id: P,
      op_name,
      started_at: new Date(Date.UTC(2026, 0, 1, 0, 0, 7 - i)).toISOString(),
    }),
  );
  assert.equal((await t.post(`/v2/${P}/calls/complete`, { batch })).status, 200);
  await t.post('/call/start', { start: startedCall({ project_id: 'other/project', op_name: 'elsewhere' }) });
});

test('lists the distinct op names of a project, sorted, without other projects', async () => {
  const res = await t.post('/api/op_names', { project_id: P });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), {
    op_names: ['Evaluation.evaluate', 'answer', 'retrieve', 'zeta'],
    truncated: false,
  });
});

test('limit caps the list and says it was truncated', async () => {
  const res = await t.post('/api/op_names', { project_id: P, limit: 2 });
  assert.deepEqual(await res.json(), { op_names: ['Evaluation.evaluate', 'answer'], truncated: true });
});

test('an empty project has no op names; bad requests are 400 naming the field', async () => {
  assert.deepEqual(await (await t.post('/api/op_names', { project_id: 'acme/empty' })).json(), {
    op_names: [],
    truncated: false,
  });
  for (const [body, field] of [
    [{}, 'project_id'],
    [{ project_id: 'no-slash' }, 'project_id'],
    [{ project_id: P, limit: 0 }, 'limit'],
  ] as const) {
    const res = await t.post('/api/op_names', body);
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { field: string }).field, field);
  }
});

test('a key scoped to another project is refused', async () => {
  const other = await t.keyFor('other/project');
  const res = await t.post('/api/op_names', { project_id: P }, other);
  assert.equal(res.status, 403);
});
