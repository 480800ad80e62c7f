// Issue 4: 100 000 calls (20 000 traces of 5) through a proxy that faults 30 % of requests with a
// seeded random mix of 500, 503, 429 + Retry-After (seconds and HTTP date), 413, connection resets
// (before and after the server handled the request), stalls shorter and longer than the request
// timeout, and black holes. The server must end with every call exactly once, complete.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { init } from '../src/index.js';
import { flushUntilDelivered } from './fixtures/flush-until-delivered.js';
import { DEFAULT_MIX } from './helpers/fault-proxy.js';
import { quiet, startStack, withDeadline, type Stack } from './fixtures/fault-harness.js';
import { assertExactlyOnce, checkDelivery, summarize } from './fixtures/fault-verify.js';
import { CALLS_PER_TRACE, expectedLabels, runTraces, setEagerEvery } from './fixtures/fault-workload.js';

const TRACES = 20_000;
const PROJECT = 'fault/random';
const SEED = 4_2024;
const REQUEST_TIMEOUT_MS = 2000;

let stack: Stack;
before(async () => (stack = await startStack()));
after(() => stack.dispose());

test(`${TRACES * CALLS_PER_TRACE} calls with 30 % of requests faulted arrive exactly once`, async () => {
  const t0 = Date.now();
  const { proxy } = stack;
  proxy.randomFaults({
    seed: SEED,
    rate: 0.3,
    tooLargeMinBytes: 2048, // gzipped batches are small; a lone record (about 400 bytes) never gets a 413
    mix: [
      ...DEFAULT_MIX,
      { fault: { kind: 'stall', ms: REQUEST_TIMEOUT_MS + 500 }, weight: 0.5 }, // the client gives up first
      { fault: { kind: 'black-hole' }, weight: 0.5 },
    ],
  });
  const client = await init({
    project: PROJECT,
    serverUrl: proxy.url,
    spoolDir: stack.spoolDir,
    logger: quiet,
    // Defaults but for test time: batches of 200 (5x more requests, so more faults), short backoff,
    // a short request timeout (stalls and black holes cost that much); Retry-After (1 s) is still honoured.
    maxBatchSize: 200,
    retryBaseMs: 20,
    retryMaxMs: 1000,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
  });

  // 1 root in 100 is eager: its start and end are single-record requests, each faulted at 30 % too.
  setEagerEvery(100);
  const traces = await withDeadline(runTraces(0, TRACES, { concurrency: 8 }), 120_000, 'making the calls');
  const made = Date.now() - t0;
  // Faults may add up to an outage (a batch failing past the retry deadline): then a flush resolves
  // once the records are on disk, so flush until nothing waits in the spool.
  const report = await flushUntilDelivered(client, 150_000);
  const delivered = Date.now() - t0;
  assert.equal(report.timedOut, false, 'flush settled everything');
  const stats = client.stats();

  const expected = expectedLabels(traces);
  const r = await checkDelivery(stack.server.url, PROJECT, expected);
  console.log(
    `random faults: ${summarize(r)}\n` +
      `  made in ${made} ms, delivered in ${delivered} ms; proxy ${JSON.stringify(proxy.counts)}\n` +
      `  sdk requests ${stats.requests}, retries ${stats.retries}, sent ${stats.sent}, spilled ${stats.spilled}, ` +
      `truncated ${stats.truncated}, rejected ${stats.rejected}, dropped ${stats.dropped}, failed ${stats.failed}`,
  );
  assertExactlyOnce(r, Math.ceil(TRACES / 7));
  const kinds = ['status', 'retry-after', 'too-large', 'reset', 'reset-after-forward', 'stall'] as const;
  const faults = [...kinds, 'black-hole' as const].reduce((n, k) => n + proxy.counts[k], 0);
  assert.ok(faults > 0.2 * proxy.counts.requests, `about 30 % of requests faulted (${faults})`);
  for (const kind of kinds) {
    assert.ok(proxy.counts[kind] > 0, `the proxy injected '${kind}'`);
  }
  assert.equal(stats.dropped + stats.rejected + stats.failed, 0, 'nothing dropped, rejected or failed');
  await client.finish();
});
