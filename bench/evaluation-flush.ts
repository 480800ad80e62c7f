/**
 * An EvaluationLogger run with `client.flush()` after every prediction, against a real `weft serve`
 * (the CLI, in its own process, on a temp SQLite file), compared with the same run flushed only once at
 * the end. The claim: flushing after every prediction costs about one server round trip per flush,
 * because no flush waits on the evaluation's open (eager) root or on pairing.
 *
 *   node dist/bench/evaluation-flush.js [--predictions 200] [--scores 2] [--work-ms 2] [--repeats 5]
 *
 * Each prediction: `--work-ms` of awaited "model" time (a timer, standing in for an LLM call), then
 * logPrediction + `--scores` logScore + finish. "total" is from creating the logger to the end of the
 * final flush after logSummary (both modes end with one). Modes alternate, each run on a fresh project
 * and client. The round-trip baseline is a plain fetch POST of a 4-record calls/complete batch (the
 * size of one flush here) to the same server, from the same process, after each repeat's two runs,
 * each POST after the same `--work-ms` idle gap as a flush in a run (a server idle for a while answers
 * a little slower than one kept busy, so back-to-back POSTs would flatter the baseline).
 */
import { Dataset, EvaluationLogger, init } from '../src/index.js';
import { WeftServer } from '../test/helpers/weft-server.js';
import { numberArg, stringArg } from './lib/cli-args.js';
import { fmt, median, percentile, printHeader, printTable } from './lib/stats.js';

const PREDICTIONS = numberArg('predictions', 200);
const SCORES = numberArg('scores', 2);
const WORK_MS = Number(stringArg('work-ms', '2'));
if (!Number.isFinite(WORK_MS) || WORK_MS < 0) throw new Error('--work-ms expects a number >= 0');
const REPEATS = numberArg('repeats', 5);

interface Run {
  totalMs: number;
  flushMs: number[];
  finalFlushMs: number;
  requests: number;
  failed: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function runOnce(
  serverUrl: string,
  project: string,
  flushEach: boolean,
  dataset: Dataset,
): Promise<Run> {
  const client = await init({ project, serverUrl });
  const stats0 = client.stats();
  const flushMs: number[] = [];
  let failed = 0;
  const t0 = performance.now();
  const ev = new EvaluationLogger({
    name: flushEach ? 'flush-each' : 'flush-at-end',
    model: 'gpt-x',
    dataset,
  });
  for (let i = 0; i < PREDICTIONS; i++) {
    const row = dataset.rows[i % dataset.rows.length]!;
    if (WORK_MS > 0) await sleep(WORK_MS);
    const output = `answer ${i}`;
    const pred = ev.logPrediction(row, output);
    for (let s = 0; s < SCORES; s++) pred.logScore(`score_${s}`, (i + s) % 3 === 0);
    pred.finish();
    if (flushEach) {
      const tf = performance.now();
      const report = await client.flush();
      flushMs.push(performance.now() - tf);
      failed += report.undeliverable;
    }
  }
  await ev.logSummary();
  const tf = performance.now();
  const report = await client.flush();
  const end = performance.now();
  failed += report.undeliverable;
  const requests = client.stats().requests - stats0.requests;
  await client.finish();
  return { totalMs: end - t0, flushMs, finalFlushMs: end - tf, requests, failed };
}

async function roundTrips(serverUrl: string, repeat: number, count: number): Promise<number[]> {
  const out: number[] = [];
  const now = (): string => new Date().toISOString().replace('Z', '000Z');
  for (let i = 0; i < count; i++) {
    const batch = Array.from({ length: 2 + SCORES }, (_, k) => ({
      project_id: 'bench/rtt',
      id: `rtt-${repeat}-${i}-${k}`,
      trace_id: `rtt-trace-${repeat}-${i}`,
      parent_id: k === 0 ? null : `rtt-${repeat}-${i}-0`,
      op_name: k === 0 ? 'Evaluation.predict_and_score' : `op_${k}`,
      started_at: now(),
      ended_at: now(),
      attributes: {},
      inputs: { example: { question: `question ${i}`, expected: `answer ${i}` }, index: i },
      output: { output: `answer ${i}`, scores: { score_0: true } },
      summary: { status_counts: { success: 1, error: 0 } },
      exception: null,
    }));
    const body = JSON.stringify({ batch });
    if (WORK_MS > 0) await sleep(WORK_MS); // the same idle gap as between two flushes of a run
    const t = performance.now();
    const res = await fetch(`${serverUrl}/v2/bench/rtt/calls/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    await res.arrayBuffer();
    out.push(performance.now() - t);
    if (!res.ok) throw new Error(`baseline POST answered ${res.status}`);
  }
  return out;
}

async function main(): Promise<void> {
  printHeader('evaluation-flush', [
    `predictions: ${PREDICTIONS}, scores per prediction: ${SCORES}, model work per prediction: ${WORK_MS} ms ` +
      `(awaited timer), repeats: ${REPEATS} per mode (alternating)`,
  ]);
  const server = await new WeftServer().start();
  const rows = Array.from({ length: PREDICTIONS }, (_, i) => ({
    question: `question ${i}`,
    expected: `answer ${i}`,
  }));
  const dataset = new Dataset({ name: 'bench-rows', rows });
  try {
    // Warm-up (JIT, server caches, connections), not reported.
    await runOnce(server.url, 'bench/eval-warmup', true, dataset);
    await runOnce(server.url, 'bench/eval-warmup', false, dataset);

    const withFlush: Run[] = [];
    const without: Run[] = [];
    const rtt: number[] = [];
    for (let r = 0; r < REPEATS; r++) {
      const order = r % 2 === 0 ? [true, false] : [false, true];
      for (const flushEach of order) {
        const run = await runOnce(
          server.url,
          `bench/eval-${r}-${flushEach ? 'each' : 'end'}`,
          flushEach,
          dataset,
        );
        if (run.failed > 0) throw new Error(`${run.failed} records failed`);
        (flushEach ? withFlush : without).push(run);
      }
      rtt.push(...(await roundTrips(server.url, r, PREDICTIONS)));
    }

    const totalWith = median(withFlush.map((r) => r.totalMs));
    const totalWithout = median(without.map((r) => r.totalMs));
    const flushes = withFlush.flatMap((r) => r.flushMs);
    const rttP50 = median(rtt);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const rttMean = mean(rtt);
    const workMs = PREDICTIONS * WORK_MS;
    printTable(
      `Total run time, ms (median of ${REPEATS} runs per mode)`,
      ['mode', 'total', 'requests', 'per prediction'],
      [
        [
          `flush() after each of ${PREDICTIONS} predictions`,
          fmt(totalWith, 1),
          String(median(withFlush.map((r) => r.requests))),
          fmt(totalWith / PREDICTIONS, 2),
        ],
        [
          'one flush() at the end',
          fmt(totalWithout, 1),
          String(median(without.map((r) => r.requests))),
          fmt(totalWithout / PREDICTIONS, 2),
        ],
      ],
    );
    const extraPerFlush = (totalWith - totalWithout) / PREDICTIONS;
    printTable(
      'Ratios',
      ['what', 'value'],
      [
        ['total with flushes / total without', `${fmt(totalWith / totalWithout, 2)}x`],
        ['extra time per flush (ms)', fmt(extraPerFlush, 2)],
        ['extra time per flush / server round trip (mean)', `${fmt(extraPerFlush / rttMean, 2)}x`],
        [
          `predicted total: without + ${PREDICTIONS} round trips (mean)`,
          `${fmt(totalWithout + PREDICTIONS * rttMean, 1)} ms`,
        ],
        ['work alone (predictions x work-ms)', `${fmt(workMs, 0)} ms`],
      ],
    );
    printTable(
      `Latency, ms (${flushes.length} flushes over ${REPEATS} runs; baseline: ${rtt.length} plain POSTs of one 4-record batch, after each repeat)`,
      ['what', 'mean', 'p50', 'p99', 'max'],
      [
        [
          'flush() (open eager root, one prediction finished)',
          fmt(mean(flushes), 2),
          fmt(median(flushes), 2),
          fmt(percentile(flushes, 99), 2),
          fmt(Math.max(...flushes), 2),
        ],
        [
          'baseline: server round trip',
          fmt(rttMean, 2),
          fmt(rttP50, 2),
          fmt(percentile(rtt, 99), 2),
          fmt(Math.max(...rtt), 2),
        ],
        [
          'final flush() of the flush-at-end mode',
          fmt(mean(without.map((r) => r.finalFlushMs)), 2),
          fmt(median(without.map((r) => r.finalFlushMs)), 2),
          '-',
          fmt(Math.max(...without.map((r) => r.finalFlushMs)), 2),
        ],
      ],
    );
  } finally {
    await server.dispose();
  }
}

await main();
