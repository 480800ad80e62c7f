// A server that hangs: it accepts requests and never answers. The README: "A batch still failing
// after retryDeadlineMs means the server is unreachable": an attempt's timeout is capped at what is
// left of the deadline, so the outage (and the spill of the batches in flight) starts within it, not
// after the whole requestTimeoutMs. (Node 20's fetch hangs the same way on the first request to a
// server that accepts connections and resets them at once.)
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { init, op } from '../src/index.js';
import { pollUntil, quiet, startStack, type Stack } from './fixtures/fault-harness.js';

let stack: Stack;
before(async () => (stack = await startStack()));
after(() => stack.dispose());

const item = op(function item(label: string) {
  return label;
});

test('a black-holed server: the outage starts within retryDeadlineMs, not requestTimeoutMs', async () => {
  const { proxy } = stack;
  await proxy.setMode('black-hole');
  const client = await init({
    project: 'fault/hung',
    serverUrl: proxy.url,
    spoolDir: stack.spoolDir,
    logger: quiet,
    retryDeadlineMs: 1000,
    requestTimeoutMs: 6000,
  });
  const t0 = Date.now();
  for (let i = 0; i < 10; i++) item(`i${i}`);
  void client.flush({ timeoutMs: 1 });
  try {
    await pollUntil(() => client.stats().spilled > 0, 3000, 'the records to be spooled (outage)');
    console.log(`hung server: outage after ${Date.now() - t0} ms`);
    assert.equal(client.stats().spilled, 10);
  } finally {
    await proxy.setMode('forward');
    await client.finish({ timeoutMs: 20_000 });
  }
});
