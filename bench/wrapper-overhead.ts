/**
 * Overhead of `wrapOpenAI` per call against the bare `openai` client, on the LLM mock (real HTTP on
 * loopback, in its own process, answering at once), non-streaming and streaming, measured in the same
 * run and alternated round by round. The wrapped client's calls are traced with a real weft client
 * sending to the bench receiver (another process); each wrapped round ends with `client.flush()`
 * inside the measured time, so the send is included.
 *
 *   node --expose-gc dist/bench/wrapper-overhead.js [--calls 500] [--rounds 7]
 *
 * Figures per call: wall time (sequential awaits) and CPU of this process (`process.cpuUsage`, user +
 * system), medians over rounds. "overhead % of 1 ms" is (wrapped - bare) wall time as a share of a
 * 1 ms round trip, the yardstick; "% of bare" is the same against the measured bare round trip.
 * "of which final flush" is the part of the wrapped wall time spent in the round's closing `flush()`,
 * mostly waiting for the receiver (another process) to take the last batch; "overhead of the calls" is
 * the wall overhead without it: what each call costs the caller while the pipeline sends in the
 * background (the flush's CPU still counts in "CPU overhead"). A round's flush waits for the round's
 * last batch, up to `maxBatchSize` records that a longer run would have sent meanwhile.
 */
import OpenAI from 'openai';
import { wrapOpenAI } from '../src/index.js';
import { forkReady } from './lib/child-process.js';
import { chatOnce, timedRound, type ChatMode, type RoundSample } from './lib/chat-call.js';
import { numberArg } from './lib/cli-args.js';
import { Receiver } from './lib/receiver.js';
import { fmt, median, printHeader, printTable } from './lib/stats.js';
import { initBenchClient } from './lib/weft-client.js';

const CALLS = numberArg('calls', 500);
const ROUNDS = numberArg('rounds', 7);

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
await weft.close();
await receiver.close();
await mock.stop();
