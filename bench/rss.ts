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
 */
import { op } from '../src/index.js';
import { numberArg } from './lib/cli-args.js';
import { forceGc, sleep, tick } from './lib/gc.js';
import { Receiver } from './lib/receiver.js';
import { initBenchClient } from './lib/weft-client.js';
import { fmt, printHeader, printTable } from './lib/stats.js';

const CALLS = numberArg('calls', 100_000);
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

await main();
