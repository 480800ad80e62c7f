// Found by the fault suite (issue 4; fixed): flush() must account for every record queued before it,
// also when an outage spools records out of sequence order. Two batches in flight, A (seq 1-10) and
// B (11-20), fail past the retry deadline one after the other; between the two, the outage spills the
// queue (21-30, queued after the flush). The spool then holds A, the queue, B. The bug was that
// Spool.oldestSeq() answered the seq of the oldest *line* (21 once A was sent) although B's 11-20
// still waited; the fix is the minimum over the remaining runs (SeqRuns.min(), unit-tested in
// spool.test.ts with SeqRuns.countUpTo()). Issue 13: during an outage a flush resolves once what it
// covers is safely on disk, so here the flush must resolve only once B too is spooled (not while B is
// still being retried), say that exactly its 20 records wait in the spool, and, once the server is
// back, a second flush must wait until all of them are stored, each once.
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

test('flush() during an outage covers records spooled out of order, then waits for them once the server is back', async () => {
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
  try {
    for (let i = 0; i < 20; i++) item(`before-${i}`); // two full batches: both go in flight
    const flushed = client.flush({ timeoutMs: 30_000 });
    for (let i = 0; i < 10; i++) item(`after-${i}`); // queued: the in-flight slots are taken
    const report = await withDeadline(flushed, 35_000, 'flush during the outage');
    const stats = client.stats();
    console.log(`flush order: during the outage flush resolved with ${JSON.stringify(report)}`);
    assert.equal(report.timedOut, false, 'resolved once on disk, not at its timeout');
    assert.equal(stats.inFlightItems, 0, 'not while batch B was still being retried');
    assert.equal(report.spooled, 20, 'exactly the 20 records it covers wait in the spool');
    assert.equal(report.accepted + report.undeliverable, 0);
    assert.equal(stats.spooledItems, 30, 'the queue (after flush()) went to the spool as well');

    await proxy.setMode('forward');
    // Until a probe gets through the client still sees an outage (and a flush would resolve at once).
    await pollUntil(() => client.stats().spooledItems < 30, 15_000, 'a probe to reach the server');
    const second = await withDeadline(client.flush({ timeoutMs: 30_000 }), 35_000, 'flush after the outage');
    assert.equal(second.timedOut, false);
    assert.equal(second.spooled, 0);
    const stored = (await readStoredCalls(server.url, project)).map((c) => c.label).sort();
    const expected = [
      ...Array.from({ length: 20 }, (_, i) => `before-${i}`),
      ...Array.from({ length: 10 }, (_, i) => `after-${i}`),
    ].sort();
    assert.deepEqual(
      stored,
      expected,
      'every record on the server, each once, when the second flush resolves',
    );
  } finally {
    await proxy.setMode('forward');
    await client.finish({ timeoutMs: 10_000 });
  }
});
