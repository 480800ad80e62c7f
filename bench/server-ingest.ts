/**
 * Trace-server ingest rate over HTTP against the store's own `ingest()` rate, same run, same records.
 *
 *   node --expose-gc dist/bench/server-ingest.js [--calls 100000] [--batch 1000] [--rounds 3]
 *
 * The server (`startServer`, as `weft serve`) runs in another process, on a fresh SQLite file per
 * measurement; bodies are prebuilt and gzipped (level 1, as the SDK sends them), so the load generator
 * costs little. Modes:
 * - store.ingest complete: `SqliteStore.ingest` of 1 000 complete parts per call, fresh temp db;
 * - store.ingest halves: per 1 000 calls, one ingest of their 1 000 starts, then one of their 1 000 ends;
 * - HTTP calls/complete: `POST /v2/{entity}/{project}/calls/complete`, 1 000 calls per body, 1 or 4 in flight;
 * - HTTP upsert_batch halves: `POST /call/upsert_batch`, the same starts then ends, 1 000 items per body.
 * Ratios: raw store rate / HTTP rate of the same round (complete vs complete, halves vs halves).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync, constants as zlib } from 'node:zlib';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { CallPart } from '../src/store/trace-store.js';
import { numberArg } from './lib/cli-args.js';
import { forceGc } from './lib/gc.js';
import { ServerProcess } from './lib/server-process.js';
import {
  completePart,
  endPart,
  generateCalls,
  halves,
  startPart,
  type GeneratedCall,
} from './lib/synthetic-calls.js';
import { fmt, int, median, printHeader, printTable } from './lib/stats.js';

const CALLS = numberArg('calls', 100_000);
const BATCH = numberArg('batch', 1000);
const ROUNDS = numberArg('rounds', 3);
const ENTITY = 'bench';
const PROJECT = 'ingest';
const PROJECT_ID = `${ENTITY}/${PROJECT}`;

type Mode =
  'store complete' | 'store halves' | 'HTTP complete x1' | 'HTTP complete x4' | 'HTTP upsert halves x1';
const MODES: Mode[] = [
  'store complete',
  'HTTP complete x1',
  'HTTP complete x4',
  'store halves',
  'HTTP upsert halves x1',
];

function chunks<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

const gz = (json: string) => gzipSync(Buffer.from(json), { level: zlib.Z_BEST_SPEED });

function freshDb(): { file: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-bench-ingest-'));
  return { file: path.join(dir, 'weft.db'), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

async function postAll(
  server: ServerProcess,
  urlPath: string,
  bodies: Buffer[],
  inFlight: number,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < bodies.length) await server.post(urlPath, bodies[next++] as Buffer, true);
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
}

async function main(): Promise<void> {
  printHeader('server-ingest', [`calls: ${CALLS}, batch: ${BATCH}, rounds: ${ROUNDS}`]);
  const t0 = performance.now();
  const calls: GeneratedCall[] = [
    ...generateCalls({
      projectId: PROJECT_ID,
      traces: Math.ceil(CALLS / 10),
      fromUs: Date.UTC(2026, 0, 1) * 1000,
      toUs: Date.UTC(2026, 0, 2) * 1000,
    }),
  ].slice(0, CALLS);
  const groups = chunks(calls, BATCH);
  const rawComplete: CallPart[][] = groups.map((g) => g.map(completePart));
  const rawHalves: CallPart[][] = groups.flatMap((g) => [g.map(startPart), g.map(endPart)]);
  const completeBodies = groups.map((g) => gz(JSON.stringify({ batch: g.map((c) => c.call) })));
  const upsertBodies = groups.flatMap((g) => {
    const hs = g.map(halves);
    return [
      gz(JSON.stringify({ batch: hs.map((h) => ({ mode: 'start', req: { start: h.start } })) })),
      gz(JSON.stringify({ batch: hs.map((h) => ({ mode: 'end', req: { end: h.end } })) })),
    ];
  });
  const rawBytes = JSON.stringify({ batch: calls.map((c) => c.call) }).length;
  console.log(
    `prepared ${calls.length} calls in ${fmt(performance.now() - t0, 0)} ms: ~${int(rawBytes / calls.length)} B JSON per call, ` +
      `${completeBodies.length} complete bodies (${int(completeBodies.reduce((n, b) => n + b.length, 0) / completeBodies.length)} B gzipped each), ` +
      `${upsertBodies.length} upsert bodies`,
  );

  const measure = async (mode: Mode): Promise<number> => {
    const db = freshDb();
    try {
      forceGc();
      if (mode.startsWith('store')) {
        const store = SqliteStore.open(db.file);
        const batches = mode === 'store complete' ? rawComplete : rawHalves;
        const t = performance.now();
        for (const b of batches) await store.ingest(b);
        const ms = performance.now() - t;
        await store.close();
        return ms;
      }
      const server = await ServerProcess.start(db.file);
      try {
        const t = performance.now();
        if (mode === 'HTTP upsert halves x1') await postAll(server, '/call/upsert_batch', upsertBodies, 1);
        else
          await postAll(
            server,
            `/v2/${ENTITY}/${PROJECT}/calls/complete`,
            completeBodies,
            mode === 'HTTP complete x4' ? 4 : 1,
          );
        const ms = performance.now() - t;
        const answer = await server.post('/calls/query_stats', JSON.stringify({ project_id: PROJECT_ID }));
        const count = (JSON.parse(answer) as { count: number }).count;
        if (count !== calls.length)
          throw new Error(`${mode}: the server holds ${count} calls, expected ${calls.length}`);
        return ms;
      } finally {
        await server.stop();
      }
    } finally {
      db.cleanup();
    }
  };

  const ms: Record<Mode, number[]> = {
    'store complete': [],
    'store halves': [],
    'HTTP complete x1': [],
    'HTTP complete x4': [],
    'HTTP upsert halves x1': [],
  };
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 ? [...MODES].reverse() : MODES;
    for (const mode of order) {
      const x = await measure(mode);
      ms[mode].push(x);
      console.log(
        `round ${r + 1}/${ROUNDS}: ${mode.padEnd(22)} ${fmt(x, 0).padStart(6)} ms  ${int((calls.length * 1000) / x)} calls/s`,
      );
    }
  }

  const rate = (m: Mode) => ms[m].map((x) => (calls.length * 1000) / x);
  const slowdown = (m: Mode, base: Mode) => median(ms[m].map((x, r) => x / (ms[base][r] as number)));
  const row = (m: Mode, base: Mode | undefined): string[] => [
    m,
    fmt(median(ms[m]), 0),
    int(median(rate(m))),
    base ? `${fmt(slowdown(m, base), 2)}x` : '1 (baseline)',
  ];
  printTable(
    `Ingest of ${int(calls.length)} calls in batches of ${BATCH} (median of ${ROUNDS} rounds, fresh db each)`,
    ['mode', 'ms', 'calls/s', 'time vs store.ingest (same round)'],
    [
      row('store complete', undefined),
      row('HTTP complete x1', 'store complete'),
      row('HTTP complete x4', 'store complete'),
      row('store halves', undefined),
      row('HTTP upsert halves x1', 'store halves'),
    ],
  );
}

await main();
