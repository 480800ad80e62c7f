/**
 * `/calls/stream_query` for readers that DO read, this build against a baseline build, in the same
 * run: what pull-based rows (one row read per row asked for) and time-sliced serialisation cost a fast
 * client, and what they give `/health` while several stream at once.
 *
 *   node dist/bench/stream-throughput.js --baseline <root of a baseline build> [--calls 20000]
 *     [--rounds 8] [--readers 6]
 *
 * The baseline is another checkout compiled with `npx tsc -p tsconfig.json` (its
 * `dist/bench/lib/server-main.js` is forked). Both servers get the same calls over HTTP, each on its
 * own SQLite file, and run side by side; rounds alternate which one goes first. Per round and server:
 * one reader streams every call (time to the last byte), then `--readers` readers at once (time until
 * all finished) while `/health` is asked one probe at a time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { numberArg, stringArg } from './lib/cli-args.js';
import { ServerProcess } from './lib/server-process.js';
import { fmt, median, percentile, printHeader, printTable } from './lib/stats.js';
import { generateCalls } from './lib/synthetic-calls.js';

const BASELINE = stringArg('baseline', undefined);
const CALLS = numberArg('calls', 20_000);
const ROUNDS = numberArg('rounds', 8);
const READERS = numberArg('readers', 6);
const PROJECT = 'bench/streams';
if (!BASELINE)
  throw new Error('usage: stream-throughput.js --baseline <root of a compiled baseline checkout>');

interface Sample {
  oneMs: number;
  manyMs: number;
  healthMs: number[];
}

async function streamAll(server: ServerProcess): Promise<number> {
  const t0 = performance.now();
  const { lines } = await server.postCountingLines(
    '/calls/stream_query',
    JSON.stringify({ project_id: PROJECT }),
  );
  if (lines !== CALLS) throw new Error(`expected ${CALLS} lines, got ${lines}`);
  return performance.now() - t0;
}

async function round(server: ServerProcess): Promise<Sample> {
  const oneMs = await streamAll(server);
  const healthMs: number[] = [];
  let running = true;
  const probe = (async () => {
    while (running) {
      const t0 = performance.now();
      await (await fetch(`${server.url}/health`)).arrayBuffer();
      healthMs.push(performance.now() - t0);
    }
  })();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: READERS }, () => streamAll(server)));
  const manyMs = performance.now() - t0;
  running = false;
  await probe;
  return { oneMs, manyMs, healthMs };
}

printHeader('stream-throughput', [
  `calls ${CALLS}, rounds ${ROUNDS}, readers ${READERS}, baseline ${BASELINE}`,
]);
const dir = mkdtempSync(join(tmpdir(), 'weft-stream-tp-'));
const mine = await ServerProcess.start(join(dir, 'mine.db'));
const base = await ServerProcess.start(join(dir, 'base.db'), join(BASELINE, 'dist/bench/lib/server-main.js'));
try {
  const now = Date.now() * 1000;
  const calls = [
    ...generateCalls({ projectId: PROJECT, traces: CALLS / 10, fromUs: now - 3_600e6, toUs: now }),
  ];
  for (let i = 0; i < calls.length; i += 1000) {
    const body = JSON.stringify({ batch: calls.slice(i, i + 1000).map((c) => c.call) });
    for (const s of [mine, base]) await s.post('/v2/bench/streams/calls/complete', body);
  }
  const samples = new Map<ServerProcess, Sample[]>([
    [mine, []],
    [base, []],
  ]);
  await round(mine); // warm-up
  await round(base);
  for (let r = 0; r < ROUNDS; r++) {
    for (const s of r % 2 === 0 ? [mine, base] : [base, mine]) samples.get(s)?.push(await round(s));
  }
  const of = (s: ServerProcess) => samples.get(s) ?? [];
  const metric = (name: string, pick: (xs: Sample[]) => number): string[] => {
    const b = pick(of(base));
    const m = pick(of(mine));
    return [name, fmt(b), fmt(m), `${fmt(m / b, 2)}×`];
  };
  printTable(
    `stream_query with readers that read (ms, medians of ${ROUNDS} rounds; ratio = this build / baseline)`,
    ['measure', 'baseline', 'this build', 'ratio'],
    [
      metric('1 reader, every call', (xs) => median(xs.map((x) => x.oneMs))),
      metric(`${READERS} readers at once, until all done`, (xs) => median(xs.map((x) => x.manyMs))),
      metric(`/health p50 during the ${READERS} readers`, (xs) =>
        percentile(
          xs.flatMap((x) => x.healthMs),
          50,
        ),
      ),
      metric(`/health p99 during the ${READERS} readers`, (xs) =>
        percentile(
          xs.flatMap((x) => x.healthMs),
          99,
        ),
      ),
    ],
  );
} finally {
  await mine.stop();
  await base.stop();
  rmSync(dir, { recursive: true, force: true });
}
