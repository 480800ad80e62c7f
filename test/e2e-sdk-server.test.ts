import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { init, op, withAttributes, type CallRecord, type WeftClient } from '../src/index.js';
import { CLICKHOUSE_SKIP, CLICKHOUSE_URL } from '../src/store/clickhouse/test-databases.test-helper.js';
import { WeftServer, type WeftServerStore } from './helpers/weft-server.js';

const quiet = { warn: () => {} };

/** Every store the suite runs against: SQLite always, ClickHouse when WEFT_CLICKHOUSE_URL is set. */
const STORES: WeftServerStore[] = [
  { kind: 'sqlite' },
  ...(CLICKHOUSE_URL ? [{ kind: 'clickhouse' as const, clickhouseUrl: CLICKHOUSE_URL }] : []),
];
if (!CLICKHOUSE_URL) {
  test('e2e against weft serve --store clickhouse', { skip: CLICKHOUSE_SKIP }, () => assert.fail('not run'));
}
for (const store of STORES) describe(`weft serve --store ${store.kind}`, () => e2e(store));

async function all(it: AsyncIterable<CallRecord>): Promise<CallRecord[]> {
  const out: CallRecord[] = [];
  for await (const c of it) out.push(c);
  return out;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function e2e(store: WeftServerStore): void {
  let server: WeftServer;
  before(async () => (server = await new WeftServer([], store).start()));
  after(() => server.dispose());

  describe('the SDK against a real weft serve', () => {
    let client: WeftClient;
    before(async () => {
      client = await init({ project: 'acme/e2e', serverUrl: server.url, logger: quiet });
    });

    test('nested traces are queried back with parents, status and summary', async () => {
      const tool = op(async function tool(name: string) {
        if (name === 'bad') throw new Error('tool failed');
        return { name, ok: true };
      });
      const agent = op(async function agent(task: string) {
        await tool('search');
        await tool('bad').catch(() => null);
        return { model: 'gpt-x', usage: { prompt_tokens: 7, completion_tokens: 2 }, task };
      });
      await withAttributes({ env: 'e2e' }, () => agent('find docs'));
      const report = await client.flush();
      assert.equal(report.undeliverable, 0);

      const roots = await all(client.getCalls({ filter: { op_names: ['agent'], trace_roots_only: true } }));
      assert.equal(roots.length, 1);
      const root = roots[0]!;
      assert.equal(root.status, 'success');
      assert.deepEqual(root.inputs, { task: 'find docs' });
      assert.deepEqual(root.attributes, { env: 'e2e' });
      assert.deepEqual(root.summary?.status_counts, { success: 2, error: 1 });
      assert.deepEqual(root.summary?.usage, { 'gpt-x': { prompt_tokens: 7, completion_tokens: 2 } });

      const tree = await all(client.getCalls({ filter: { trace_ids: [root.trace_id!] } }));
      assert.equal(tree.length, 3);
      const children = tree.filter((c) => c.parent_id === root.id);
      assert.equal(children.length, 2);
      const failed = children.find((c) => c.status === 'error');
      assert.ok(failed);
      assert.match(failed.exception ?? '', /tool failed/);

      const byQuery = await all(
        client.getCalls({ query: { $eq: [{ $getField: 'inputs.name' }, { $literal: 'search' }] } }),
      );
      assert.equal(byQuery.length, 1);
      assert.equal((await client.getCall(root.id))?.op_name, 'agent');
    });

    test('an eager root is seen running, then ended', async () => {
      const gate = deferred();
      const started = deferred();
      const step = op(async function step(i: number) {
        return i;
      });
      const evaluate = op(
        async function evaluate() {
          await step(1);
          started.resolve();
          await gate.promise;
          return { score: 1 };
        },
        { name: 'Evaluation.evaluate', eagerCallStart: true },
      );
      const running = evaluate();
      await started.promise;
      await client.flush();
      const [live] = await all(client.getCalls({ filter: { op_names: ['Evaluation.evaluate'] } }));
      assert.equal(live?.status, 'running');
      assert.equal(live?.ended_at, null);
      const kids = await all(client.getCalls({ filter: { parent_ids: [live!.id] } }));
      assert.equal(kids.length, 1, 'finished children visible while the root runs');

      gate.resolve();
      await running;
      await client.flush();
      const ended = await client.getCall(live!.id);
      assert.equal(ended?.status, 'success');
      assert.deepEqual(ended?.output, { score: 1 });
    });

    test('a call orphan-sent by finish() shows as running, and its late end completes it', async () => {
      const gate = deferred();
      const slow = op(async function slowCall() {
        await gate.promise;
        return 'late';
      });
      const running = slow();
      await client.finish({ pairingTimeoutMs: 50 });
      const [orphan] = await all(client.getCalls({ filter: { op_names: ['slowCall'] } }));
      assert.equal(orphan?.status, 'running');
      gate.resolve();
      await running;
      await client.flush();
      assert.equal((await client.getCall(orphan!.id))?.output, 'late');
    });

    test('read side: update, feedback, delete cascades', async () => {
      const leaf = op(function leaf() {
        return 1;
      });
      const parent = op(function parentCall() {
        leaf();
        leaf();
      });
      parent();
      await client.flush();
      const [p] = await all(client.getCalls({ filter: { op_names: ['parentCall'] } }));
      await client.updateCall(p!.id, { displayName: 'renamed' });
      assert.equal((await client.getCall(p!.id))?.display_name, 'renamed');
      const fb = await client.addFeedback(p!.id, { type: 'note', payload: { note: 'looks right' } });
      assert.ok(fb.id);
      assert.equal(await client.deleteCalls([p!.id]), 3);
      assert.equal(await client.getCall(p!.id), null);
    });
  });

  describe('raw HTTP against a real weft serve', () => {
    const project = 'acme/raw';
    const t0 = '2026-11-28T10:00:00.000000Z';
    const t1 = '2026-11-28T10:00:01.500000Z';
    const start = (id: string) => ({
      project_id: project,
      id,
      trace_id: `t-${id}`,
      parent_id: null,
      op_name: 'raw',
      started_at: t0,
      attributes: {},
      inputs: { id },
    });
    const end = (id: string) => ({ project_id: project, id, ended_at: t1, output: 'done', summary: {} });
    const read = async (id: string) =>
      (
        (await (await server.post('/call/read', { project_id: project, id })).json()) as {
          call: CallRecord | null;
        }
      ).call;

    test('end before start converges to one complete call; an end alone is visible as missing its start', async () => {
      assert.equal(
        (
          await server.post('/v2/acme/raw/call/end', {
            end: { ...end('e1'), trace_id: 't-e1', started_at: t0 },
          })
        ).status,
        200,
      );
      const orphan = await read('e1');
      assert.equal(orphan?.status, 'missing_start');
      assert.equal(orphan?.trace_id, 't-e1');
      assert.equal((await server.post('/v2/acme/raw/call/start', { start: start('e1') })).status, 200);
      const whole = await read('e1');
      assert.equal(whole?.status, 'success');
      assert.equal(whole?.op_name, 'raw');
      assert.equal(whole?.output, 'done');
    });

    test('re-sent and gzip batches create no duplicates', async () => {
      const batch = { batch: [1, 2, 3].map((i) => ({ ...start(`g${i}`), ...end(`g${i}`) })) };
      const body = gzipSync(Buffer.from(JSON.stringify(batch)));
      for (let i = 0; i < 3; i++) {
        const res = await server.post('/v2/acme/raw/calls/complete', body, { 'content-encoding': 'gzip' });
        assert.equal(res.status, 200);
      }
      const stats = await server.post('/calls/query_stats', {
        project_id: project,
        filter: { call_ids: ['g1', 'g2', 'g3'] },
      });
      assert.deepEqual(await stats.json(), { count: 3 });
    });

    test('data is still there after a restart', async () => {
      await server.stop();
      await server.start();
      assert.equal((await read('g2'))?.status, 'success');
    });
  });
}
