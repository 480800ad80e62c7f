/**
 * CPU cost of `wrapOpenAI` per call with the network taken out: the `openai` client's (default, global)
 * `fetch` answers from memory with the LLM mock's bodies, so a round is pure CPU of this process and
 * far less noisy than `wrapper-overhead.ts` on a shared machine. The weft client still sends to the
 * bench receiver (another process, over the real fetch); each wrapped round ends with `flush()`.
 *
 *   node --expose-gc dist/bench/wrapper-cpu.js [--calls 3000] [--rounds 7]
 *
 * Figures per call, µs: bare and wrapped time (medians over rounds, alternated), and the overhead
 * (wrapped - bare of the same round pair) as median with min and max.
 */
import OpenAI from 'openai';
import { chatChunks, chatCompletion } from '../test/helpers/llm-mock-server.js';
import { wrapOpenAI } from '../src/index.js';
import { chatOnce, type ChatMode } from './lib/chat-call.js';
import { numberArg } from './lib/cli-args.js';
import { forceGc } from './lib/gc.js';
import { Receiver } from './lib/receiver.js';
import { fmt, median, printHeader, printTable } from './lib/stats.js';
import { initBenchClient } from './lib/weft-client.js';

const CALLS = numberArg('calls', 3000);
const ROUNDS = numberArg('rounds', 7);
const MOCK = 'http://llm-mock.invalid';

const json = JSON.stringify(chatCompletion('Hello there'));
const sse =
  chatChunks(['Hel', 'lo', ' there'], true)
    .map((e) => `data: ${JSON.stringify(e.data)}\n\n`)
    .join('') + 'data: [DONE]\n\n';
const realFetch = globalThis.fetch;
globalThis.fetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
  if (!String(input instanceof Request ? input.url : input).startsWith(MOCK)) return realFetch(input, init);
  const stream = (JSON.parse(String(init?.body)) as { stream?: unknown }).stream === true;
  const type = stream ? 'text/event-stream' : 'application/json';
  return Promise.resolve(new Response(stream ? sse : json, { headers: { 'content-type': type } }));
};

type Mode = ChatMode;

async function round(api: OpenAI, mode: Mode, after: () => Promise<unknown>): Promise<number> {
  forceGc();
  const t0 = performance.now();
  for (let i = 0; i < CALLS; i++) await chatOnce(api, mode);
  await after();
  return ((performance.now() - t0) * 1000) / CALLS;
}

printHeader('wrapper-cpu', [`${CALLS} calls per round, ${ROUNDS} rounds, in-memory fetch, alternated`]);
const receiver = await Receiver.start();
const weft = await initBenchClient('bench/wrapper-cpu', receiver.url);
const opts = { baseURL: `${MOCK}/v1`, apiKey: 'sk-bench', maxRetries: 0 };
const bare = new OpenAI(opts);
const wrapped = wrapOpenAI(new OpenAI(opts));
const flush = () => weft.client.flush();
const noop = () => Promise.resolve();

const rows: string[][] = [];
for (const mode of ['json', 'stream'] as const) {
  for (let i = 0; i < 300; i++) {
    await chatOnce(bare, mode); // warm-up
    await chatOnce(wrapped, mode);
  }
  await flush();
  const b: number[] = [];
  const w: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2 === 0) {
      b.push(await round(bare, mode, noop));
      w.push(await round(wrapped, mode, flush));
    } else {
      w.push(await round(wrapped, mode, flush));
      b.push(await round(bare, mode, noop));
    }
  }
  const d = w.map((x, i) => x - (b[i] ?? 0));
  rows.push([
    mode === 'json' ? 'chat.completions.create' : 'chat.completions.create, stream: true',
    fmt(median(b)),
    fmt(median(w)),
    fmt(median(d)),
    fmt(Math.min(...d)),
    fmt(Math.max(...d)),
  ]);
}
printTable(
  'wrapOpenAI vs the bare client, in-memory fetch, per call (µs)',
  ['call', 'bare', 'wrapped', 'overhead', 'min', 'max'],
  rows,
);
await weft.close();
await receiver.close();
