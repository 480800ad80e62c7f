/**
 * Memory growth per 100 000 traced calls: RSS and V8 heap before a burst and after flush + full GC,
 * round after round (steady growth over rounds would be a leak), plus the peak right after the burst
 * (everything queued, nothing sent yet), against the same loop untraced in the same process.
 *
 *   node --expose-gc dist/bench/rss.js [--calls 100000] [--rounds 3]
 *
 * Without --expose-gc the "after" figures include garbage not yet collected and mean little.
 * Modes: "burst" never yields to the event loop during the loop (the worst case: the whole burst sits
 * in the send queue); "paced" yields every 1 000 calls, as an app doing I/O would, so batches leave
 * while it runs.
 *
 *   node --expose-gc dist/bench/rss.js --vs-otel [--calls 50000] [--rounds 3]
 *
 * compares instead the peak RSS of one burst against OpenTelemetry (BatchSpanProcessor + a no-op
 * exporter, default queue, and one holding the burst): each measurement is a fresh process (this file
 * with `--child`, loading both tracers) that runs one burst, flushes, and reports its peak RSS
 * (`resourceUsage().maxRSS`), its RSS and V8 heap right after the loop, and what was delivered.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { op } from '../src/index.js';
import { flagArg, numberArg, stringArg } from './lib/cli-args.js';
import { OtelBaseline } from './lib/otel-baseline.js';
import { forceGc, sleep, tick } from './lib/gc.js';
import { Receiver } from './lib/receiver.js';
import { initBenchClient } from './lib/weft-client.js';
import { fmt, median, printHeader, printTable } from './lib/stats.js';

const CALLS = numberArg('calls', flagArg('vs-otel') || process.argv.includes('--child') ? 50_000 : 100_000);
const ROUNDS = numberArg('rounds', 3);
const MiB = 1024 * 1024;

interface Mem {
  rss: number;
  heapUsed: number;
  external: number;
}

function mem(): Mem {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external };
}

async function settled(): Promise<Mem> {
  await sleep(50);
  forceGc();
  await tick();
  forceGc();
  return mem();
}

async function main(): Promise<void> {
  printHeader('rss', [`calls per round: ${CALLS}, rounds: ${ROUNDS}`]);
  if (!forceGc()) console.log('WARNING: no --expose-gc: "after" figures include uncollected garbage');
  const receiver = await Receiver.start();
  const { client, close } = await initBenchClient('bench/rss', receiver.url);

  const plain = async function answer(question: string, n: number): Promise<{ text: string; n: number }> {
    return { text: `answer to ${question}`, n };
  };
  const traced = op(plain);

  const run = async (fn: typeof plain, paced: boolean): Promise<void> => {
    for (let i = 0; i < CALLS; i++) {
      if (paced && i % 1000 === 0) await tick();
      await fn('what is the weather like today?', i);
    }
  };

  // Warm-up: JIT, HTTP connections, the receiver.
  await run(traced, true);
  await client.flush();

  const rows: string[][] = [];
  const measure = async (label: string, fn: typeof plain, paced: boolean, round: number): Promise<void> => {
    const before = await settled();
    const { dropped: dropped0, spilled: spilled0 } = client.stats();
    await run(fn, paced);
    const peak = mem();
    const queued = client.stats().queuedItems + client.stats().inFlightItems;
    await client.flush();
    const after = await settled();
    rows.push([
      label,
      String(round),
      fmt(before.rss / MiB, 1),
      fmt((peak.rss - before.rss) / MiB, 1),
      String(queued),
      fmt((after.rss - before.rss) / MiB, 1),
      fmt((after.heapUsed - before.heapUsed) / MiB, 2),
      fmt((after.external - before.external) / MiB, 2),
      String(client.stats().dropped - dropped0),
      String(client.stats().spilled - spilled0),
    ]);
  };

  for (let r = 1; r <= ROUNDS; r++) {
    await measure('untraced', plain, false, r);
    await measure('weft, burst', traced, false, r);
    await measure('weft, paced', traced, true, r);
    process.stdout.write(`round ${r}/${ROUNDS} done\n`);
  }
  const final = await settled();
  await close();
  await receiver.close();

  printTable(
    `Memory per ${CALLS.toLocaleString('en-US')} calls, MiB (growth = after flush + GC minus before)`,
    [
      'mode',
      'round',
      'RSS before',
      'RSS peak growth (after loop)',
      'records held at peak',
      'RSS growth',
      'heap used growth',
      'external growth',
      'dropped',
      'spilled to disk',
    ],
    rows,
  );
  console.log(`final: RSS ${fmt(final.rss / MiB, 1)} MiB, heap used ${fmt(final.heapUsed / MiB, 1)} MiB`);
}

type ChildImpl = 'untraced' | 'weft' | 'otel' | 'otelKeep';

interface ChildResult {
  rssBefore: number;
  rssAfterLoop: number;
  heapAfterLoop: number;
  /** maxRSS when the loop ended (before the flush) and at the end of the run. */
  maxRssLoop: number;
  maxRss: number;
  delivered: number;
  spilled: number;
}

const workload = async function answer(question: string, n: number): Promise<{ text: string; n: number }> {
  return { text: `answer to ${question}`, n };
};

/** Child side of --vs-otel: one burst of CALLS calls with one tracer, then flush; reports to the parent. */
async function child(impl: ChildImpl, url: string): Promise<void> {
  const weft = await initBenchClient('bench/rss', url);
  const otel = new OtelBaseline({
    exporter: 'noop',
    ...(impl === 'otelKeep' ? { maxQueueSize: CALLS + 1 } : {}),
  });
  const fn = impl === 'weft' ? op(workload) : impl === 'untraced' ? workload : otel.wrap(workload, 'answer');
  // Warm-up (JIT, connections) at a hundredth of the size, then a settled start.
  for (let i = 0; i < CALLS / 100; i++) await fn('what is the weather like today?', i);
  await weft.client.flush();
  await otel.drain();
  const base = await settled();
  const spilled0 = weft.client.stats().spilled;
  for (let i = 0; i < CALLS; i++) await fn('what is the weather like today?', i);
  const loop = mem();
  const maxRssLoop = process.resourceUsage().maxRSS * 1024;
  const delivered0 = weft.client.stats().sent;
  let delivered = CALLS;
  if (impl === 'weft') {
    await weft.client.flush();
    delivered = weft.client.stats().sent - delivered0;
  } else if (impl !== 'untraced') delivered = await otel.drain();
  const result: ChildResult = {
    rssBefore: base.rss,
    rssAfterLoop: loop.rss,
    heapAfterLoop: loop.heapUsed - base.heapUsed,
    maxRssLoop,
    maxRss: process.resourceUsage().maxRSS * 1024,
    delivered,
    spilled: weft.client.stats().spilled - spilled0,
  };
  process.send?.(result);
  await weft.close();
}

function runChild(impl: ChildImpl, url: string): Promise<ChildResult> {
  const file = fileURLToPath(import.meta.url);
  const proc = fork(file, ['--child', impl, '--url', url, '--calls', String(CALLS)], {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let got: ChildResult | undefined;
    proc.once('message', (m) => (got = m as ChildResult));
    proc.once('exit', (code) => (got ? resolve(got) : reject(new Error(`child ${impl} exited ${code}`))));
  });
}

async function vsOtel(): Promise<void> {
  printHeader('rss --vs-otel', [
    `calls per burst: ${CALLS}, rounds: ${ROUNDS}, one fresh process per measurement`,
  ]);
  const receiver = await Receiver.start();
  const impls: ChildImpl[] = ['untraced', 'weft', 'otel', 'otelKeep'];
  const res: Record<ChildImpl, ChildResult[]> = { untraced: [], weft: [], otel: [], otelKeep: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const impl of [...impls.slice(r % 4), ...impls.slice(0, r % 4)]) {
      res[impl].push(await runChild(impl, receiver.url));
    }
    process.stdout.write(`round ${r + 1}/${ROUNDS} done\n`);
  }
  await receiver.close();
  const mmm = (xs: number[], d = 1) =>
    `${fmt(Math.min(...xs), d)} / ${fmt(median(xs), d)} / ${fmt(Math.max(...xs), d)}`;
  const rows = impls.map((impl) => {
    const xs = res[impl];
    const ratio = xs.map((x, i) => x.maxRss / (res.otel[i] as ChildResult).maxRss);
    return [
      impl === 'otel'
        ? 'OTel no-op (default queue)'
        : impl === 'otelKeep'
          ? 'OTel no-op (queue holds the burst)'
          : impl,
      mmm(xs.map((x) => x.maxRss / MiB)),
      mmm(ratio, 2),
      mmm(xs.map((x) => x.maxRssLoop / MiB)),
      mmm(xs.map((x) => (x.rssAfterLoop - x.rssBefore) / MiB)),
      mmm(xs.map((x) => x.heapAfterLoop / MiB)),
      `${fmt((100 * Math.min(...xs.map((x) => x.delivered))) / CALLS, 1)} %`,
      String(xs.reduce((n, x) => n + x.spilled, 0)),
    ];
  });
  printTable(
    `Peak memory of a ${CALLS.toLocaleString('en-US')}-call burst, MiB (min / median / max of ${ROUNDS} fresh processes)`,
    [
      'tracer',
      'peak RSS (maxRSS)',
      'peak RSS / OTel no-op',
      'peak RSS by the end of the loop',
      'RSS growth over the loop',
      'heap growth over the loop',
      'delivered (min)',
      'spilled',
    ],
    rows,
  );
}

const childImpl = stringArg('child', undefined);
if (childImpl !== undefined) await child(childImpl as ChildImpl, stringArg('url', ''));
else if (flagArg('vs-otel')) await vsOtel();
else await main();
