// Issue 13: what flush() waits for during an outage. The trace server is stopped (the SDK talks to a
// fixed proxy URL, which then gets ECONNREFUSED and resets the SDK's connections, as a dead server
// would). A flush covering records the server cannot take resolves once they are safely in the disk
// spool (past `retryDeadlineMs`), not at its timeout, and its report says so (`spooled`); once the
// server is started again the spool drains and every call arrives exactly once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { init } from '../src/index.js';
import { spoolInventory } from '../src/pipeline/spool/spool-inventory.js';
import { pollUntil, quiet, startStack, type Stack } from './fixtures/fault-harness.js';
import { assertExactlyOnce, checkDelivery, summarize } from './fixtures/fault-verify.js';
import { CALLS_PER_TRACE, expectedLabels, isEagerTrace, runTraces } from './fixtures/fault-workload.js';

const PROJECT = 'fault/outage-flush';
const FLUSH_TIMEOUT_MS = 60_000;

/** Records the traces send: one complete record per call, and an eager root's start and end apart. */
function recordsOf(traces: number[]): number {
  return traces.reduce((n, t) => n + CALLS_PER_TRACE + (isEagerTrace(t) ? 1 : 0), 0);
}

let stack: Stack;
before(async () => (stack = await startStack()));
after(() => stack.dispose());

test('flush() during an outage resolves once its records are on disk, not at its timeout; after the restart they arrive once', async () => {
  const { server, proxy } = stack;
  const client = await init({
    project: PROJECT,
    serverUrl: proxy.url,
    spoolDir: stack.spoolDir,
    logger: quiet,
    batchIntervalMs: 600_000, // only flush() sends
    retryDeadlineMs: 500,
    retryBaseMs: 20,
    retryMaxMs: 200,
  });
  try {
    const first = await runTraces(0, 20, { concurrency: 4 });
    const up = await client.flush({ timeoutMs: FLUSH_TIMEOUT_MS });
    assert.deepEqual(
      { ...up, pendingCalls: 0 },
      { accepted: recordsOf(first), spooled: 0, undeliverable: 0, pendingCalls: 0, timedOut: false },
    );

    await server.stop();
    const during = await runTraces(20, 60, { concurrency: 4 });
    const t0 = Date.now();
    const down = await client.flush({ timeoutMs: FLUSH_TIMEOUT_MS });
    const downMs = Date.now() - t0;
    console.log(`outage flush: resolved in ${downMs} ms with ${JSON.stringify(down)}`);
    assert.equal(down.timedOut, false, 'resolved once the records were on disk, not at its timeout');
    assert.ok(downMs < FLUSH_TIMEOUT_MS / 2, `the flush took ${downMs} ms`);
    assert.equal(down.spooled, recordsOf(during), 'every record it covers waits in the spool');
    assert.equal(down.accepted + down.undeliverable, 0);
    const onDisk = spoolInventory(stack.spoolDir).find((e) => e.projectId === PROJECT);
    assert.equal(onDisk?.records, recordsOf(during), 'the spool files hold them');

    // While the outage lasts new records go straight to the spool: the next flush has nothing to wait for.
    const later = await runTraces(60, 70, { concurrency: 2 });
    const again = await client.flush({ timeoutMs: FLUSH_TIMEOUT_MS });
    assert.equal(again.timedOut, false);
    assert.equal(again.spooled, recordsOf([...during, ...later]));
    assert.equal(client.stats().inFlightItems + client.stats().queuedItems, 0);

    await server.start();
    proxy.setUpstream(server.url);
    await pollUntil(() => client.stats().spooledItems === 0, 60_000, 'the spool to drain after the restart');
    const drained = await client.flush({ timeoutMs: FLUSH_TIMEOUT_MS });
    assert.equal(drained.timedOut, false);
    assert.equal(drained.spooled, 0);

    const r = await checkDelivery(server.url, PROJECT, expectedLabels([...first, ...during, ...later]));
    console.log(`outage flush: ${summarize(r)}; proxy ${JSON.stringify(proxy.counts)}`);
    assertExactlyOnce(r);
    const stats = client.stats();
    assert.equal(stats.dropped + stats.failed + stats.rejected, 0);
  } finally {
    await client.close({ timeoutMs: 10_000 });
  }
});
