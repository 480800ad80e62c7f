import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { CLICKHOUSE_SKIP, CLICKHOUSE_URL } from '../src/store/clickhouse/test-databases.test-helper.js';
import { WeftServer, type WeftServerStore } from './helpers/weft-server.js';

/**
 * Issue #11: `/calls/stream_query` clients that stop reading. Real `weft serve`, raw sockets that send
 * a request and never read: the server must stay small and responsive, refuse streams over its caps
 * (429), abort the idle ones after `WEFT_STREAM_IDLE_TIMEOUT_MS` and give every place back.
 */
const STORES: WeftServerStore[] = [
  { kind: 'sqlite' },
  ...(CLICKHOUSE_URL ? [{ kind: 'clickhouse' as const, clickhouseUrl: CLICKHOUSE_URL }] : []),
];
if (!CLICKHOUSE_URL) {
  test('stalled stream readers on --store clickhouse', { skip: CLICKHOUSE_SKIP }, () =>
    assert.fail('not run'),
  );
}

const PROJECT = 'acme/stalled';
const CALLS = 6000; // ~3 KiB each: a stream of ~18 MB, far more than the socket buffers hold
const PER_KEY = 4;
const IDLE_MS = 3000;
const STALLED = 50;
/** Generous: 50 stalled streams used to pin ~4-5 MB each; capped, only PER_KEY of them run. */
const RSS_GROWTH_BOUND = 100 * 1024 * 1024;
const HEALTH_BOUND_MS = 2000;

for (const store of STORES)
  describe(`stalled /calls/stream_query readers (${store.kind})`, () => suite(store));

interface Stats {
  active: number;
  refused: number;
  idle_aborted: number;
}

function suite(store: WeftServerStore): void {
  let server: WeftServer;
  let port = 0;
  const body = JSON.stringify({ project_id: PROJECT });
  const request = (extra = '') =>
    `POST /calls/stream_query HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;

  before(async () => {
    server = await new WeftServer([], store, {
      WEFT_MAX_STREAMS_PER_KEY: String(PER_KEY),
      WEFT_STREAM_IDLE_TIMEOUT_MS: String(IDLE_MS),
    }).start();
    port = Number(new URL(server.url).port);
    const pad = 'lorem ipsum '.repeat(250);
    for (let i = 0; i < CALLS; i += 500) {
      const batch = Array.from({ length: 500 }, (_, j) => {
        const n = i + j;
        const id = `0190b3a0-0000-7000-8000-${String(n).padStart(12, '0')}`;
        return {
          project_id: PROJECT,
          id,
          trace_id: id,
          parent_id: null,
          op_name: 'chat',
          started_at: new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString(),
          ended_at: new Date(Date.UTC(2026, 0, 1) + n * 1000 + 500).toISOString(),
          attributes: {},
          inputs: { n, pad },
          output: { ok: true },
          summary: {},
        };
      });
      const res = await server.post(`/v2/${PROJECT}/calls/complete`, { batch });
      assert.equal(res.status, 200, await res.text());
    }
    await until(async () => (await countLines()) === CALLS, 30_000); // ClickHouse ingests asynchronously
  });
  after(() => server.dispose());

  async function stats(): Promise<Stats> {
    const res = await fetch(`${server.url}/server_stats`);
    return ((await res.json()) as { streams: Stats }).streams;
  }

  async function countLines(): Promise<number> {
    const res = await server.post('/calls/stream_query', { project_id: PROJECT });
    assert.equal(res.status, 200);
    return (await res.text()).trimEnd().split('\n').filter(Boolean).length;
  }

  test('stalled clients: bounded RSS, 429 over the cap, /health answers, idle streams cut, places back', async () => {
    const before = await stats();
    const idleRss = server.rssBytes();
    let peakRss = idleRss;
    const healthMs: number[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const t0 = performance.now();
        const res = await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(30_000) });
        assert.equal(res.status, 200);
        await res.arrayBuffer();
        healthMs.push(performance.now() - t0);
        peakRss = Math.max(peakRss, server.rssBytes());
        await new Promise((resolve) => setTimeout(resolve, 20)); // the probe's pace, not a synchronisation
      }
    })();

    const sockets = Array.from({ length: STALLED }, () => stalledClient(port, request()));
    try {
      await until(async () => {
        const s = await stats();
        return s.active + s.refused - before.refused === STALLED;
      });
      const during = await stats();
      assert.equal(during.active, PER_KEY, 'only the per-key cap of streams is open');
      assert.equal(during.refused - before.refused, STALLED - PER_KEY);

      const refused = await server.post('/calls/stream_query', { project_id: PROJECT });
      assert.equal(refused.status, 429);
      assert.equal(refused.headers.get('retry-after'), '2');
      assert.match(((await refused.json()) as { error: string }).error, /per-key cap/);

      // Nobody reads: after the idle timeout every stream is aborted and its place given back.
      await until(async () => (await stats()).active === 0, IDLE_MS + 20_000);
      assert.equal((await stats()).idle_aborted - before.idle_aborted, PER_KEY);
      if (store.kind === 'clickhouse') {
        // The aborted streams' ClickHouse queries are cancelled too, not left holding sockets.
        await until(async () => (await runningQueries(store.clickhouseUrl)) === 0, 20_000);
      }
      sampling = false;
      await sampler;
      const growth = peakRss - idleRss;
      assert.ok(growth < RSS_GROWTH_BOUND, `RSS grew by ${(growth / 2 ** 20).toFixed(0)} MiB`);
      const worst = Math.max(...healthMs);
      assert.ok(worst < HEALTH_BOUND_MS, `/health took up to ${worst.toFixed(0)} ms`);

      // The aborted streams' connections were cut: their clients never see the end of the answer.
      const answers = await Promise.all(sockets.map((s) => s.readToClose(20_000)));
      const tooMany = answers.filter((a) => a.startsWith('HTTP/1.1 429'));
      assert.equal(tooMany.length, STALLED - PER_KEY);
      const cut = answers.filter((a) => !a.startsWith('HTTP/1.1 429'));
      assert.equal(cut.length, PER_KEY);
      assert.ok(
        cut.every((a) => !a.endsWith('\r\n0\r\n\r\n')),
        'an aborted stream must not look complete',
      );
    } finally {
      sampling = false;
      await sampler.catch(() => undefined);
      for (const s of sockets) s.socket.destroy();
    }

    // Every place is back: PER_KEY readers at once each get every call.
    const counts = await Promise.all(Array.from({ length: PER_KEY }, () => countLines()));
    assert.deepEqual(counts, Array(PER_KEY).fill(CALLS));
    assert.equal((await stats()).active, 0);
  });

  test('two streams pipelined on one connection: one is served, the other is 429 (per-connection cap)', async () => {
    const client = stalledClient(port, request() + request('Connection: close\r\n'));
    client.socket.resume();
    const text = await client.readToClose(30_000);
    // Both requests are handled at once, so either may take the connection's one place (with the
    // ClickHouse store, authentication is a network round trip and their order varies).
    const refusedAt = text.indexOf('HTTP/1.1 429');
    const servedAt = text.indexOf('HTTP/1.1 200');
    assert.ok(refusedAt >= 0 && servedAt >= 0, text.slice(0, 300));
    const served = refusedAt > servedAt ? text.slice(servedAt, refusedAt) : text.slice(servedAt);
    assert.ok(served.endsWith('\r\n0\r\n\r\n'), 'the served stream is complete');
    assert.equal(served.split('\n').filter((l) => l.startsWith('{"')).length, CALLS);
    const refusal = refusedAt > servedAt ? text.slice(refusedAt) : text.slice(refusedAt, servedAt);
    assert.match(refusal, /\r\nretry-after: 2\r\n/i);
    assert.match(refusal, /per-connection cap/);
    await until(async () => (await stats()).active === 0);
  });
}

/** ClickHouse queries running now that read this suite's project (its name is inlined in the SQL). */
async function runningQueries(clickhouseUrl: string): Promise<number> {
  const sql =
    `SELECT count() FROM system.processes WHERE query LIKE '%${PROJECT}%' ` +
    `AND query NOT LIKE '%system.processes%'`;
  const res = await fetch(clickhouseUrl, { method: 'POST', body: sql });
  return Number((await res.text()).trim());
}

/** A raw client that sends `request` and reads nothing (until `readToClose`). */
function stalledClient(port: number, request: string) {
  const socket = net.connect(port, '127.0.0.1');
  socket.pause();
  socket.write(request);
  const chunks: Buffer[] = [];
  socket.on('data', (d: Buffer) => chunks.push(d));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined); // a connection the server cut is an expected outcome
  return {
    socket,
    /** Reads everything until the connection closes (fails after `ms`); the answer as latin1 text. */
    async readToClose(ms: number): Promise<string> {
      socket.resume();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        closed,
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('the connection stayed open')), ms);
        }),
      ]).finally(() => clearTimeout(timer));
      return Buffer.concat(chunks).toString('latin1');
    },
  };
}

/** Resolves once `check()` is true, polling; fails after `ms`. */
async function until(check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
