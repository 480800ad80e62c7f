/**
 * Overhead of `wrapOpenAI` per call against the bare `openai` client, on the LLM mock (real HTTP on
 * loopback, in its own process, answering at once), non-streaming and streaming, measured in the same
 * run and alternated round by round. The wrapped client's calls are traced with a real weft client
 * sending to the bench receiver (another process); each wrapped round ends with `client.flush()`
 * inside the measured time, so the send is included.
 *
 *   node --expose-gc dist/bench/wrapper-overhead.js [--calls 500] [--rounds 7] [--pairs 4000]
 *
 * Figures per call: wall time (sequential awaits) and CPU of this process (`process.cpuUsage`, user +
 * system), medians over rounds. "overhead % of 1 ms" is (wrapped - bare) wall time as a share of a
 * 1 ms round trip, the yardstick; "% of bare" is the same against the measured bare round trip.
 * "of which final flush" is the part of the wrapped wall time spent in the round's closing `flush()`,
 * mostly waiting for the receiver (another process) to take the last batch; "overhead of the calls" is
 * the wall overhead without it: what each call costs the caller while the pipeline sends in the
 * background (the flush's CPU still counts in "CPU overhead"). A round's flush waits for the round's
 * last batch, up to `maxBatchSize` records that a longer run would have sent meanwhile.
 *
 * The round figures swing by 2x between runs on a shared machine. The second table times bare and
 * wrapped calls interleaved one by one (`--pairs`): its median per-pair difference is the steady one.
 */
import OpenAI from 'openai';
import { wrapOpenAI } from '../src/index.js';
import { forkReady } from './lib/child-process.js';
import { chatOnce, timedRound, type ChatMode, type RoundSample } from './lib/chat-call.js';
import { numberArg } from './lib/cli-args.js';
import { Receiver } from './lib/receiver.js';
import { fmt, median, percentile, printHeader, printTable } from './lib/stats.js';
import { initBenchClient } from './lib/weft-client.js';

const CALLS = numberArg('calls', 500);
const ROUNDS = numberArg('rounds', 7);
const PAIRS = numberArg('pairs', 4000);

type Mode = ChatMode;
const round = (api: OpenAI, mode: Mode, after: () => Promise<unknown>) => timedRound(api, mode, CALLS, after);

printHeader('wrapper-overhead', [`${CALLS} calls per round, ${ROUNDS} rounds, bare and wrapped alternated`]);
const mock = await forkReady<{ url: string }>('./llm-mock-main.js', []);
const receiver = await Receiver.start();
const weft = await initBenchClient('bench/wrapper', receiver.url);
const opts = { baseURL: `${mock.ready.url}/v1`, apiKey: 'sk-bench', maxRetries: 0 };
const bare = new OpenAI(opts);
const wrapped = wrapOpenAI(new OpenAI(opts));
const noop = () => Promise.resolve();

const rows: string[][] = [];
for (const mode of ['json', 'stream'] as const) {
  for (let i = 0; i < 50; i++) {
    await chatOnce(bare, mode); // warm-up
    await chatOnce(wrapped, mode);
  }
  await weft.client.flush();
  const b: RoundSample[] = [];
  const w: RoundSample[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2 === 0) {
      b.push(await round(bare, mode, noop));
      w.push(await round(wrapped, mode, () => weft.client.flush()));
    } else {
      w.push(await round(wrapped, mode, () => weft.client.flush()));
      b.push(await round(bare, mode, noop));
    }
  }
  const bareWall = median(b.map((s) => s.wallUs));
  const wrapWall = median(w.map((s) => s.wallUs));
  const overhead = median(w.map((s, i) => s.wallUs - (b[i]?.wallUs ?? 0)));
  const callsOnly = median(w.map((s, i) => s.wallUs - s.flushUs - (b[i]?.wallUs ?? 0)));
  const bareCpu = median(b.map((s) => s.cpuUs));
  const wrapCpu = median(w.map((s) => s.cpuUs));
  rows.push([
    mode === 'json' ? 'chat.completions.create' : 'chat.completions.create, stream: true',
    fmt(bareWall),
    fmt(wrapWall),
    fmt(overhead),
    `${fmt((overhead / 1000) * 100)} %`,
    `${fmt((overhead / bareWall) * 100)} %`,
    fmt(bareCpu),
    fmt(wrapCpu),
    fmt(wrapCpu - bareCpu),
    fmt(median(w.map((s) => s.flushUs))),
    fmt(callsOnly),
    `${fmt((callsOnly / 1000) * 100)} %`,
  ]);
}
const stats = await receiver.stats();
printTable(
  'wrapOpenAI vs the bare client, per call (µs, medians over rounds)',
  [
    'call',
    'bare wall',
    'wrapped wall',
    'overhead',
    'overhead % of 1 ms',
    '% of bare',
    'bare CPU',
    'wrapped CPU',
    'CPU overhead',
    'of which final flush',
    'overhead of the calls',
    'of the calls, % of 1 ms',
  ],
  rows,
);
console.log(`delivered to the receiver: ${stats.items} records in ${stats.requests} requests`);

// Interleaved: one bare call and one wrapped call after the other (which one first alternates), each
// timed alone, so that a drift of the machine (another process, the mock's GC) hits both alike. The
// median of the per-pair differences is the overhead a typical call sees; the trimmed mean also counts
// the calls on whose turn the pipeline sent a batch (its gzip and post run on this thread).
const pairRows: string[][] = [];
for (const mode of ['json', 'stream'] as const) {
  const diffs: number[] = [];
  const bareUs: number[] = [];
  for (let i = 0; i < PAIRS; i++) {
    const order = i % 2 === 0 ? [bare, wrapped] : [wrapped, bare];
    const t: number[] = [];
    for (const api of order) {
      const t0 = performance.now();
      await chatOnce(api, mode);
      t.push((performance.now() - t0) * 1000);
    }
    const [b, w] = i % 2 === 0 ? [t[0]!, t[1]!] : [t[1]!, t[0]!];
    diffs.push(w - b);
    bareUs.push(b);
  }
  const t0 = performance.now();
  await weft.client.flush();
  const flushUs = ((performance.now() - t0) * 1000) / PAIRS;
  const sorted = [...diffs].sort((a, b) => a - b);
  const cut = Math.floor(sorted.length * 0.1);
  const trimmed = sorted.slice(cut, sorted.length - cut);
  const trimmedMean = trimmed.reduce((a, b) => a + b, 0) / trimmed.length;
  pairRows.push([
    mode === 'json' ? 'chat.completions.create' : 'chat.completions.create, stream: true',
    String(PAIRS),
    fmt(median(bareUs)),
    fmt(median(diffs)),
    `${fmt(median(diffs) / 10)} %`,
    fmt(trimmedMean),
    `${fmt(percentile(diffs, 25))} / ${fmt(percentile(diffs, 75))}`,
    fmt(flushUs),
  ]);
}
printTable(
  'Interleaved pairs: wrapped - bare per call (µs)',
  [
    'call',
    'pairs',
    'bare, median',
    'overhead, median',
    'median, % of 1 ms',
    'overhead, 10 % trimmed mean',
    'p25 / p75',
    'final flush per call',
  ],
  pairRows,
);
await weft.close();
await receiver.close();
await mock.stop();
