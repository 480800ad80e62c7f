/**
 * Per-call overhead of `op()` on a trivial function, against the untraced function and OpenTelemetry
 * (BatchSpanProcessor + an exporter that only counts spans: "OTel no-op"), in the same process,
 * rounds interleaved.
 *
 *   node --expose-gc dist/bench/sdk-overhead.js [--calls 50000] [--rounds 5] [--scaling]
 *
 * Besides wall time on the calling thread ("overhead"), each measurement reads process.cpuUsage()
 * (every thread of the process: compression on the thread pool, GC helpers) from the loop's start to the end
 * of the drain: "CPU incl. send" is that, per traced call, minus the untraced loop's CPU per call of
 * the same round (weft: serialization, batching, compression and the HTTP posts; OTel: its export to the
 * no-op exporter). The issue #14 target table prints min / median / max of the per-round ratios.
 * `--scaling` adds the per-call CPU of one root-level async burst of 10k, 100k and 1M calls.
 *
 * weft runs with default options against a real receiver (another process, HTTP on loopback). Each
 * measurement is one loop of `--calls` sequential calls of the outer function; "nested" scenarios
 * call outer -> middle -> inner, so each iteration is 3 traced calls. Overhead = traced - untraced of the
 * same round; the tables show medians over rounds, and weft/OTel is the median of per-round ratios.
 *
 * OpenTelemetry runs twice: with the BatchSpanProcessor's defaults (a 2 048-span queue: in a tight
 * burst it drops most spans, so it keeps and exports little), and with a queue that holds the whole
 * burst, so that it keeps every span as weft keeps every call.
 *
 * Each tracer's AsyncLocalStorage is disabled after its measurement, so the untraced baseline runs with
 * no async hook enabled and each tracer only with its own (see the "ambient" table for what an enabled
 * AsyncLocalStorage costs code that is not traced at all).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { op } from '../src/index.js';
import { traceContext } from '../src/sdk/call-context.js';
import { numberArg } from './lib/cli-args.js';
import { forceGc, tick } from './lib/gc.js';
import { OtelBaseline } from './lib/otel-baseline.js';
import { Receiver } from './lib/receiver.js';
import { initBenchClient } from './lib/weft-client.js';
import { fmt, median, printHeader, printTable } from './lib/stats.js';
import { flagArg } from './lib/cli-args.js';

const CALLS = numberArg('calls', 50_000);
const ROUNDS = numberArg('rounds', 5);

type Impl = 'untraced' | 'weft' | 'otel' | 'otelKeep';
const IMPLS: Impl[] = ['untraced', 'weft', 'otel', 'otelKeep'];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Wrap = <F extends (...args: any[]) => any>(fn: F, name: string) => F;

interface Scenario {
  name: string;
  isAsync: boolean;
  depth: 1 | 3;
  /** Yield to the event loop every this many outer calls (as an app doing I/O would), so exporters can run. */
  yieldEvery?: number;
}

const SCENARIOS: Scenario[] = [
  { name: 'async, root-level', isAsync: true, depth: 1 },
  { name: 'async, 3-level nesting', isAsync: true, depth: 3 },
  { name: 'sync, root-level', isAsync: false, depth: 1 },
  { name: 'sync, 3-level nesting', isAsync: false, depth: 3 },
  { name: 'async, root-level, yielding every 100', isAsync: true, depth: 1, yieldEvery: 100 },
  { name: 'async, 3-level, yielding every 100', isAsync: true, depth: 3, yieldEvery: 100 },
];

/** The traced functions of a scenario, built with an implementation's wrapper. */
function build(s: Scenario, wrap: Wrap): (x: number) => number | Promise<number> {
  if (s.isAsync) {
    const inner = wrap(async function inner(x: number): Promise<number> {
      return x + 1;
    }, 'inner');
    if (s.depth === 1) return inner;
    const middle = wrap(async function middle(x: number): Promise<number> {
      return (await inner(x)) + 1;
    }, 'middle');
    return wrap(async function outer(x: number): Promise<number> {
      return (await middle(x)) + 1;
    }, 'outer');
  }
  const inner = wrap(function inner(x: number): number {
    return x + 1;
  }, 'inner');
  if (s.depth === 1) return inner;
  const middle = wrap(function middle(x: number): number {
    return inner(x) + 1;
  }, 'middle');
  return wrap(function outer(x: number): number {
    return middle(x) + 1;
  }, 'outer');
}

async function loop(fn: (x: number) => number | Promise<number>, s: Scenario, n: number): Promise<number> {
  let acc = 0;
  const every = s.yieldEvery ?? 0;
  if (every > 0) {
    for (let i = 0; i < n; i++) {
      if (i % every === 0) await tick();
      acc += await fn(i);
    }
  } else if (s.isAsync) for (let i = 0; i < n; i++) acc += await (fn(i) as Promise<number>);
  else for (let i = 0; i < n; i++) acc += fn(i) as number;
  return acc;
}

interface Sample {
  ms: number;
  /** Time to get everything to the receiver / exporter after the loop. */
  drainMs: number;
  /** Calls the receiver got (weft) or spans exported (OTel). */
  delivered: number;
  dropped: number;
  /** Records weft wrote to its disk spool (memory pressure) during the measurement. */
  spilled: number;
  /** Process CPU (user + system, all threads), µs, from the loop's start to the end of the drain. */
  cpuUs: number;
}

async function main(): Promise<void> {
  printHeader('sdk-overhead', [`calls per measurement: ${CALLS}, rounds: ${ROUNDS}`]);
  if (!forceGc()) console.log('note: run with --expose-gc for steadier numbers');
  const receiver = await Receiver.start();
  const { client, close } = await initBenchClient('bench/sdk-overhead', receiver.url);
  const otel = new OtelBaseline({ exporter: 'noop' });
  // The same, with a queue that holds a whole burst: it keeps every span, as weft keeps every call.
  const otelKeep = new OtelBaseline({
    maxQueueSize: CALLS * 3 + 1,
    contextManager: otel.contextManager,
    exporter: 'noop',
  });
  const identity: Wrap = (fn) => fn;
  const weftWrap: Wrap = (fn, name) => op(fn, { name });
  const otelWrap: Wrap = (fn, name) => otel.wrap(fn, name);
  const fns: Record<Impl, ((x: number) => number | Promise<number>)[]> = {
    untraced: SCENARIOS.map((s) => build(s, identity)),
    weft: SCENARIOS.map((s) => build(s, weftWrap)),
    otel: SCENARIOS.map((s) => build(s, otelWrap)),
    otelKeep: SCENARIOS.map((s) => build(s, (fn, name) => otelKeep.wrap(fn, name))),
  };

  const measure = async (impl: Impl, si: number, n: number): Promise<Sample> => {
    const s = SCENARIOS[si] as Scenario;
    const fn = fns[impl][si] as (x: number) => number | Promise<number>;
    forceGc();
    const before = impl === 'weft' ? await receiver.stats() : undefined;
    const { dropped: dropped0, spilled: spilled0 } = client.stats();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await loop(fn, s, n);
    const ms = performance.now() - t0;
    const t1 = performance.now();
    let delivered = n * s.depth;
    let cpu: NodeJS.CpuUsage | undefined;
    if (impl === 'weft') {
      await client.flush();
      cpu = process.cpuUsage(cpu0);
      const after = await receiver.stats();
      delivered = after.items - (before?.items ?? 0);
    } else if (impl === 'otel') {
      delivered = await otel.drain();
    } else if (impl === 'otelKeep') {
      delivered = await otelKeep.drain();
    }
    const drainMs = performance.now() - t1;
    cpu ??= process.cpuUsage(cpu0);
    // Only the measured tracer's AsyncLocalStorage stays enabled during its loop.
    traceContext.disable();
    otel.contextManager.disable();
    const end = client.stats();
    return {
      ms,
      drainMs,
      delivered,
      dropped: end.dropped - dropped0,
      spilled: end.spilled - spilled0,
      cpuUs: cpu.user + cpu.system,
    };
  };

  // Warm-up: every implementation and scenario once, at a tenth of the size.
  for (let si = 0; si < SCENARIOS.length; si++) {
    for (const impl of IMPLS) await measure(impl, si, Math.ceil(CALLS / 10));
  }

  const samples: Record<Impl, Sample[]>[] = SCENARIOS.map(() => ({
    untraced: [],
    weft: [],
    otel: [],
    otelKeep: [],
  }));
  // Each round starts with another implementation.
  const orders: Impl[][] = IMPLS.map((_, k) => [...IMPLS.slice(k), ...IMPLS.slice(0, k)]);
  for (let r = 0; r < ROUNDS; r++) {
    for (let si = 0; si < SCENARIOS.length; si++) {
      for (const impl of orders[r % orders.length] as Impl[]) {
        (samples[si] as Record<Impl, Sample[]>)[impl].push(await measure(impl, si, CALLS));
      }
    }
    const us = (impl: Impl, si: number) => {
      const x = (samples[si] as Record<Impl, Sample[]>)[impl][r] as Sample;
      return fmt((x.ms * 1000) / (CALLS * (SCENARIOS[si] as Scenario).depth), 2);
    };
    const line = SCENARIOS.map((_, si) => `${us('untraced', si)}/${us('weft', si)}/${us('otel', si)}`).join(
      '  ',
    );
    process.stdout.write(`round ${r + 1}/${ROUNDS} (untraced/weft/OTel us per call, by scenario): ${line}\n`);
  }

  const rows: string[][] = [];
  const targetRows: string[][] = [];
  const keepRows: string[][] = [];
  const deliveryRows: string[][] = [];
  SCENARIOS.forEach((s, si) => {
    const sm = samples[si] as Record<Impl, Sample[]>;
    const per = (x: Sample) => (x.ms * 1000) / (CALLS * s.depth);
    const over = (impl: Impl) => sm[impl].map((x, r) => per(x) - per(sm.untraced[r] as Sample));
    const weftOver = over('weft');
    const otelOver = over('otel');
    const ratios = weftOver.map((w, r) => w / (otelOver[r] as number));
    const withDrain = sm.weft.map(
      (x, r) => ((x.ms + x.drainMs) * 1000) / (CALLS * s.depth) - per(sm.untraced[r] as Sample),
    );
    rows.push([
      s.name,
      fmt(median(sm.untraced.map(per)), 3),
      fmt(median(sm.weft.map(per)), 2),
      fmt(median(sm.otel.map(per)), 2),
      fmt(median(weftOver), 2),
      fmt(median(otelOver), 2),
      `${fmt(median(ratios), 2)}x`,
      fmt(median(withDrain), 2),
    ]);
    // Issue #14 targets: the tight-loop async scenarios (burst, no yields).
    if (s.isAsync && s.yieldEvery === undefined) {
      const cpuPer = (x: Sample) => x.cpuUs / (CALLS * s.depth);
      const cpuOver = (impl: Impl) => sm[impl].map((x, r) => cpuPer(x) - cpuPer(sm.untraced[r] as Sample));
      const weftCpu = cpuOver('weft');
      const otelCpu = cpuOver('otel');
      const shape = s.depth === 1 ? 'flat' : 'nested3';
      targetRows.push(
        targetRow(
          `overhead on the calling thread, ${shape} (µs)`,
          otelOver,
          weftOver,
          s.depth === 1 ? 0.6 : 0.8,
        ),
        targetRow(`CPU incl. serialization, compression, send, ${shape} (µs)`, otelCpu, weftCpu, 1.0),
      );
    }
    const keepOver = over('otelKeep');
    const expected = CALLS * s.depth;
    keepRows.push([
      s.name,
      fmt(median(otelOver), 2),
      fmt(median(keepOver), 2),
      fmt(median(weftOver), 2),
      `${fmt(median(weftOver.map((w, r) => w / (keepOver[r] as number))), 2)}x`,
      `${fmt((100 * median(sm.otelKeep.map((x) => x.delivered))) / expected, 1)} %`,
    ]);
    const pct = (xs: Sample[]) => {
      const d = xs.map((x) => x.delivered);
      return `${fmt((100 * median(d)) / expected, 1)} % (min ${fmt((100 * Math.min(...d)) / expected, 1)} %)`;
    };
    deliveryRows.push([
      s.name,
      String(expected),
      pct(sm.weft),
      String(sm.weft.reduce((n, x) => n + x.dropped, 0)),
      String(sm.weft.reduce((n, x) => n + x.spilled, 0)),
      fmt(median(sm.weft.map((x) => x.drainMs)), 0),
      pct(sm.otel),
      fmt(median(sm.otel.map((x) => x.drainMs)), 0),
    ]);
  });
  printTable(
    `Per traced call, us (median of ${ROUNDS} rounds of ${CALLS} outer calls; nested = 3 traced calls each)`,
    [
      'scenario',
      'untraced',
      'weft',
      'OTel',
      'weft overhead',
      'OTel overhead',
      'weft/OTel overhead',
      'weft overhead incl. send',
    ],
    rows,
  );
  printTable(
    `Issue #14 targets: weft vs OTel no-op (default BatchSpanProcessor), per traced call; ratio = per-round weft/OTel, min / median / max of ${ROUNDS} rounds`,
    [
      'figure',
      'OTel no-op (median)',
      'weft (median)',
      'ratio min',
      'ratio median',
      'ratio max',
      'target',
      'met',
    ],
    targetRows,
  );
  printTable(
    'Delivery after the loop (weft: flush() to the receiver; OTel: forceFlush() to the no-op exporter)',
    [
      'scenario',
      'calls',
      'weft delivered, median (min)',
      'weft dropped, all rounds',
      'weft spilled to disk, all rounds',
      'weft flush ms',
      'OTel exported, median (min)',
      'OTel flush ms',
    ],
    deliveryRows,
  );

  printTable(
    'OpenTelemetry keeping every span: BatchSpanProcessor with maxQueueSize above the burst (overhead, us per call)',
    [
      'scenario',
      'OTel (default queue)',
      'OTel (queue holds the burst)',
      'weft',
      'weft/OTel-keep',
      'OTel-keep exported',
    ],
    keepRows,
  );

  await ambient();
  if (flagArg('scaling')) await scaling(measureBurst(client, receiver, otel));
  await close();
  await receiver.close();
}

/** A row of the target table: medians, and min / median / max of the per-round ratios. */
function targetRow(label: string, otel: number[], weft: number[], target: number): string[] {
  const ratios = weft.map((w, r) => w / (otel[r] as number));
  const med = median(ratios);
  return [
    label,
    fmt(median(otel), 2),
    fmt(median(weft), 2),
    `${fmt(Math.min(...ratios), 2)}x`,
    `${fmt(med, 2)}x`,
    `${fmt(Math.max(...ratios), 2)}x`,
    `<= ${fmt(target, 1)}x`,
    med <= target ? 'met' : 'not met',
  ];
}

type BurstFn = (
  impl: 'weft' | 'otel',
  n: number,
) => Promise<{ cpuPerCall: number; delivered: number; spilled: number }>;

/** One root-level async burst of `n` calls, flushed; CPU per call (all threads) including the drain. */
function measureBurst(
  client: Awaited<ReturnType<typeof initBenchClient>>['client'],
  receiver: Receiver,
  otel: OtelBaseline,
): BurstFn {
  const weftFn = op(async function inner(x: number): Promise<number> {
    return x + 1;
  });
  const otelFn = otel.wrap(async function inner(x: number): Promise<number> {
    return x + 1;
  }, 'inner');
  return async (impl, n) => {
    forceGc();
    const before = impl === 'weft' ? (await receiver.stats()).items : 0;
    const spilled0 = client.stats().spilled;
    const cpu0 = process.cpuUsage();
    const fn = impl === 'weft' ? weftFn : otelFn;
    for (let i = 0; i < n; i++) await fn(i);
    let delivered: number;
    let cpu: NodeJS.CpuUsage;
    if (impl === 'weft') {
      await client.flush();
      cpu = process.cpuUsage(cpu0);
      delivered = (await receiver.stats()).items - before;
    } else {
      delivered = await otel.drain();
      cpu = process.cpuUsage(cpu0);
    }
    traceContext.disable();
    otel.contextManager.disable();
    return { cpuPerCall: (cpu.user + cpu.system) / n, delivered, spilled: client.stats().spilled - spilled0 };
  };
}

/** Per-call CPU at 10k, 100k and 1M calls in one burst (3 runs each, alternating): linear, no cliff? */
async function scaling(burst: BurstFn): Promise<void> {
  const rows: string[][] = [];
  for (const n of [10_000, 100_000, 1_000_000]) {
    const weft: number[] = [];
    const otel: number[] = [];
    let delivered = 0;
    let spilled = 0;
    for (let r = 0; r < 3; r++) {
      for (const impl of r % 2 ? (['otel', 'weft'] as const) : (['weft', 'otel'] as const)) {
        const x = await burst(impl, n);
        if (impl === 'weft') {
          weft.push(x.cpuPerCall);
          delivered = Math.min(delivered || Infinity, x.delivered);
          spilled += x.spilled;
        } else otel.push(x.cpuPerCall);
      }
    }
    const mmm = (xs: number[]) =>
      `${fmt(Math.min(...xs), 2)} / ${fmt(median(xs), 2)} / ${fmt(Math.max(...xs), 2)}`;
    rows.push([
      n.toLocaleString('en-US'),
      mmm(otel),
      mmm(weft),
      `${fmt(median(weft) / median(otel), 2)}x`,
      `${fmt((100 * delivered) / n, 1)} %`,
      String(spilled),
    ]);
    process.stdout.write(`scaling ${n} done\n`);
  }
  printTable(
    'Scaling: CPU per call incl. the drain, one root-level async burst, µs (min / median / max of 3 runs; untraced loop not subtracted)',
    [
      'calls in the burst',
      'OTel no-op',
      'weft',
      'weft/OTel (medians)',
      'weft delivered (min)',
      'weft spilled, all runs',
    ],
    rows,
  );
}

/** What an enabled AsyncLocalStorage (as any tracer keeps once used) costs untraced async code. */
async function ambient(): Promise<void> {
  const plain = async (x: number): Promise<number> => x + 1;
  const als = new AsyncLocalStorage<number>();
  const off: number[] = [];
  const on: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const enabled of r % 2 ? [true, false] : [false, true]) {
      if (enabled) als.enterWith(1);
      else als.disable();
      forceGc();
      const t0 = performance.now();
      await loop(plain, SCENARIOS[0] as Scenario, CALLS);
      (enabled ? on : off).push(((performance.now() - t0) * 1000) / CALLS);
      als.disable();
    }
  }
  printTable(
    'Ambient cost: the same untraced async loop with no / one AsyncLocalStorage enabled, us per call',
    ['no ALS enabled', 'one ALS enabled', 'difference'],
    [[fmt(median(off), 3), fmt(median(on), 3), fmt(median(on.map((x, i) => x - (off[i] as number))), 3)]],
  );
}

await main();
