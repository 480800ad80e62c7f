/**
 * HTTP requests and bytes per 10 000 calls with default options, counted by a real receiver (another
 * process) and cross-checked with the SDK's own counters.
 *
 *   node dist/bench/wire.js [--calls 10000]
 *
 * Two workloads, each run in a burst then flushed:
 * - "trivial": `add(a, b)` -> number (the smallest possible record: ids, times, op name, summary);
 * - "chat-like": inputs `{ model, messages: [system, user ~30 words] }`, output an OpenAI-style completion
 *   (~25 words, usage), varied text from a fixed vocabulary (so the compressor sees realistic, not repeated, text).
 * "socket" bytes are everything the receiver read from the SDK's connections: request lines, headers
 * and bodies. Expected: one request per `maxBatchSize` (2 000) complete calls.
 */
import { mulberry32 } from '../src/shared/mulberry32.js';
import { op, PIPELINE_DEFAULTS } from '../src/index.js';
import { numberArg } from './lib/cli-args.js';
import { Receiver } from './lib/receiver.js';
import { initBenchClient } from './lib/weft-client.js';
import { sentence } from './lib/synthetic-text.js';
import { fmt, int, printHeader, printTable } from './lib/stats.js';

const CALLS = numberArg('calls', 10_000);

async function main(): Promise<void> {
  printHeader('wire', [`calls per workload: ${CALLS}, maxBatchSize: ${PIPELINE_DEFAULTS.maxBatchSize}`]);
  const receiver = await Receiver.start();
  const { client, close } = await initBenchClient('bench/wire', receiver.url);
  const rng = mulberry32(42);

  const add = op(function add(a: number, b: number): number {
    return a + b;
  });
  const chat = op(async function chatCompletion(request: {
    model: string;
    messages: { role: string; content: string }[];
  }): Promise<unknown> {
    return {
      id: `chatcmpl-${Math.floor(rng() * 1e12).toString(36)}`,
      model: request.model,
      choices: [
        { index: 0, message: { role: 'assistant', content: sentence(rng, 25) }, finish_reason: 'stop' },
      ],
      usage: { prompt_tokens: 60, completion_tokens: 35, total_tokens: 95 },
    };
  });

  const workloads: { name: string; run: () => Promise<void> }[] = [
    {
      name: 'trivial add(a, b)',
      run: async () => {
        for (let i = 0; i < CALLS; i++) add(i, 1);
      },
    },
    {
      name: 'chat-like',
      run: async () => {
        for (let i = 0; i < CALLS; i++) {
          await chat({
            model: 'gpt-4o-mini',
            messages: [
              { role: 'system', content: 'You are a helpful assistant. Answer briefly.' },
              { role: 'user', content: sentence(rng, 30) },
            ],
          });
        }
      },
    },
  ];

  const rows: string[][] = [];
  const perCall: string[][] = [];
  for (const w of workloads) {
    await client.flush();
    await receiver.reset();
    const s0 = client.stats();
    await w.run();
    await client.flush();
    const r = await receiver.stats();
    const s1 = client.stats();
    rows.push([
      w.name,
      int(r.items),
      String(r.requests),
      `${r.compressedRequests}/${r.requests}`,
      int(r.socketBytes),
      int(r.bodyBytes),
      int(r.rawBytes),
      `${int(s1.requests - s0.requests)} / ${int(s1.bytesSent - s0.bytesSent)} / ${int(s1.bytesRaw - s0.bytesRaw)}`,
    ]);
    perCall.push([
      w.name,
      fmt(r.socketBytes / CALLS, 1),
      fmt(r.bodyBytes / CALLS, 1),
      fmt(r.rawBytes / CALLS, 1),
      `${fmt(r.rawBytes / r.bodyBytes, 1)}x`,
      fmt(r.items / CALLS, 2),
    ]);
  }
  await close();
  await receiver.close();

  printTable(
    `Per ${int(CALLS)} calls (receiver counts; last column: the SDK's own stats requests / bytesSent / bytesRaw)`,
    [
      'workload',
      'records',
      'requests',
      'compressed',
      'socket bytes',
      'body bytes',
      'raw JSON bytes',
      'SDK stats',
    ],
    rows,
  );
  printTable(
    'Per call',
    [
      'workload',
      'socket B/call',
      'body (compressed) B/call',
      'raw JSON B/call',
      'compression',
      'records/call',
    ],
    perCall,
  );
}

await main();
