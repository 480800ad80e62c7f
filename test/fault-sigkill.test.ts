// Issue 4: a traced child process in `durability: 'spool'` mode is killed with SIGKILL mid-run while
// 30 % of its requests fault; the next run's `init()` (here: the test process) adopts its spool folder
// and replays it. Every call that had finished before the kill must arrive exactly once, whatever the
// fsync interval: SIGKILL loses no written data (only an OS crash could lose the last interval).
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { init } from '../src/index.js';
import {
  exited,
  forkFixture,
  killIfRunning,
  nextMessage,
  pollUntil,
  quiet,
  startStack,
  tempDir,
  type Stack,
} from './fixtures/fault-harness.js';
import { checkDelivery, countStoredCalls, summarize } from './fixtures/fault-verify.js';

const CHILD = new URL('./fixtures/fault-crash-child.js', import.meta.url);
const KILL_AFTER_FINISHED = 6000;
const CONCURRENCY = 4;

let stack: Stack;
let dir: string;
before(async () => {
  stack = await startStack();
  dir = tempDir('weft-fault-crash-');
});
after(async () => {
  await stack.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const traceOf = (label: string): string => label.split('.')[0]!;

for (const fsyncIntervalMs of [200, 5000]) {
  test(`SIGKILL in durability 'spool' mode (fsync every ${fsyncIntervalMs} ms): no finished call lost`, async () => {
    const project = `fault/crash-${fsyncIntervalMs}`;
    const labelsFile = join(dir, `${fsyncIntervalMs}.labels`);
    const { proxy, server } = stack;
    proxy.randomFaults({ seed: fsyncIntervalMs, rate: 0.3 });
    const child = forkFixture(CHILD, {
      project,
      serverUrl: proxy.url,
      spoolDir: stack.spoolDir,
      labelsFile,
      fsyncIntervalMs,
      concurrency: CONCURRENCY,
      paceMs: 5, // with tools taking 2 ms: about 2 000 calls a second, a few traces always running
    });
    try {
      await nextMessage(child, 'ready', 30_000);
      const finishedCount = (): number => readFileSync(labelsFile, 'utf8').split('\n').length - 1;
      // Kill mid-stream: part of the spool acknowledged by the server, part not yet sent.
      await pollUntil(
        async () =>
          finishedCount() >= KILL_AFTER_FINISHED &&
          (await countStoredCalls(server.url, project)) >= KILL_AFTER_FINISHED / 5,
        60_000,
        'calls to finish and some to arrive',
        20,
      );
      child.kill('SIGKILL');
      assert.equal((await exited(child, 10_000)).signal, 'SIGKILL');
    } finally {
      killIfRunning(child);
    }
    proxy.randomFaults(undefined);
    const finished = new Set(readFileSync(labelsFile, 'utf8').split('\n').filter(Boolean));
    const beforeRecovery = await countStoredCalls(server.url, project);

    const t0 = Date.now();
    const client = await init({ project, serverUrl: proxy.url, spoolDir: stack.spoolDir, logger: quiet });
    const report = await client.flush({ timeoutMs: 60_000 });
    const recoveredIn = Date.now() - t0;
    assert.equal(report.timedOut, false, 'the recovered spool drained');

    const r = await checkDelivery(server.url, project, finished);
    const unfinishedTraces = new Set([...finished].map(traceOf).filter((t) => !finished.has(t)));
    console.log(
      `sigkill (fsync ${fsyncIntervalMs} ms): ${finished.size} calls finished before the kill, ` +
        `${beforeRecovery} on the server at the kill, ${r.stored - beforeRecovery} replayed by the next ` +
        `init() in ${recoveredIn} ms; lost ${r.missing.length}; ${summarize(r)}; ` +
        `traces running at the kill: ${unfinishedTraces.size}, eager roots shown running: ${r.notComplete.length}`,
    );
    assert.ok(beforeRecovery < finished.size, 'some finished calls were still only in the spool');
    assert.deepEqual(r.missing, [], 'no finished call lost');
    assert.deepEqual(r.duplicateLabels, [], 'no call stored twice');
    assert.equal(r.distinctIds, r.streamed);
    // Only finished calls are spooled, and the starts of eager roots (shown running, never ended).
    for (const c of r.notComplete) {
      const label = c.label ?? '';
      assert.ok(c.status === 'running' && label === traceOf(label) && !finished.has(label), label);
    }
    // A call may have finished (and been spooled) in the instant between its end and the label write;
    // such calls, and calls whose parent was still running, belong to traces running at the kill.
    assert.ok(r.unexpected.length <= CONCURRENCY * 4, `${r.unexpected.length} calls finished unlabelled`);
    for (const label of r.unexpected) assert.ok(!finished.has(traceOf(label)), `${label}: its trace ran`);
    for (const c of r.missingParents) {
      assert.ok(c.label && !finished.has(traceOf(c.label)), `${c.label}: parent of a finished trace lost`);
    }
    await client.finish();
  });
}
