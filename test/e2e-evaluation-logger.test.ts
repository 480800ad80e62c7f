/**
 * The evaluation flush scenario, end to end against a real `weft serve`: an EvaluationLogger run of
 * 200 predictions with `client.flush()` after each one. No flush may wait on the open (eager) root or
 * on pairing: each one is one round trip carrying that prediction's finished calls. A tiny recording
 * proxy between the SDK and the server shows what went over the wire and in which order.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { Dataset, EvaluationLogger, init, type CallRecord, type FlushReport } from '../src/index.js';
import { WeftServer } from './helpers/weft-server.js';
import { decodeBody } from './helpers/decode-body.js';

type Rec = Record<string, unknown>;

/** Forwards every request to the server and records the write requests, in arrival order. */
class RecordingProxy {
  readonly writes: { kind: 'complete' | 'start' | 'end'; records: Rec[] }[] = [];
  url = '';
  private server: Server | undefined;

  constructor(private readonly target: string) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const path = req.url ?? '/';
    const kind = path.endsWith('/calls/complete')
      ? 'complete'
      : path.endsWith('/call/start')
        ? 'start'
        : path.endsWith('/call/end')
          ? 'end'
          : undefined;
    if (kind) {
      const text = decodeBody(req.headers['content-encoding'], raw).toString('utf8');
      const body = JSON.parse(text) as { batch?: Rec[]; start?: Rec; end?: Rec };
      this.writes.push({ kind, records: body.batch ?? [(body.start ?? body.end)!] });
    }
    const headers: Record<string, string> = {};
    for (const h of ['content-type', 'content-encoding', 'authorization']) {
      const v = req.headers[h];
      if (typeof v === 'string') headers[h] = v;
    }
    const answer = await fetch(this.target + path, {
      method: req.method,
      headers,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : raw,
    });
    const body = Buffer.from(await answer.arrayBuffer());
    res.writeHead(answer.status, {
      'content-type': answer.headers.get('content-type') ?? 'application/json',
    });
    res.end(body);
  }
}

async function all(it: AsyncIterable<CallRecord>): Promise<CallRecord[]> {
  const out: CallRecord[] = [];
  for await (const c of it) out.push(c);
  return out;
}

const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

const N = 200;
let server: WeftServer;
let proxy: RecordingProxy;
before(async () => {
  server = await new WeftServer().start();
  proxy = await new RecordingProxy(server.url).start();
});
after(async () => {
  await proxy.close();
  await server.dispose();
});

test(`EvaluationLogger: ${N} predictions with flush() after each; no flush waits on the open root or on pairing`, async (t) => {
  const warnings: string[] = [];
  const client = await init({
    project: 'acme/eval-flush',
    serverUrl: proxy.url,
    logger: { warn: (m) => warnings.push(m) },
  });
  const rows = Array.from({ length: N }, (_, i) => ({
    question: `what is ${i} + ${i}?`,
    expected: String(2 * i),
  }));
  const dataset = new Dataset({ name: 'sums-200', rows });
  const model = (_row: { question: string }, i: number): string => (i % 4 === 3 ? 'no idea' : String(2 * i));

  const ev = new EvaluationLogger({ name: 'flush-every-prediction', model: 'gpt-x', dataset });
  const rootId = ev.callId!;
  assert.ok(rootId);
  const first = await client.flush();
  assert.equal(first.undeliverable, 0);
  assert.equal((await client.getCall(rootId))?.status, 'running', 'the root is visible as running at once');

  const flushMs: number[] = [];
  const reports: FlushReport[] = [];
  const writesBefore = proxy.writes.length;
  const runStart = performance.now();
  for (let i = 0; i < N; i++) {
    const row = rows[i]!;
    const output = model(row, i);
    const pred = ev.logPrediction(row, output);
    pred.logScore('correct', output === row.expected);
    pred.logScore('closeness', {
      exact: output === row.expected,
      length_ratio: output.length / row.expected.length,
    });
    pred.finish();

    const t0 = performance.now();
    const report = await client.flush();
    flushMs.push(performance.now() - t0);
    reports.push(report);

    if (i === N / 2) {
      // Mid-run, read back through the server: the root is still running, every finished prediction is there.
      const live = await client.getCall(rootId);
      assert.equal(live?.status, 'running');
      assert.equal(live?.ended_at, null);
      const visible = await all(client.getCalls({ filter: { parent_ids: [rootId] }, columns: ['id'] }));
      assert.equal(visible.length, i + 1);
    }
  }
  const loopMs = performance.now() - runStart;
  const summary = await ev.logSummary({ note: 'done' });
  const last = await client.flush();
  assert.equal(last.undeliverable, 0);

  t.diagnostic(
    `${N} flushes: total ${loopMs.toFixed(0)} ms for the loop; per flush p50 ${percentile(flushMs, 50).toFixed(2)} ms, ` +
      `p99 ${percentile(flushMs, 99).toFixed(2)} ms, max ${Math.max(...flushMs).toFixed(2)} ms`,
  );

  // No flush waited: each settled in one round trip, with nothing held for pairing, and none was slow.
  assert.ok(Math.max(...flushMs) < 1000, `slowest flush ${Math.max(...flushMs).toFixed(0)} ms`);
  for (const r of reports) {
    assert.equal(r.timedOut, false);
    assert.equal(r.undeliverable, 0);
    assert.equal(r.pendingCalls, 0, 'no running call held for pairing: the root was sent eagerly');
    assert.equal(r.accepted, 4, "each flush sent that prediction's 4 finished calls");
  }
  const loopWrites = proxy.writes.slice(writesBefore, writesBefore + N);
  assert.ok(
    loopWrites.every((w) => w.kind === 'complete' && w.records.length === 4),
    'one calls/complete round trip per flush',
  );

  // On the wire: the root as an eager start, then its end, each once; everything else as complete records.
  const starts = proxy.writes.filter((w) => w.kind === 'start');
  const ends = proxy.writes.filter((w) => w.kind === 'end');
  assert.deepEqual(
    starts.map((w) => w.records[0]!.id),
    [rootId],
  );
  assert.deepEqual(
    ends.map((w) => w.records[0]!.id),
    [rootId],
  );
  assert.ok(
    proxy.writes.indexOf(starts[0]!) < proxy.writes.indexOf(ends[0]!),
    'the root started before it ended',
  );
  const completes = proxy.writes.filter((w) => w.kind === 'complete').flatMap((w) => w.records);
  assert.equal(completes.length, N * 4);
  for (const c of completes) {
    for (const field of [
      'id',
      'trace_id',
      'parent_id',
      'op_name',
      'started_at',
      'ended_at',
      'inputs',
      'summary',
    ]) {
      assert.ok(c[field] !== undefined && c[field] !== null, `complete record without ${field}`);
    }
  }

  // Read back from the server: every prediction and score, complete; the root started, then ended with the summary.
  const root = await client.getCall(rootId);
  assert.equal(root?.status, 'success');
  assert.ok(root!.started_at! < root!.ended_at!);
  assert.deepEqual(root?.output, summary);
  assert.deepEqual(summary, {
    scores: {
      correct: { true_fraction: 0.75, true_count: N * 0.75 },
      closeness: {
        exact: { true_fraction: 0.75, true_count: N * 0.75 },
        length_ratio: {
          mean: rows.reduce((s, r, i) => s + model(r, i).length / r.expected.length, 0) / N,
        },
      },
    },
    example_count: N,
    error_count: 0,
    model_latency_ms: null,
    note: 'done',
  });
  const calls = await all(client.getCalls({ filter: { trace_ids: [root!.trace_id!] } }));
  assert.equal(calls.length, 1 + N * 4);
  for (const c of calls) {
    assert.equal(c.status, 'success', `${c.op_name} ${c.id}`);
    assert.ok(c.started_at && c.ended_at && c.op_name);
  }
  const predictions = calls.filter((c) => c.parent_id === rootId);
  assert.equal(predictions.length, N);
  const byIndex = new Map(predictions.map((p) => [p.inputs!.row_index as number, p]));
  for (let i = 0; i < N; i++) {
    const p = byIndex.get(i)!;
    assert.equal(p.op_name, 'Evaluation.predict_and_score');
    assert.deepEqual(p.inputs!.example, rows[i]);
    const out = p.output as { output: string; scores: { correct: boolean } };
    assert.equal(out.output, model(rows[i]!, i));
    assert.equal(out.scores.correct, i % 4 !== 3);
    const kids = calls.filter((c) => c.parent_id === p.id).map((c) => c.op_name);
    assert.deepEqual(kids.sort(), ['closeness', 'correct', 'gpt-x']);
  }
  assert.deepEqual(warnings, []);
  await client.finish();
});
