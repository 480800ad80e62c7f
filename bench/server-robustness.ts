/**
 * The trace server under hostile loads (issue #11): its RSS and `/health` latency while each runs, in
 * its own process over a fresh SQLite file.
 *
 *   node dist/bench/server-robustness.js [--spellings 3000] [--streams 100] [--big-calls 20] [--big-mib 30]
 *   (WEFT_BENCH_CLICKHOUSE_URL=http://127.0.0.1:8123 for the server on a fresh ClickHouse database)
 *
 * - asset spellings: GET the UI's script under `--spellings` different spellings of its path
 *   (`/x1%2f..%2fassets%2f<file>`, `/assets//<file>`, ...), 50 in flight;
 * - stalled streams: `--streams` clients POST `/calls/stream_query` over 20 000 calls and stop reading
 *   (the socket stays open, nothing is read), held for 3 s, then dropped;
 * - big calls: `--big-calls` calls of `--big-mib` MiB inputs each written (one per request), then, as its own row, the UI's calls page query
 *   (`/calls/query`, 50 rows with inputs and outputs), then `/call/read` of each (the full values).
 * `/health` is asked every 20 ms throughout each load (one at a time); "RSS ratio" is the peak RSS
 * during the load over the idle RSS before it; "RSS after" is read once the load has ended.
 */
import { request } from 'node:http';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { numberArg } from './lib/cli-args.js';
import { ServerProcess } from './lib/server-process.js';
import { bytes, fmt, percentile, printHeader, printTable } from './lib/stats.js';
import { generateCalls } from './lib/synthetic-calls.js';

const SPELLINGS = numberArg('spellings', 3000);
const STREAMS = numberArg('streams', 100);
const BIG_CALLS = numberArg('big-calls', 20);
const BIG_MIB = numberArg('big-mib', 30);
const PROJECT = 'bench/robust';

interface LoadResult {
  peakRss: number;
  healthMs: number[];
  outcome: string;
}

/** Runs `load` while sampling `/health` latency and the server's RSS; returns what was seen. */
async function underLoad(server: ServerProcess, load: () => Promise<string>): Promise<LoadResult> {
  const healthMs: number[] = [];
  let peakRss = server.rssBytes();
  let running = true;
  const sampler = (async () => {
    while (running) {
      const t0 = performance.now();
      try {
        await (await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(30_000) })).arrayBuffer();
      } catch {
        // a timeout counts as its full wait
      }
      healthMs.push(performance.now() - t0);
      peakRss = Math.max(peakRss, server.rssBytes());
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const outcome = await load().catch((err: unknown) => `failed: ${String(err).slice(0, 80)}`);
  running = false;
  await sampler;
  peakRss = Math.max(peakRss, server.rssBytes());
  return { peakRss, healthMs, outcome };
}

function assetName(): string {
  const dir = fileURLToPath(new URL('../ui/assets/', import.meta.url));
  const js = readdirSync(dir).find((f) => f.endsWith('.js'));
  if (!js) throw new Error(`no built UI script in ${dir} (run npm run build)`);
  return js;
}

async function spellingFlood(server: ServerProcess): Promise<string> {
  const file = assetName();
  const spell = (i: number) =>
    [
      `/x${i}%2f..%2fassets%2f${file}`,
      `/assets/${'/'.repeat(1 + (i % 7))}${file}?v=${i}`,
      `/./assets/./${file}#${i}`,
      `/y${i}/../assets/${file}`,
    ][i % 4] as string;
  const statuses = new Map<number, number>();
  let next = 0;
  const worker = async () => {
    while (next < SPELLINGS) {
      const res = await fetch(server.url + spell(next++), { headers: { 'accept-encoding': 'gzip' } });
      await res.arrayBuffer();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: 50 }, worker));
  return [...statuses].map(([s, n]) => `${n}× ${s}`).join(', ');
}

async function seedCalls(server: ServerProcess, traces: number): Promise<void> {
  const now = Date.now() * 1000;
  const calls = [...generateCalls({ projectId: PROJECT, traces, fromUs: now - 3_600e6, toUs: now })];
  for (let i = 0; i < calls.length; i += 1000) {
    const batch = calls.slice(i, i + 1000).map((c) => c.call);
    await server.post('/v2/bench/robust/calls/complete', JSON.stringify({ batch }));
  }
}

async function stalledStreams(server: ServerProcess): Promise<string> {
  const url = new URL(`${server.url}/calls/stream_query`);
  const body = JSON.stringify({ project_id: PROJECT });
  const opened: { destroy: () => void }[] = [];
  const statuses = new Map<string, number>();
  await Promise.all(
    Array.from(
      { length: STREAMS },
      () =>
        new Promise<void>((resolve) => {
          const req = request(
            url,
            { method: 'POST', headers: { 'content-type': 'application/json' } },
            (res) => {
              res.pause(); // a client that stops reading
              const key = String(res.statusCode);
              statuses.set(key, (statuses.get(key) ?? 0) + 1);
              opened.push(req);
              resolve();
            },
          );
          req.on('error', (err) => {
            statuses.set(err.message, (statuses.get(err.message) ?? 0) + 1);
            resolve();
          });
          req.end(body);
        }),
    ),
  );
  await new Promise((r) => setTimeout(r, 3000)); // held: the load itself, not a synchronisation
  for (const r of opened) r.destroy();
  return [...statuses].map(([s, n]) => `${n}× ${s}`).join(', ');
}

async function bigCalls(server: ServerProcess): Promise<string> {
  const big = 'x'.repeat(BIG_MIB * 1024 * 1024 - 1024);
  const now = Date.now() * 1000;
  // One body, serialised before the load: the client stringifying 30 MiB per request would block its
  // own /health sampler (same thread) and count as server latency. Each request patches the call's
  // id, start and end in place (same lengths), then waits for its answer before the next.
  const idOf = (i: number) => `0190b3a0-0000-7000-8000-${String(i).padStart(12, '0')}`;
  const timeOf = (i: number, offsetUs: number) => new Date((now + offsetUs + i * 1000) / 1000).toISOString();
  const body = Buffer.from(
    JSON.stringify({
      batch: [
        {
          project_id: PROJECT,
          id: idOf(0),
          trace_id: idOf(0),
          op_name: 'big_call',
          started_at: timeOf(0, -60e6),
          ended_at: timeOf(0, -59e6),
          output: 'ok',
          attributes: {},
          summary: {},
          inputs: { text: big },
        },
      ],
    }),
  );
  const at = (text: string) => body.indexOf(text);
  const places = {
    id: at(idOf(0)),
    trace: body.indexOf(idOf(0), at(idOf(0)) + 1),
    start: at(timeOf(0, -60e6)),
    end: at(timeOf(0, -59e6)),
  };
  for (let i = 0; i < BIG_CALLS; i++) {
    body.write(idOf(i), places.id);
    body.write(idOf(i), places.trace);
    body.write(timeOf(i, -60e6), places.start);
    body.write(timeOf(i, -59e6), places.end);
    await server.post('/v2/bench/robust/calls/complete', body);
  }
  return `${BIG_CALLS}× 200`;
}

/** The UI's calls page over the big calls (run after `bigCalls`, measured on its own). */
async function bigPage(server: ServerProcess): Promise<string> {
  const res = await fetch(`${server.url}/calls/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      project_id: PROJECT,
      filter: { op_names: ['big_call'] },
      limit: 50,
      sort_by: [{ field: 'started_at', direction: 'desc' }],
    }),
  });
  const size = (await res.arrayBuffer()).byteLength;
  return `page query: ${res.status}, ${bytes(size)}`;
}

/** The UI's "show full" of each big call (`/call/read`, the whole 30 MiB value), one after another. */
async function bigReads(server: ServerProcess): Promise<string> {
  let bytesRead = 0;
  for (let i = 0; i < BIG_CALLS; i++) {
    const id = `0190b3a0-0000-7000-8000-${String(i).padStart(12, '0')}`;
    const res = await fetch(`${server.url}/call/read`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ project_id: PROJECT, id }),
    });
    if (!res.ok) throw new Error(`/call/read answered ${res.status}`);
    bytesRead += (await res.arrayBuffer()).byteLength;
  }
  return `${BIG_CALLS}× 200, ${bytes(bytesRead)}`;
}

printHeader('server-robustness', [
  `spellings ${SPELLINGS}, stalled streams ${STREAMS}, big calls ${BIG_CALLS} × ${BIG_MIB} MiB`,
  `store: ${process.env.WEFT_BENCH_CLICKHOUSE_URL ? `ClickHouse at ${process.env.WEFT_BENCH_CLICKHOUSE_URL}` : 'SQLite'}`,
]);
const dir = mkdtempSync(join(tmpdir(), 'weft-robust-'));
const server = await ServerProcess.start(join(dir, 'weft.db'));
try {
  await seedCalls(server, 2000); // 20 000 calls for the streams
  const rows: string[][] = [];
  const loads: [string, (s: ServerProcess) => Promise<string>][] = [
    ['asset-spelling flood', spellingFlood],
    ['stalled stream_query clients', stalledStreams],
    ['big calls written', bigCalls],
    ['then the calls page over them', bigPage],
    ['then /call/read of each', bigReads],
  ];
  for (const [name, load] of loads) {
    const idle = server.rssBytes();
    const r = await underLoad(server, () => load(server));
    const after = server.rssBytes();
    rows.push([
      name,
      bytes(idle),
      bytes(r.peakRss),
      `${fmt(r.peakRss / idle, 2)}×`,
      bytes(after),
      fmt(percentile(r.healthMs, 50)),
      fmt(percentile(r.healthMs, 99)),
      String(r.healthMs.length),
      r.outcome,
    ]);
  }
  printTable(
    'server RSS and /health latency (ms) under hostile loads',
    [
      'load',
      'RSS idle',
      'RSS peak',
      'RSS ratio',
      'RSS after',
      'health p50',
      'health p99',
      'probes',
      'answers',
    ],
    rows,
  );
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
