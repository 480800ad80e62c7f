// Issue 4: the trace server is stopped for 30 s in the middle of a run, then started again on the same
// database, while the app keeps making calls (about 1 000 a second). The SDK talks to a fixed proxy
// URL; with the server gone the proxy gets ECONNREFUSED and resets the SDK's connections, as a dead
// server would. Past the retry deadline (default 10 s) the SDK spools to disk; once the server is
// back everything must arrive exactly once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { init } from '../src/index.js';
import { pollUntil, quiet, startStack, withDeadline, type Stack } from './fixtures/fault-harness.js';
import { assertExactlyOnce, checkDelivery, summarize } from './fixtures/fault-verify.js';
import { expectedLabels, runTraces } from './fixtures/fault-workload.js';

const PROJECT = 'fault/outage';
const OUTAGE_MS = 30_000;

let stack: Stack;
before(async () => (stack = await startStack()));
after(() => stack.dispose());

test('a 30 s server outage mid-run: calls made before, during and after all arrive once', async () => {
  const { server, proxy } = stack;
  const client = await init({
    project: PROJECT,
    serverUrl: proxy.url,
    spoolDir: stack.spoolDir,
    logger: quiet,
    // Defaults (retryDeadlineMs 10 s, retryBaseMs 200 ms...) but the longest backoff, so that the
    // probe notices the server's return within 2 s rather than 10 s.
    retryMaxMs: 2000,
  });
  let stop = false;
  const workload = runTraces(0, Number.MAX_SAFE_INTEGER, { concurrency: 4, paceMs: 20, stop: () => stop });
  try {
    await pollUntil(() => client.stats().sent >= 5000, 30_000, '5 000 calls delivered before the outage');

    const stopping = Date.now();
    await server.stop();
    const down = Date.now();
    const sentBefore = client.stats().sent;
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS)); // the fault schedule: 30 s down
    const during = client.stats();
    assert.ok(proxy.counts['upstream-error'] > 0, 'the SDK hit the dead server');
    assert.ok(during.spilled > 0, 'past the retry deadline records went to the disk spool');
    assert.ok(during.spooledItems > 0, 'records wait in the spool during the outage');

    await server.start();
    proxy.setUpstream(server.url);
    const up = Date.now();
    await pollUntil(() => client.stats().spooledItems === 0, 60_000, 'the spool to drain');
    const drained = Date.now();
    const sentAfterDrain = client.stats().sent;
    await pollUntil(() => client.stats().sent >= sentAfterDrain + 2000, 30_000, 'calls after the outage');
    stop = true;
    const traces = await withDeadline(workload, 10_000, 'the workload to stop');
    const report = await client.flush({ timeoutMs: 60_000 });
    assert.equal(report.timedOut, false);
    const stats = client.stats();

    const r = await checkDelivery(server.url, PROJECT, expectedLabels(traces));
    console.log(
      `outage: ${summarize(r)}\n` +
        `  server stopped in ${down - stopping} ms, down ${up - down} ms (sent before ${sentBefore}, spilled ${during.spilled}, waiting in spool ` +
        `${during.spooledItems}), spool drained ${drained - up} ms after restart\n` +
        `  proxy ${JSON.stringify(proxy.counts)}; sdk requests ${stats.requests}, retries ${stats.retries}, ` +
        `dropped ${stats.dropped}, failed ${stats.failed}`,
    );
    assertExactlyOnce(r);
    assert.equal(stats.dropped + stats.failed + stats.rejected, 0);
  } finally {
    stop = true;
    await workload.catch(() => []);
    await client.finish({ timeoutMs: 5000 });
  }
});
