import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { completeCall, createTestApp } from '../test-app.test-helper.js';

const t = createTestApp({
  streamChunkBytes: 4096,
  streams: { maxStreamsPerKey: 2, streamIdleTimeoutMs: 300 },
});
const P = 'acme/limits';
let keyA: { authorization: string };
let keyB: { authorization: string };
after(() => t.close());

before(async () => {
  const batch = Array.from({ length: 3000 }, (_, i) =>
    completeCall({ project_id: P, id: `l-${i}`, inputs: { text: 'x'.repeat(200) } }),
  );
  assert.equal((await t.post(`/v2/${P}/calls/complete`, { batch })).status, 200);
  keyA = await t.keyFor(P);
  keyB = await t.keyFor(P);
});

async function stats(): Promise<{ active: number; refused: number; idle_aborted: number }> {
  const res = await t.get('/server_stats', keyA);
  assert.equal(res.status, 200);
  return ((await res.json()) as { streams: { active: number; refused: number; idle_aborted: number } })
    .streams;
}

async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('each API key has its own stream budget; over it is 429 with Retry-After; idle streams are freed', async () => {
  const stream = (key: { authorization: string }) => t.post('/calls/stream_query', { project_id: P }, key);
  const a1 = await stream(keyA);
  const a2 = await stream(keyA);
  assert.deepEqual([a1.status, a2.status], [200, 200]);
  const refused = await stream(keyA);
  assert.equal(refused.status, 429);
  assert.equal(refused.headers.get('retry-after'), '2');
  assert.match(((await refused.json()) as { error: string }).error, /per-key cap/);
  const b1 = await stream(keyB);
  assert.equal(b1.status, 200, 'another key is not held back by the first');
  assert.deepEqual(await stats(), { active: 3, refused: 1, idle_aborted: 0 });

  await a1.body?.cancel(); // a client that leaves gives its place back at once
  assert.equal((await stats()).active, 2);
  const a3 = await stream(keyA);
  assert.equal(a3.status, 200);

  // Nobody reads a2, a3, b1: after the idle timeout their store streams are closed and the places freed.
  await until(async () => (await stats()).active === 0);
  assert.equal((await stats()).idle_aborted, 3);
  await assert.rejects(a2.text(), /read nothing for 300 ms/);
  await b1.body?.cancel().catch(() => undefined);
  await a3.body?.cancel().catch(() => undefined);

  // A reader that keeps reading gets everything, and its place back at the end.
  const full = await stream(keyA);
  assert.equal((await full.text()).trimEnd().split('\n').length, 3000);
  assert.equal((await stats()).active, 0);
});

test('a query the store refuses up front gives its place back', async () => {
  for (let i = 0; i < 3; i++) {
    const res = await t.post(
      '/calls/stream_query',
      { project_id: P, sort_by: [{ field: 'no_such_field', direction: 'asc' }] },
      keyA,
    );
    assert.equal(res.status, 400, 'the store refuses the sort field; no 429 from places left taken');
  }
  assert.equal((await stats()).active, 0);
});
