// Found by the fault suite (issue 4; fixed): flush() must not resolve before
// every record queued before it was settled, also when an outage spools records out of sequence
// order. Two batches in flight, A (seq 1-10) and B (11-20), fail past the retry deadline one after
// the other; between the two, the outage spills the queue (21-30, queued after the flush). The spool
// then holds A, the queue, B. Once A was sent, Spool.oldestSeq() answered 21 (the seq of the oldest
// *line*, SeqRuns.first()) although B's 11-20 still wait: BatchWorker.lowestUnsettled() took it for
// the lowest unsettled seq, and the flush (up to 20) resolved with timedOut false while B was unsent.
// The fix: the minimum over the remaining runs (a SeqRuns.min()) in Spool.oldestSeq().
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { init, op } from '../src/index.js';
import { pollUntil, quiet, startStack, withDeadline, type Stack } from './fixtures/fault-harness.js';
import { readStoredCalls } from './fixtures/fault-verify.js';

let stack: Stack;
before(async () => (stack = await startStack()));
after(() => stack.dispose());

const item = op(function item(label: string) {
  return label;
});

test('flush() waits for records spooled out of order by an outage', async () => {
  const project = 'fault/flush-order';
  const { proxy, server } = stack;
  await proxy.setMode('refuse');
  const client = await init({
    project,
    serverUrl: proxy.url,
    spoolDir: stack.spoolDir,
    logger: quiet,
    maxBatchSize: 10,
    maxConcurrentRequests: 2,
    retryDeadlineMs: 1000,
    retryBaseMs: 20,
    retryMaxMs: 100,
  });
  for (let i = 0; i < 20; i++) item(`before-${i}`); // two full batches: both go in flight
  const flushed = client.flush({ timeoutMs: 30_000 });
  for (let i = 0; i < 10; i++) item(`after-${i}`); // queued: the in-flight slots are taken
  await pollUntil(() => client.stats().spooledItems === 30, 15_000, 'both batches and the queue spooled');
  await proxy.setMode('forward');
  const report = await withDeadline(flushed, 35_000, 'flush');
  const stored = new Set((await readStoredCalls(server.url, project)).map((c) => c.label));
  const missing = Array.from({ length: 20 }, (_, i) => `before-${i}`).filter((l) => !stored.has(l));
  console.log(
    `flush order: flush resolved with ${JSON.stringify(report)}; not yet on the server: ${missing}`,
  );
  assert.equal(report.timedOut, false);
  assert.ok(report.spooled <= 10, `${report.spooled} records still spooled: some were queued before flush()`);
  assert.deepEqual(missing, [], 'every call made before flush() is on the server when it resolves');
  await client.finish({ timeoutMs: 10_000 });
});
