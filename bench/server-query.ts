/**
 * Query latency of the trace server over HTTP on a store of 1 000 000 calls.
 *
 *   node --expose-gc dist/bench/server-query.js [--calls 1000000] [--runs 20] [--db <file>] [--regenerate]
 *
 * The store is generated once through `SqliteStore.ingest` (batches of 1 000 complete calls) and reused
 * from the temp dir on later runs (`--regenerate` rebuilds it). Mix: traces of 10 calls (root -> 3
 * steps -> an LLM call and a tool call each) spread over 30 days, one trace of 10 000 calls, ~2 % errors
 * on leaf calls, 3 root op names + 4 others, every call's inputs with a `text` field, and a marker word
 * in ~0.1 % of those texts. The server runs in another process; each query is run `--runs` times after
 * 2 warm-up runs, queries interleaved round by round. Target: under 50 ms except `$contains`.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { compileCallsSelect } from '../src/store/sqlite/call-query-sql.js';
import { TRACE_TREE_COLUMNS } from '../src/shared/call-types.js';
import { MIGRATIONS } from '../src/store/sqlite/migrations.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { CallPart, CallsQuery } from '../src/store/trace-store.js';
import { flagArg, numberArg, stringArg } from './lib/cli-args.js';
import { forceGc } from './lib/gc.js';
import { queryMix, type Query } from './lib/query-mix.js';
import { ServerProcess } from './lib/server-process.js';
import { BIG_TRACE_OP, completePart, generateCalls } from './lib/synthetic-calls.js';
import { fmt, int, median, percentile, printHeader, printTable } from './lib/stats.js';

const CALLS = numberArg('calls', 1_000_000);
const RUNS = numberArg('runs', 20);
const BIG_TRACE = 10_000;
const PROJECT_ID = 'bench/query';
const FROM_US = Date.UTC(2026, 0, 1) * 1000;
const TO_US = FROM_US + 30 * 24 * 3600 * 1_000_000;
/** Bump when the generated data changes; the schema is fingerprinted, so a changed schema regenerates too. */
const GENERATOR_VERSION = 1;
const SCHEMA = createHash('sha256').update(MIGRATIONS.join('\n')).digest('hex').slice(0, 10);
const DB = stringArg(
  'db',
  path.join(os.tmpdir(), `weft-bench-query-v${GENERATOR_VERSION}-${SCHEMA}-${CALLS}.db`),
);

/** Opens the reusable store, generating it when it is missing, incomplete or `--regenerate` is given. */
async function ensureStore(): Promise<{ bigTraceId: string }> {
  const marker = `${DB}.done.json`;
  if (!flagArg('regenerate') && fs.existsSync(marker) && fs.existsSync(DB)) {
    const info = JSON.parse(fs.readFileSync(marker, 'utf8')) as { calls: number; bigTraceId: string };
    if (info.calls === CALLS) {
      console.log(`reusing ${DB} (${int(info.calls)} calls)`);
      return info;
    }
  }
  for (const f of [DB, `${DB}-wal`, `${DB}-shm`, marker]) fs.rmSync(f, { force: true });
  removeStaleStores();
  console.log(`generating ${int(CALLS)} calls into ${DB} ...`);
  const store = SqliteStore.open(DB);
  const t0 = performance.now();
  let batch: CallPart[] = [];
  let n = 0;
  let bigTraceId = '';
  const traces = Math.max(1, Math.round((CALLS - BIG_TRACE) / 10));
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
      await store.ingest(batch);
      batch = [];
    }
    if (++n % 100_000 === 0) {
      const s = (performance.now() - t0) / 1000;
      console.log(`  ${int(n)} calls, ${fmt(s, 1)} s, ${int(n / s)} calls/s`);
    }
  }
  if (batch.length > 0) await store.ingest(batch);
  const total = (await store.stats()).calls;
  await store.close();
  const s = (performance.now() - t0) / 1000;
  console.log(
    `generated ${int(total)} calls in ${fmt(s, 1)} s (${int(total / s)} calls/s), ${fmt(fs.statSync(DB).size / 2 ** 20, 0)} MiB`,
  );
  fs.writeFileSync(marker, JSON.stringify({ calls: total, bigTraceId }));
  return { bigTraceId };
}

/** Deletes stores this bench generated for an older schema or generator (default location only). */
function removeStaleStores(): void {
  if (stringArg('db', undefined) !== undefined) return;
  const dir = path.dirname(DB);
  const mine = /^weft-bench-query-v\d+-[0-9a-f]+-\d+\.db(-wal|-shm|\.done\.json)?$/;
  for (const name of fs.readdirSync(dir)) {
    if (mine.test(name) && !name.startsWith(path.basename(DB))) {
      console.log(`removing stale ${path.join(dir, name)}`);
      fs.rmSync(path.join(dir, name), { force: true });
    }
  }
}

/** Rows returned: `calls` of a JSON page, or lines of NDJSON. */
function countRows(queryPath: string, text: string): number {
  if (queryPath === '/calls/query') return (JSON.parse(text) as { calls: unknown[] }).calls.length;
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

async function main(): Promise<void> {
  printHeader('server-query', [`store: ${DB}, runs per query: ${RUNS}`]);
  const { bigTraceId } = await ensureStore();
  const server = await ServerProcess.start(DB);
  const mix = queryMix({
    projectId: PROJECT_ID,
    bigTraceId,
    bigTrace: BIG_TRACE,
    fromUs: FROM_US,
    runs: RUNS,
  });
  const queries: Query[] = [
    mix.latestRoots,
    { ...mix.trace, name: `${mix.trace.name}, read as one string` },
    { ...mix.trace, name: 'same, until its last byte (lines counted as they arrive)', read: 'last-byte' },
    {
      // What the UI's trace view asks for: the tree, sorted; inputs and outputs come per selected call.
      name: `same trace, tree columns sorted by start (the UI's trace view)`,
      path: '/calls/stream_query',
      body: {
        project_id: PROJECT_ID,
        filter: { trace_ids: [bigTraceId] },
        sort_by: [{ field: 'started_at', direction: 'asc' }],
        columns: TRACE_TREE_COLUMNS,
      },
      runs: RUNS,
    },
    mix.opRangeError,
    mix.contains,
    mix.containsNone,
  ];

  const ms: number[][] = queries.map(() => []);
  const rows: number[] = queries.map(() => 0);
  const maxRuns = Math.max(...queries.map((q) => q.runs));
  for (let run = -2; run < maxRuns; run++) {
    for (let qi = 0; qi < queries.length; qi++) {
      const q = queries[qi] as Query;
      if (run >= q.runs) continue;
      forceGc();
      const t = performance.now();
      let elapsed: number;
      if (q.read === 'last-byte') {
        rows[qi] = (await server.postCountingLines(q.path, JSON.stringify(q.body))).lines;
        elapsed = performance.now() - t;
      } else {
        const text = await server.post(q.path, JSON.stringify(q.body));
        elapsed = performance.now() - t;
        rows[qi] = countRows(q.path, text);
      }
      if (run >= 0) (ms[qi] as number[]).push(elapsed);
    }
    if (run === -2) console.log('first (cold) run done');
  }
  await server.stop();

  printTable(
    `Latency over HTTP, ms (store of ${int(CALLS)} calls; median and p95 of the runs after 2 warm-up runs)`,
    ['query', 'rows', 'runs', 'median', 'p95', 'target'],
    queries.map((q, qi) => [
      q.name,
      int(rows[qi] as number),
      String(q.runs),
      fmt(median(ms[qi] as number[]), 1),
      fmt(percentile(ms[qi] as number[], 95), 1),
      q.name.startsWith('$contains') ? '-' : '< 50',
    ]),
  );
  await bigTraceBreakdown(bigTraceId, median(ms[1] as number[]));
}

/**
 * Where the time of the large-trace stream goes, in this process on the same file: the SQL alone
 * (better-sqlite3, raw rows), `store.queryCalls` (+ row -> record), `store.queryCallsJson` (each row's
 * JSON text built by SQLite: what `/calls/stream_query` reads), and `queryCalls` plus `JSON.stringify`
 * of each record (the route's path for a store without `queryCallsJson`).
 */
async function bigTraceBreakdown(bigTraceId: string, httpMedianMs: number): Promise<void> {
  const query: CallsQuery = { project_id: PROJECT_ID, filter: { trace_ids: [bigTraceId] } };
  const compiled = compileCallsSelect(query);
  const db = new Database(DB, { readonly: true });
  db.pragma('cache_size = -65536');
  const store = SqliteStore.open(DB);
  const steps: { name: string; run: () => Promise<number> }[] = [
    {
      name: 'SQL only (better-sqlite3 raw rows)',
      run: async () => {
        let n = 0;
        for (const _row of db
          .prepare(compiled.sql)
          .raw(true)
          .iterate(...compiled.params))
          n++;
        return n;
      },
    },
    {
      name: 'store.queryCalls (rows -> CallRecords)',
      run: async () => {
        let n = 0;
        for await (const _call of store.queryCalls(query)) n++;
        return n;
      },
    },
    {
      name: 'store.queryCallsJson (JSON lines built by SQLite: the route)',
      run: async () => {
        let n = 0;
        for await (const _line of store.queryCallsJson(query)) n++;
        return n;
      },
    },
    {
      name: 'store.queryCalls + JSON.stringify per record',
      run: async () => {
        let n = 0;
        for await (const call of store.queryCalls(query)) n += JSON.stringify(call).length > 0 ? 1 : 0;
        return n;
      },
    },
  ];
  const ms: number[][] = steps.map(() => []);
  for (let run = -2; run < RUNS; run++) {
    for (let i = 0; i < steps.length; i++) {
      forceGc();
      const t = performance.now();
      const n = await (steps[i] as (typeof steps)[number]).run();
      if (run >= 0) (ms[i] as number[]).push(performance.now() - t);
      if (n !== BIG_TRACE) throw new Error(`breakdown: ${n} rows, expected ${BIG_TRACE}`);
    }
  }
  await store.close();
  db.close();
  printTable(
    `Where the ${int(BIG_TRACE)}-call trace's time goes (in-process, same file; median ms)`,
    ['step', 'median', 'share of the HTTP median'],
    [
      ...steps.map((st, i) => [
        st.name,
        fmt(median(ms[i] as number[]), 1),
        `${fmt((100 * median(ms[i] as number[])) / httpMedianMs, 0)} %`,
      ]),
      ['HTTP /calls/stream_query (table above)', fmt(httpMedianMs, 1), '100 %'],
    ],
  );
}

await main();
