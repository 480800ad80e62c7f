/**
 * CPU cost of `wrapOpenAI` per call with the network taken out: the `openai` client's (default, global)
 * `fetch` answers from memory with the LLM mock's bodies, so a round is pure CPU of this process and
 * far less noisy than `wrapper-overhead.ts` on a shared machine. The weft client still sends to the
 * bench receiver (another process, over the real fetch); each wrapped round ends with `flush()`.
 *
 *   node --expose-gc dist/bench/wrapper-cpu.js [--calls 3000] [--rounds 7]
 *
 *   node --expose-gc dist/bench/wrapper-cpu.js --clients bare     (or wrapped: one client per process)
 *
 * Figures per call, µs: bare and wrapped time (medians over rounds, alternated), and the overhead
 * (wrapped - bare of the same round pair) as median with min and max; the CPU of this process
 * (`process.cpuUsage`, GC threads included) the same way; and how much of a wrapped round's time was
 * the final `flush()` (mostly waiting for the receiver, another process); "overhead of the calls" is
 * the wall overhead without that wait.
 *
 * With both clients in one process, the bare client shares the wrapped one's JIT state and heap, which
 * slows it too and hides part of the overhead. `--clients bare` and `--clients wrapped` run one client
 * per process: compare two such runs, alternated, for the overhead an app without weft would not pay.
 */
import OpenAI from 'openai';
import { chatChunks, chatCompletion } from '../test/helpers/llm-mock-server.js';
import { wrapOpenAI } from '../src/index.js';
import { chatOnce, timedRound, type ChatMode, type RoundSample } from './lib/chat-call.js';
import { numberArg, stringArg } from './lib/cli-args.js';
import { Receiver } from './lib/receiver.js';
import { fmt, median, printHeader, printTable } from './lib/stats.js';
import { initBenchClient } from './lib/weft-client.js';

const CALLS = numberArg('calls', 3000);
const ROUNDS = numberArg('rounds', 7);
const CLIENTS = stringArg('clients', 'both');
if (!['both', 'bare', 'wrapped'].includes(CLIENTS)) throw new Error('--clients is both, bare or wrapped');
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
const round = (api: OpenAI, mode: Mode, after: () => Promise<unknown>) => timedRound(api, mode, CALLS, after);

printHeader('wrapper-cpu', [
  `${CALLS} calls per round, ${ROUNDS} rounds, in-memory fetch, clients: ${CLIENTS}` +
    (CLIENTS === 'both' ? ', alternated' : ''),
]);
const receiver = await Receiver.start();
const weft = await initBenchClient('bench/wrapper-cpu', receiver.url);
const opts = { baseURL: `${MOCK}/v1`, apiKey: 'sk-bench', maxRetries: 0 };
const bare = CLIENTS === 'wrapped' ? undefined : new OpenAI(opts);
const wrapped = CLIENTS === 'bare' ? undefined : wrapOpenAI(new OpenAI(opts));
const flush = () => weft.client.flush();
const noop = () => Promise.resolve();
const label = (mode: Mode) =>
  mode === 'json' ? 'chat.completions.create' : 'chat.completions.create, stream: true';
/** Median, min and max of per-round figures. */
const spread = (xs: number[]) => `${fmt(median(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`;

const rows: string[][] = [];
for (const mode of ['json', 'stream'] as const) {
  for (let i = 0; i < 300; i++) {
    if (bare) await chatOnce(bare, mode); // warm-up
    if (wrapped) await chatOnce(wrapped, mode);
  }
  await flush();
  const b: RoundSample[] = [];
  const w: RoundSample[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    if (bare && r % 2 === 0) b.push(await round(bare, mode, noop));
    if (wrapped) w.push(await round(wrapped, mode, flush));
    if (bare && r % 2 === 1) b.push(await round(bare, mode, noop));
  }
  if (!bare || !wrapped) {
    const s = bare ? b : w;
    rows.push([
      label(mode),
      bare ? 'bare' : 'wrapped',
      spread(s.map((x) => x.wallUs)),
      spread(s.map((x) => x.cpuUs)),
      bare ? '' : spread(s.map((x) => x.flushUs)),
    ]);
    continue;
  }
  const d = (key: keyof RoundSample) => w.map((x, i) => x[key] - (b[i]?.[key] ?? 0));
  rows.push([
    label(mode),
    fmt(median(b.map((x) => x.wallUs))),
    fmt(median(w.map((x) => x.wallUs))),
    spread(d('wallUs')),
    spread(d('cpuUs')),
    spread(w.map((x) => x.flushUs)),
    spread(w.map((x, i) => x.wallUs - x.flushUs - (b[i]?.wallUs ?? 0))),
  ]);
}
if (bare && wrapped)
  printTable(
    'wrapOpenAI vs the bare client, in-memory fetch, per call (µs; overheads: median (min–max) over round pairs)',
    ['call', 'bare', 'wrapped', 'overhead', 'CPU overhead', 'of which final flush', 'overhead of the calls'],
    rows,
  );
else
  printTable(
    'one client in this process, in-memory fetch, per call (µs; median (min–max) over rounds)',
    ['call', 'client', 'wall', 'CPU', 'of which final flush'],
    rows,
  );
await weft.close();
await receiver.close();
