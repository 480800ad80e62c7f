import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createTestApp } from '../test-app.test-helper.js';

const t = createTestApp();
after(() => t.close());
const P = 'acme/feedback';
const ref = (id: string, project = P) => `weave:///${project}/call/${id}`;

test('creates feedback on a call and queries it back', async () => {
  const res = await t.post('/feedback/create', {
    project_id: P,
    weave_ref: ref('c1'),
    feedback_type: 'wandb.reaction.1',
    payload: { emoji: '👍' },
  });
  assert.equal(res.status, 200);
  const created = (await res.json()) as { id: string; created_at: string; payload: unknown };
  assert.ok(created.id);
  assert.ok(!Number.isNaN(Date.parse(created.created_at)));
  assert.deepEqual(created.payload, { emoji: '👍' });

  await t.post('/feedback/create', {
    project_id: P,
    weave_ref: ref('c2'),
    feedback_type: 'note',
    payload: { note: 'x' },
  });
  const all = (await (await t.post('/feedback/query', { project_id: P })).json()) as {
    result: { id: string }[];
  };
  assert.equal(all.result.length, 2);
  const notes = await t.post('/feedback/query', {
    project_id: P,
    query: { $expr: { $eq: [{ $getField: 'feedback_type' }, { $literal: 'note' }] } },
  });
  const body = (await notes.json()) as { result: { weave_ref: string }[] };
  assert.deepEqual(
    body.result.map((f) => f.weave_ref),
    [ref('c2')],
  );
});

test('the ref must be a call of the same project; fields are checked', async () => {
  const cases: [object, string][] = [
    [{ weave_ref: ref('c1', 'other/project') }, 'weave_ref'],
    [{ weave_ref: 'weave:///acme/feedback/object/x:abc' }, 'weave_ref'],
    [{ feedback_type: '' }, 'feedback_type'],
    [{ payload: 'great' }, 'payload'],
    [{ payload: undefined }, 'payload'],
  ];
  for (const [patch, field] of cases) {
    const body = { project_id: P, weave_ref: ref('c1'), feedback_type: 'note', payload: {}, ...patch };
    const res = await t.post('/feedback/create', body);
    assert.equal(res.status, 400, JSON.stringify(patch));
    assert.equal(((await res.json()) as { field: string }).field, field);
  }
  const badQuery = await t.post('/feedback/query', { project_id: P, limit: -1 });
  assert.equal(((await badQuery.json()) as { field: string }).field, 'limit');
});
