/**
 * flush() latency with an open eager root and 1 000 children finished since the previous flush,
 * against a real receiver (another process, HTTP on loopback), compared with the receiver's own round
 * trip for the same batch body measured in the same run, interleaved flush by flush.
 *
 *   node --expose-gc dist/bench/flush-latency.js [--flushes 200] [--children 1000]
 *
 * Baselines, each posted with fetch to the same receiver next to each flush (every other time before
 * it, since the first request after the children's loop and a GC meets an idle receiver):
 * - "round trip": the very body the SDK sent last (fetched back from the receiver), already gzipped;
 * - "gzip + round trip": the same body as a string, Buffer.from + gzip (level 1, as the SDK) + POST,
 *   i.e. one server round trip plus the serialization of what a flush sends;
 * - "OTLP exporter": OpenTelemetry's `forceFlush()` (BatchSpanProcessor + the OTLP/HTTP JSON exporter,
 *   defaults, to the same receiver) with an open parent span and the same number of finished child
 *   spans carrying the same prompt and answer as attributes (issue #14: flush <= 1.0x of it).
 */
import { promisify } from 'node:util';
import { gzip as gzipCb, constants as zlib } from 'node:zlib';
import { context, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { op } from '../src/index.js';
import { numberArg } from './lib/cli-args.js';
import { forceGc } from './lib/gc.js';
import { Receiver } from './lib/receiver.js';
import { initBenchClient } from './lib/weft-client.js';
import { fmt, median, percentile, printHeader, printTable } from './lib/stats.js';

const gzip = promisify(gzipCb);
const FLUSHES = numberArg('flushes', 200);
const CHILDREN = numberArg('children', 1000);
const WARMUP = 5;

async function post(url: string, body: Buffer, gzipped: boolean): Promise<void> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (gzipped) headers['content-encoding'] = 'gzip';
  const res = await fetch(url, { method: 'POST', headers, body });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`baseline POST answered ${res.status}`);
}

async function main(): Promise<void> {
  printHeader('flush-latency', [`flushes: ${FLUSHES} (+${WARMUP} warm-up), children per flush: ${CHILDREN}`]);
  const receiver = await Receiver.start();
  const { client, close } = await initBenchClient('bench/flush-latency', receiver.url);
  const baselineUrl = `${receiver.url}/baseline/calls/complete`;

  const otlpProvider = new BasicTracerProvider({
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${receiver.url}/v1/traces` }))],
  });
  const tracer = otlpProvider.getTracer('bench/flush-latency');
  const otlpParent = tracer.startSpan('agentLoop');
  const otlpCtx = trace.setSpan(context.active(), otlpParent);
  const otlpChild = async (step: number, prompt: string): Promise<{ text: string }> => {
    const span = tracer.startSpan(
      'child',
      { attributes: { 'input.step': step, 'input.prompt': prompt } },
      otlpCtx,
    );
    const out = { text: `${prompt} -> answer ${step}` };
    span.setAttribute('output.text', out.text);
    span.end();
    return out;
  };
  const otlpMs: number[] = [];
  const flushMs: number[] = [];
  const rttMs: number[] = [];
  const gzipRttMs: number[] = [];
  const requestsPerFlush: number[] = [];
  const sentPerFlush: number[] = [];
  let bodyBytes = 0;
  let gzBytes = 0;

  const child = op(async function child(step: number, prompt: string): Promise<{ text: string }> {
    return { text: `${prompt} -> answer ${step}` };
  });

  const root = op(
    async function agentLoop(task: string): Promise<string> {
      let body: Buffer | undefined;
      let bodyGz: Buffer | undefined;
      for (let f = 0; f < WARMUP + FLUSHES; f++) {
        for (let c = 0; c < CHILDREN; c++) await child(c, `${task} step ${f}.${c}`);
        forceGc();
        // Alternate what goes first after the idle gap of the children's loop and the GC (a first
        // request after a gap is slower): the flush, or the two baselines (in alternating order).
        const baselines = async (): Promise<[number, number]> => {
          const text = (body as Buffer).toString('utf8');
          const runRtt = async (): Promise<number> => {
            const t = performance.now();
            await post(baselineUrl, bodyGz as Buffer, true);
            return performance.now() - t;
          };
          const runGzipRtt = async (): Promise<number> => {
            const t = performance.now();
            await post(baselineUrl, await gzip(Buffer.from(text), { level: zlib.Z_BEST_SPEED }), true);
            return performance.now() - t;
          };
          if (f % 4 < 2) {
            const r = await runRtt();
            return [r, await runGzipRtt()];
          }
          const g = await runGzipRtt();
          return [await runRtt(), g];
        };
        const baselinesFirst = body !== undefined && f % 2 === 1;
        const early = baselinesFirst ? await baselines() : undefined;
        const req0 = client.stats().requests;
        const t0 = performance.now();
        const report = await client.flush();
        const ms = performance.now() - t0;
        const requests = client.stats().requests - req0;
        if (!body) {
          body = await receiver.lastCompleteBody();
          bodyGz = await gzip(body, { level: zlib.Z_BEST_SPEED });
          bodyBytes = body.length;
          gzBytes = bodyGz.length;
        }
        const [rtt, gzRtt] = early ?? (await baselines());
        for (let c = 0; c < CHILDREN; c++) await otlpChild(c, `${task} step ${f}.${c}`);
        forceGc();
        const t1 = performance.now();
        await otlpProvider.forceFlush();
        const otlp = performance.now() - t1;
        if (f >= WARMUP) {
          otlpMs.push(otlp);
          flushMs.push(ms);
          rttMs.push(rtt);
          gzipRttMs.push(gzRtt);
          requestsPerFlush.push(requests);
          sentPerFlush.push(report.accepted);
        }
      }
      return 'done';
    },
    { eagerCallStart: true },
  );
  await root('benchmark task');
  otlpParent.end();
  await otlpProvider.shutdown();
  await close();
  const stats = await receiver.stats();
  await receiver.close();

  const row = (name: string, xs: number[]) => [
    name,
    fmt(median(xs), 2),
    fmt(percentile(xs, 90), 2),
    fmt(percentile(xs, 99), 2),
    fmt(Math.max(...xs), 2),
  ];
  printTable(
    `Latency, ms (${FLUSHES} flushes; each: open eager root, ${CHILDREN} finished children)`,
    ['what', 'p50', 'p90', 'p99', 'max'],
    [
      row('flush()', flushMs),
      row('baseline: round trip', rttMs),
      row('baseline: gzip + round trip', gzipRttMs),
      row('OTel OTLP/HTTP exporter forceFlush()', otlpMs),
    ],
  );
  const ratio = (p: number, base: number[]) => fmt(percentile(flushMs, p) / percentile(base, p), 2);
  printTable(
    'Ratios (flush / baseline, same percentile)',
    ['percentile', 'flush / round trip', 'flush / (gzip + round trip)', 'flush / OTLP exporter flush'],
    [50, 90, 99].map((p) => [
      `p${p}`,
      `${ratio(p, rttMs)}x`,
      `${ratio(p, gzipRttMs)}x`,
      `${ratio(p, otlpMs)}x`,
    ]),
  );
  printTable(
    'What each flush sent',
    ['requests per flush (median)', 'items sent per flush (median)', 'batch JSON', 'batch gzipped'],
    [[String(median(requestsPerFlush)), String(median(sentPerFlush)), `${bodyBytes} B`, `${gzBytes} B`]],
  );
  console.log(
    `receiver totals: ${stats.completeRequests} complete batches, ${stats.startRequests} starts, ` +
      `${stats.endRequests} ends, ${stats.items} items (including baselines)`,
  );
}

await main();
