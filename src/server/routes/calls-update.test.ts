import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { CallRecord } from '../../shared/call-types.js';
import { completeCall, createTestApp } from '../test-app.test-helper.js';

const t = createTestApp();
after(() => t.close());
const P = 'acme/updates';

async function read(id: string): Promise<CallRecord | null> {
  return ((await (await t.post('/call/read', { project_id: P, id })).json()) as { call: CallRecord | null })
    .call;
}

test('/calls/delete removes the calls and their descendants', async () => {
  const root = completeCall({ project_id: P, id: 'root' });
  const child = completeCall({ project_id: P, id: 'child', trace_id: root.trace_id, parent_id: 'root' });
  const grandchild = completeCall({
    project_id: P,
    id: 'grandchild',
    trace_id: root.trace_id,
    parent_id: 'child',
  });
  const other = completeCall({ project_id: P, id: 'other' });
  await t.post(`/v2/${P}/calls/complete`, { batch: [root, child, grandchild, other] });
  const res = await t.post('/calls/delete', { project_id: P, call_ids: ['root'] });
  assert.deepEqual(await res.json(), { num_deleted: 3 });
  assert.equal(await read('grandchild'), null);
  assert.equal((await read('other'))?.id, 'other');
  assert.deepEqual(await (await t.post('/calls/delete', { project_id: P, call_ids: [] })).json(), {
    num_deleted: 0,
  });
});

test('/calls/delete validates call_ids', async () => {
  for (const [body, field] of [
    [{ project_id: P }, 'call_ids'],
    [{ project_id: P, call_ids: 'root' }, 'call_ids'],
    [{ project_id: P, call_ids: ['a', 1] }, 'call_ids[1]'],
    [{ project_id: P, call_ids: [''] }, 'call_ids[0]'],
  ] as const) {
    const res = await t.post('/calls/delete', body);
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { field: string }).field, field);
  }
});

test('/call/update sets and removes the display name; unknown calls are 404', async () => {
  await t.post(`/v2/${P}/calls/complete`, { batch: [completeCall({ project_id: P, id: 'named' })] });
  const set = await t.post('/call/update', { project_id: P, call_id: 'named', display_name: 'My call' });
  assert.equal(set.status, 200);
  assert.equal((await read('named'))?.display_name, 'My call');
  await t.post('/call/update', { project_id: P, call_id: 'named', display_name: '' });
  assert.equal((await read('named'))?.display_name, null);
  const missing = await t.post('/call/update', { project_id: P, call_id: 'nope', display_name: 'x' });
  assert.equal(missing.status, 404);
  assert.match(((await missing.json()) as { error: string }).error, /nope/);
  const bad = await t.post('/call/update', { project_id: P, call_id: 'named', display_name: 5 });
  assert.equal(((await bad.json()) as { field: string }).field, 'display_name');
});
