/**
 * SQLite store vs ClickHouse store, same data, same run: ingest rate, the query latencies of
 * bench/server-query.ts over HTTP (each store behind its own `weft serve` process), and the size on
 * disk (ClickHouse: compressed bytes of the active parts in `system.parts`).
 *
 *   WEFT_CLICKHOUSE_URL=http://127.0.0.1:8123 node --expose-gc dist/bench/store-compare.js \
 *     [--calls 1000000] [--runs 10] [--inflight 4]
 *
 * Data: bench/lib/synthetic-calls.ts as in server-query (traces of 10 calls over 30 days, one trace of
 * 10 000 calls, ~2 % errors, a marker word in ~0.1 % of inputs). Ingest: the store's `ingest()` with
 * batches of 1 000 complete calls, `--inflight` batches at once (SQLite serialises them; ClickHouse
 * batches them into 10 000-row inserts). The ClickHouse database is fresh and dropped at the end.
 * Ratios are ClickHouse / SQLite (ingest: rate ratio; queries: latency ratio, > 1 = ClickHouse slower).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ClickHouseStore } from '../src/store/clickhouse/clickhouse-store.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { CallPart, TraceStore } from '../src/store/trace-store.js';
import { numberArg } from './lib/cli-args.js';
import { queryMix, type Query } from './lib/query-mix.js';
import { forceGc } from './lib/gc.js';
import { fmt, int, median, percentile, printHeader, printTable } from './lib/stats.js';
import { BIG_TRACE_OP, completePart, generateCalls } from './lib/synthetic-calls.js';

const CALLS = numberArg('calls', 1_000_000);
const RUNS = numberArg('runs', 10);
const INFLIGHT = numberArg('inflight', 4);
const BIG_TRACE = 10_000;
const PROJECT_ID = 'bench/compare';
const FROM_US = Date.UTC(2026, 0, 1) * 1000;
const TO_US = FROM_US + 30 * 24 * 3600 * 1_000_000;
const CLICKHOUSE_URL = process.env.WEFT_CLICKHOUSE_URL;
const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

/** Ingests the generated calls into `store`; returns seconds and the id of the big trace. */
async function ingestAll(store: TraceStore): Promise<{ seconds: number; bigTraceId: string }> {
  const traces = Math.max(1, Math.round((CALLS - BIG_TRACE) / 10));
  const inflight = new Set<Promise<void>>();
  let batch: CallPart[] = [];
  let bigTraceId = '';
  let n = 0;
  const t0 = performance.now();
  const send = async (parts: CallPart[]) => {
    const p = store.ingest(parts);
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
    if (inflight.size >= INFLIGHT) await Promise.race(inflight);
  };
  for (const g of generateCalls({
    projectId: PROJECT_ID,
    traces,
    bigTraceCalls: BIG_TRACE,
    fromUs: FROM_US,
    toUs: TO_US,
  })) {
    if (g.call.op_name === BIG_TRACE_OP) bigTraceId = g.call.trace_id;
    batch.push(completePart(g));
    if (batch.length === 1000) {
      await send(batch);
      batch = [];
    }
    if (++n % 200_000 === 0)
      console.log(`  ${store.kind}: ${int(n)} calls, ${fmt((performance.now() - t0) / 1000, 1)} s`);
  }
  if (batch.length > 0) await send(batch);
  await Promise.all(inflight);
  return { seconds: (performance.now() - t0) / 1000, bigTraceId };
}

/** `weft serve` on a store, in its own process; resolves with its URL once it listens. */
async function serve(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WEFT_')));
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('weft serve did not start in 60 s')), 60_000);
    lines.on('line', (line) => {
      const m = /^weft serving on (http:\/\/\S+) /.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    });
    child.once('exit', (code) => reject(new Error(`weft serve exited with ${code}`)));
  });
  return { url, child };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}

function queries(bigTraceId: string): Query[] {
  const mix = queryMix({
    projectId: PROJECT_ID,
    bigTraceId,
    bigTrace: BIG_TRACE,
    fromUs: FROM_US,
    runs: RUNS,
  });
  return [mix.latestRoots, mix.trace, mix.opRangeError, mix.contains, mix.containsNone];
}

/** Median and p95 latency (ms) and rows of each query against the server at `url`. */
async function measure(url: string, list: Query[]): Promise<{ median: number; p95: number; rows: number }[]> {
  const ms: number[][] = list.map(() => []);
  const rows: number[] = list.map(() => 0);
  for (let run = -2; run < Math.max(...list.map((q) => q.runs)); run++) {
    for (const [i, q] of list.entries()) {
      if (run >= q.runs) continue;
      forceGc();
      const t = performance.now();
      const res = await fetch(url + q.path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(q.body),
      });
      const text = await res.text();
      const elapsed = performance.now() - t;
      if (!res.ok) throw new Error(`${q.name}: HTTP ${res.status} ${text.slice(0, 300)}`);
      rows[i] =
        q.path === '/calls/query'
          ? (JSON.parse(text) as { calls: unknown[] }).calls.length
          : text.split('\n').filter(Boolean).length;
      if (run >= 0) (ms[i] as number[]).push(elapsed);
    }
  }
  return list.map((_, i) => ({
    median: median(ms[i] as number[]),
    p95: percentile(ms[i] as number[], 95),
    rows: rows[i] as number,
  }));
}

async function clickhouseSql<T>(query: string): Promise<T[]> {
  const res = await fetch(`${CLICKHOUSE_URL}/?output_format_json_quote_64bit_integers=0`, {
    method: 'POST',
    body: `${query} FORMAT JSONEachRow`,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(text);
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
}

async function main(): Promise<void> {
  if (!CLICKHOUSE_URL)
    throw new Error(
      'set WEFT_CLICKHOUSE_URL (e.g. export WEFT_CLICKHOUSE_URL="$(bash scripts/ci-clickhouse.sh)")',
    );
  const database = `weft_bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-store-compare-'));
  const sqliteFile = path.join(dir, 'weft.db');
  printHeader('store-compare', [
    `calls: ${int(CALLS)}, runs per query: ${RUNS}, ingest batches of 1 000 with ${INFLIGHT} in flight`,
    `sqlite: ${sqliteFile} | clickhouse: ${CLICKHOUSE_URL} database ${database}`,
  ]);
  const servers: ChildProcess[] = [];
  try {
    console.log('ingesting into SQLite ...');
    const sqlite = SqliteStore.open(sqliteFile);
    const sqliteIngest = await ingestAll(sqlite);
    await sqlite.close();
    console.log('ingesting into ClickHouse ...');
    const clickhouse = await ClickHouseStore.open({ url: CLICKHOUSE_URL, database });
    const clickhouseIngest = await ingestAll(clickhouse);
    const inserts = clickhouse.ingestStats.inserts;
    const stored = await clickhouse.countCalls({ project_id: PROJECT_ID });
    await clickhouse.close();

    const sqliteBytes = ['', '-wal'].reduce(
      (sum, suffix) => sum + (fs.statSync(sqliteFile + suffix, { throwIfNoEntry: false })?.size ?? 0),
      0,
    );
    const [parts] = await clickhouseSql<{
      rows: number;
      compressed: number;
      uncompressed: number;
      parts: number;
    }>(
      `SELECT sum(rows) AS rows, sum(data_compressed_bytes) AS compressed, sum(data_uncompressed_bytes) AS uncompressed,
        count() AS parts FROM system.parts WHERE database = '${database}' AND table = 'call_parts' AND active`,
    );

    console.log('starting both servers ...');
    const a = await serve(['--db', sqliteFile]);
    servers.push(a.child);
    const b = await serve([
      '--store',
      'clickhouse',
      '--clickhouse-url',
      CLICKHOUSE_URL,
      '--clickhouse-database',
      database,
    ]);
    servers.push(b.child);
    const list = queries(sqliteIngest.bigTraceId);
    const sqliteMs = await measure(a.url, list);
    const clickhouseMs = await measure(b.url, list);

    const rate = (s: number) => CALLS / s;
    printTable(
      `Ingest, ${int(CALLS)} complete calls (store.ingest, batches of 1 000, ${INFLIGHT} in flight)`,
      ['store', 'seconds', 'calls/s', 'ratio', 'notes'],
      [
        [
          'sqlite',
          fmt(sqliteIngest.seconds, 1),
          int(rate(sqliteIngest.seconds)),
          '1.00',
          `${fmt(sqliteBytes / 2 ** 20, 0)} MiB file`,
        ],
        [
          'clickhouse',
          fmt(clickhouseIngest.seconds, 1),
          int(rate(clickhouseIngest.seconds)),
          fmt(rate(clickhouseIngest.seconds) / rate(sqliteIngest.seconds), 2),
          `${int(inserts)} inserts; ${int(stored)} calls read back`,
        ],
      ],
    );
    printTable(
      `ClickHouse size on disk (system.parts, call_parts, active parts, before any OPTIMIZE)`,
      ['rows', 'parts', 'compressed', 'uncompressed', 'bytes / call', 'MiB / million calls'],
      [
        [
          int(Number(parts?.rows)),
          int(Number(parts?.parts)),
          `${fmt(Number(parts?.compressed) / 2 ** 20, 1)} MiB`,
          `${fmt(Number(parts?.uncompressed) / 2 ** 20, 1)} MiB`,
          int(Number(parts?.compressed) / CALLS),
          fmt(((Number(parts?.compressed) / CALLS) * 1e6) / 2 ** 20, 0),
        ],
      ],
    );
    printTable(
      `Query latency over HTTP, ms (median / p95 after 2 warm-up runs; ${int(CALLS)} calls)`,
      [
        'query',
        'rows',
        'sqlite median',
        'sqlite p95',
        'clickhouse median',
        'clickhouse p95',
        'ratio (median)',
      ],
      list.map((q, i) => {
        const s = sqliteMs[i] as { median: number; p95: number; rows: number };
        const c = clickhouseMs[i] as { median: number; p95: number; rows: number };
        if (s.rows !== c.rows)
          console.log(`WARNING: ${q.name}: sqlite returned ${s.rows} rows, clickhouse ${c.rows}`);
        return [
          q.name,
          `${int(s.rows)}${s.rows === c.rows ? '' : ` / ${int(c.rows)}`}`,
          fmt(s.median, 1),
          fmt(s.p95, 1),
          fmt(c.median, 1),
          fmt(c.p95, 1),
          fmt(c.median / s.median, 1),
        ];
      }),
    );
  } finally {
    for (const child of servers) await stop(child);
    await clickhouseSql(`DROP DATABASE IF EXISTS \`${database}\``).catch(() => []);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
