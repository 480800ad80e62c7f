// Issue 4: the server's refusals. A 413 on a lone huge record (the proxy refuses bodies over 1 MiB,
// decompressed) gets it truncated with a visible marker; a 400 on one record of a batch is isolated by
// halving: the rest arrive, the one goes to the dead-letter file with the server's message. And
// 429 + Retry-After is honoured in both of its forms.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { init, op } from '../src/index.js';
import { findFiles, quiet, startStack, withDeadline, type Stack } from './fixtures/fault-harness.js';
import { assertExactlyOnce, checkDelivery, readStoredCalls, summarize } from './fixtures/fault-verify.js';
import { expectedLabels, range, runTraces } from './fixtures/fault-workload.js';

const MiB = 1024 * 1024;
let stack: Stack;
before(async () => (stack = await startStack()));
after(() => stack.dispose());

const ingest = op(async function ingest(label: string, document: string) {
  return { label, chars: document.length };
});

test('413 on a lone 5 MB record: it arrives truncated with the marker, the rest intact', async () => {
  const project = 'fault/too-large';
  const { proxy, server } = stack;
  let refused = 0;
  proxy.addRule((req) => {
    if (!req.path.includes('/fault/too-large/') || req.text().length <= MiB) return undefined;
    refused++;
    return { kind: 'too-large' };
  });
  const client = await init({
    project,
    serverUrl: proxy.url,
    spoolDir: stack.spoolDir,
    logger: quiet,
    serialize: { maxStringLength: 10 * MiB },
  });
  await runTraces(0, 100, { concurrency: 4 });
  const big = 'lorem ipsum '.repeat((5 * MiB) / 12);
  await ingest('huge', big);
  await runTraces(100, 200, { concurrency: 4 });
  const report = await withDeadline(client.flush({ timeoutMs: 30_000 }), 35_000, 'flush');
  assert.equal(report.timedOut, false);

  const r = await checkDelivery(server.url, project, new Set([...expectedLabels(range(0, 200)), 'huge']));
  console.log(`413: ${summarize(r)}; the proxy refused ${refused} bodies over 1 MiB`);
  assertExactlyOnce(r);
  const [stored] = (await readStoredCalls(server.url, project)).filter((c) => c.label === 'huge');
  assert.match(
    String(stored?.inputs?.document),
    /^\[weft: inputs\.document truncated: \d+ bytes exceeded the server's request size limit\]$/,
  );
  assert.ok(refused >= 2, 'the batch, then the lone record, were refused');
  assert.equal(client.stats().truncated, 1);
  assert.equal(client.stats().rejected, 0);
});

test('400 on one record of a batch: the rest arrive, it goes to the dead-letter file', async () => {
  const project = 'fault/poison';
  const { proxy, server } = stack;
  let refused = 0;
  proxy.addRule((req) => {
    if (!req.path.includes('/fault/poison/') || !req.text().includes('POISON')) return undefined;
    refused++;
    return { kind: 'status', status: 400, message: 'batch[0].inputs: POISON is not allowed here' };
  });
  const client = await init({ project, serverUrl: proxy.url, spoolDir: stack.spoolDir, logger: quiet });
  await runTraces(0, 100, { concurrency: 4 });
  await ingest('POISON', 'tainted');
  await runTraces(100, 200, { concurrency: 4 });
  const report = await withDeadline(client.flush({ timeoutMs: 30_000 }), 35_000, 'flush');
  assert.equal(report.timedOut, false);
  assert.equal(report.undeliverable, 1, 'flush reports the rejected record');

  const r = await checkDelivery(server.url, project, expectedLabels(range(0, 200)));
  console.log(`400: ${summarize(r)}; the proxy refused ${refused} requests holding the poisoned record`);
  assertExactlyOnce(r);
  assert.ok(refused >= 2, 'halving isolated the record');
  assert.equal(client.stats().rejected, 1);
  const files = findFiles(stack.spoolDir, /^dead-letter\.ndjson$/).filter((f) => f.includes('poison'));
  assert.equal(files.length, 1, 'one dead-letter file');
  const lines = readFileSync(files[0]!, 'utf8').trim().split('\n');
  assert.equal(lines.length, 1);
  const dead = JSON.parse(lines[0]!) as {
    status: number;
    message: string;
    kind: string;
    record: { inputs: { label: string } };
  };
  assert.equal(dead.status, 400);
  assert.equal(dead.kind, 'complete');
  assert.match(dead.message, /POISON is not allowed here/, "the server's message");
  assert.equal(dead.record.inputs.label, 'POISON');
});

test('429 with Retry-After, in seconds and as an HTTP date, is honoured', async () => {
  const project = 'fault/retry-after';
  const { proxy, server } = stack;
  proxy.schedule(
    { kind: 'retry-after', seconds: 2, form: 'seconds' },
    { kind: 'retry-after', seconds: 3, form: 'date' }, // 1 s resolution: 2 to 3 s from now
  );
  // Without Retry-After the next attempt would come within 10 ms.
  const client = await init({
    project,
    serverUrl: proxy.url,
    spoolDir: stack.spoolDir,
    logger: quiet,
    retryBaseMs: 10,
  });
  const labels = Array.from({ length: 10 }, (_, i) => `r${i}`);
  for (const label of labels) await ingest(label, 'short'); // ten complete records: one request
  const report = await withDeadline(client.flush({ timeoutMs: 20_000 }), 25_000, 'flush');
  assert.equal(report.timedOut, false);
  assertExactlyOnce(await checkDelivery(server.url, project, new Set(labels)));
  const attempts = proxy.arrivals.filter((a) => a.path.includes('/fault/retry-after/'));
  assert.deepEqual(
    attempts.map((a) => a.fault),
    ['retry-after', 'retry-after', undefined],
  );
  const [a0, a1, a2] = attempts.map((a) => a.at) as [number, number, number];
  console.log(`retry-after: attempts ${a1 - a0} ms and ${a2 - a1} ms apart`);
  assert.ok(a1 - a0 >= 1950, `Retry-After: 2 waited ${a1 - a0} ms`);
  assert.ok(a2 - a1 >= 1500, `Retry-After: <date> waited ${a2 - a1} ms`);
  assert.equal(client.stats().retries, 2);
});
