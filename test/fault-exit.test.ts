// Issue 4: a child process calls process.exit() right after a burst of calls, with batches queued,
// batches in flight (the proxy stalls half the requests, so the server may get them after the child
// is gone: sent twice, stored once) and one call still running. The next run delivers everything.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { PipelineStats } from '../src/index.js';
import {
  exited,
  forkFixture,
  killIfRunning,
  nextMessage,
  startStack,
  tempDir,
  type Stack,
} from './fixtures/fault-harness.js';
import { checkDelivery, countStoredCalls, summarize } from './fixtures/fault-verify.js';
import { CALLS_PER_TRACE, expectedLabels, range } from './fixtures/fault-workload.js';

const EXIT_CHILD = new URL('./fixtures/fault-exit-child.js', import.meta.url);
const RECOVER_CHILD = new URL('./fixtures/fault-recover-child.js', import.meta.url);
const PROJECT = 'fault/exit';
const TRACES = 4000;

let stack: Stack;
let dir: string;
before(async () => {
  stack = await startStack();
  dir = tempDir('weft-fault-exit-');
});
after(async () => {
  await stack.dispose();
  rmSync(dir, { recursive: true, force: true });
});

test(`process.exit() right after a burst of ${TRACES * CALLS_PER_TRACE} calls: the next run delivers them`, async () => {
  const { proxy, server } = stack;
  const options = { project: PROJECT, serverUrl: proxy.url, spoolDir: stack.spoolDir };
  const resultFile = join(dir, 'exit.json');
  proxy.randomFaults({ seed: 7, rate: 0.5, mix: [{ fault: { kind: 'stall', ms: 300 }, weight: 1 }] });
  const child = forkFixture(EXIT_CHILD, { ...options, traces: TRACES, resultFile });
  try {
    assert.equal((await exited(child, 60_000)).code, 0);
  } finally {
    killIfRunning(child);
  }
  const { atExit, afterSpill } = JSON.parse(readFileSync(resultFile, 'utf8')) as {
    atExit: PipelineStats;
    afterSpill: PipelineStats;
  };
  const spilledAtExit = afterSpill.spilled - atExit.spilled;
  assert.ok(spilledAtExit > 0, 'the exit hook spooled what was in memory');
  assert.equal(afterSpill.dropped, 0);
  // Requests the child left stalled in the proxy still reach the server (they will be sent twice).
  await proxy.waitFor(() => proxy.pending === 0, 10_000, 'stalled requests to be forwarded');
  proxy.randomFaults(undefined);
  const beforeRecovery = await countStoredCalls(server.url, PROJECT);
  assert.ok(beforeRecovery < TRACES * CALLS_PER_TRACE, 'calls were missing before the next run');

  const next = forkFixture(RECOVER_CHILD, options);
  try {
    const recovered = await nextMessage<{ ms: number; report: { timedOut: boolean; accepted: number } }>(
      next,
      'recovered',
      60_000,
    );
    assert.equal(recovered.report.timedOut, false);
    assert.equal((await exited(next, 15_000)).code, 0);

    const expected = expectedLabels(range(0, TRACES));
    const r = await checkDelivery(server.url, PROJECT, new Set([...expected, 'never']));
    console.log(
      `exit: at process.exit() ${atExit.sent} sent, ${atExit.queuedItems} queued, ${atExit.inFlightItems} in ` +
        `flight, ${atExit.pendingCalls} running; the exit hook spooled ${spilledAtExit}; ` +
        `${beforeRecovery} on the server before the next run, which sent ${recovered.report.accepted} in ` +
        `${recovered.ms} ms; ${summarize(r)}`,
    );
    assert.deepEqual(r.missing, [], 'nothing lost');
    assert.deepEqual(r.duplicateLabels, [], 'nothing stored twice');
    assert.deepEqual(r.unexpected, []);
    assert.equal(r.distinctIds, r.streamed);
    assert.equal(r.stored, expected.size + 1);
    assert.deepEqual(r.missingParents, []);
    assert.deepEqual(
      r.notComplete.map((c) => [c.label, c.status]),
      [['never', 'running']],
      'the call running at exit shows as running',
    );
  } finally {
    killIfRunning(next);
  }
});
