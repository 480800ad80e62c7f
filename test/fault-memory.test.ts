// Issue 4: the server is unreachable (the proxy refuses connections) while a child process makes
// 200 000 calls with `maxQueueBytes` at 16 MiB. Records past the bound spill to the disk spool (about
// 170 MiB of them); the process's memory must stay bounded, and once the server is back every call
// must arrive exactly once.
//
// The child runs with a V8 heap cap of 128 MiB, below the size of the records it makes: an SDK that
// held them would die of out-of-memory. The cap also keeps V8 from letting garbage pile up (by default
// it lets the heap grow to a few times the live size before a full GC; RSS then creeps up with time
// although the SDK holds no more: see bench/RESULTS.md), so RSS reflects what the SDK keeps.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { PipelineStats } from '../src/index.js';
import {
  exited,
  forkFixture,
  killIfRunning,
  nextMessage,
  startStack,
  type Stack,
} from './fixtures/fault-harness.js';
import { assertExactlyOnce, checkDelivery, summarize } from './fixtures/fault-verify.js';
import { CALLS_PER_TRACE, expectedLabels, range } from './fixtures/fault-workload.js';

const CHILD = new URL('./fixtures/fault-memory-child.js', import.meta.url);
const PROJECT = 'fault/memory';
const MiB = 1024 * 1024;
const MAX_QUEUE_BYTES = 16 * MiB;
/**
 * RSS beyond the queue bound: V8's young generation growing to its working size, batches in flight
 * (4 x 1 000 records, as items and as request bodies), the spool's read buffer, garbage between GCs.
 */
const OVERHEAD = 48 * MiB;
/** What the SDK itself may keep beyond the queue bound (live heap after a full GC): batches in flight. */
const LIVE_OVERHEAD = 16 * MiB;
const WARMUP_TRACES = 4000;
const TRACES = 40_000;
const PAYLOAD_BYTES = 500;

let stack: Stack;
before(async () => (stack = await startStack()));
after(() => stack.dispose());

interface Made {
  ms: number;
  baselineRss: number;
  peakRss: number;
  baselineHeap: number;
  peakHeap: number;
  peakQueuedBytes: number;
  quarterPeaks: number[];
  rssAfterGc: number;
  heapAfterGc: number;
  stats: PipelineStats;
}

test(`${TRACES * CALLS_PER_TRACE} calls while the server is unreachable: RSS bounded, all arrive later`, async () => {
  const { proxy, server } = stack;
  const child = forkFixture(
    CHILD,
    {
      project: PROJECT,
      serverUrl: proxy.url,
      spoolDir: stack.spoolDir,
      warmupTraces: WARMUP_TRACES,
      traces: TRACES,
      payloadBytes: PAYLOAD_BYTES,
      maxQueueBytes: MAX_QUEUE_BYTES,
      eagerEvery: 100, // eager halves are one request each: few, or the replay takes long
    },
    ['--expose-gc', '--max-old-space-size=128'],
  );
  try {
    await nextMessage(child, 'warm', 60_000);
    await proxy.setMode('refuse');
    child.send({ cmd: 'go' });
    const made = await nextMessage<Made>(child, 'made', 120_000);
    const growth = made.peakRss - made.baselineRss;
    const s = made.stats;
    const mib = (n: number): string => (n / MiB).toFixed(1);
    console.log(
      `memory: ${TRACES * CALLS_PER_TRACE} calls made in ${made.ms} ms with the server down; RSS ` +
        `${mib(made.baselineRss)} -> peak ${mib(made.peakRss)} MiB (growth ${mib(growth)} MiB, bound ` +
        `${mib(MAX_QUEUE_BYTES)} + ${mib(OVERHEAD)}); heap ${mib(made.baselineHeap)} -> ${mib(made.peakHeap)} MiB; ` +
        `peak RSS outside the young generation by quarter of the calls ${made.quarterPeaks.map(mib).join(', ')} MiB; ` +
        `after a full GC: RSS ${mib(made.rssAfterGc)}, heap ${mib(made.heapAfterGc)} MiB; ` +
        `peak queue ${mib(made.peakQueuedBytes)} MiB, at the end ${mib(s.queuedBytes)} MiB + ` +
        `${s.inFlightItems} records in flight; spilled ${s.spilled} records, spool ${mib(s.spoolBytes)} MiB; ` +
        `dropped ${s.dropped}; ${s.retries} attempts refused`,
    );
    await proxy.setMode('forward');
    child.send({ cmd: 'flush', timeoutMs: 150_000 });
    const flushed = await nextMessage<{ ms: number; report: { timedOut: boolean } }>(
      child,
      'flushed',
      160_000,
    );
    assert.equal(flushed.report.timedOut, false);
    assert.equal((await exited(child, 15_000)).code, 0);

    const r = await checkDelivery(server.url, PROJECT, expectedLabels(range(0, WARMUP_TRACES + TRACES)));
    console.log(`memory: server back, delivered in ${flushed.ms} ms; ${summarize(r)}`);
    assertExactlyOnce(r);

    // The memory figures of the outage (checked after the delivery, so that both are reported).
    assert.ok(made.peakQueuedBytes <= MAX_QUEUE_BYTES, 'the queue kept to its bound');
    assert.ok(s.spoolBytes > 4 * MAX_QUEUE_BYTES, 'far more than the bound went to the spool');
    assert.ok(growth < MAX_QUEUE_BYTES + OVERHEAD, `RSS grew ${mib(growth)} MiB`);
    // What the SDK keeps (live heap after a full GC) must be about what maxQueueBytes counts.
    const live = made.heapAfterGc - made.baselineHeap;
    assert.ok(live < MAX_QUEUE_BYTES + LIVE_OVERHEAD, `the SDK keeps ${mib(live)} MiB`);
    // From the second quarter (the queue full, records spilling), RSS outside the young generation
    // (whose size V8 picks from the allocation rate) stays flat: growth would be per call.
    const [, second, , last] = made.quarterPeaks as [number, number, number, number];
    assert.ok(
      last - second < MAX_QUEUE_BYTES,
      `RSS flat: from the second to the last quarter it grew ${mib(last - second)} MiB`,
    );
    assert.equal(s.dropped, 0);
    assert.ok(s.retries > 0, 'the SDK kept trying the unreachable server');
  } finally {
    killIfRunning(child);
  }
});
