import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { after, before, test } from 'node:test';
import { Receiver } from '../../test/helpers/receiver.js';
import type { WeftClient } from './client.js';
import { activeClient, liveClientCount } from './client-registry.js';
import { init } from './init.js';
import { op } from './op.js';

const quiet = { warn: () => {} };
const API_KEY = 'sk-weft-test-secret-0123456789';

let r: Receiver;
before(async () => (r = await new Receiver().start()));
after(() => r.close());

const traced = op(function traced(x: number) {
  return x + 1;
});

test('close() finishes the client and ends its registration: the live-clients set shrinks back', async () => {
  const before = liveClientCount();
  const client = await init({
    project: 'acme/close',
    serverUrl: r.url,
    batchIntervalMs: 600_000,
    logger: quiet,
  });
  assert.equal(liveClientCount(), before + 1);
  traced(1);
  const report = await client.close();
  assert.equal(report.accepted, 1, 'close() sent what was queued');
  assert.equal(r.completes.filter((c) => c.op_name === 'traced').length, 1);
  assert.equal(liveClientCount(), before, 'the exit hooks let go of it');
  assert.equal(activeClient(), undefined, 'op records to no client until the next init()');

  traced(2); // runs untraced
  assert.equal(
    client.stats().queuedItems + client.stats().pendingCalls,
    0,
    'the closed client records nothing',
  );
  await client.flush();
  assert.equal(r.completes.filter((c) => c.op_name === 'traced').length, 1);
});

test('clients created and closed in a loop do not accumulate', async () => {
  const before = liveClientCount();
  for (let i = 0; i < 50; i++) {
    const client = await init({ project: 'acme/loop', serverUrl: r.url, logger: quiet });
    traced(i);
    await client.close();
  }
  assert.equal(liveClientCount(), before);
  assert.equal(r.completes.filter((c) => (c.inputs as { x?: number }).x === 49).length, 1);
});

test('closing a client that is not the active one leaves the active one recording', async () => {
  const older = await init({
    project: 'acme/older',
    serverUrl: r.url,
    batchIntervalMs: 600_000,
    logger: quiet,
  });
  const newer = await init({
    project: 'acme/newer',
    serverUrl: r.url,
    batchIntervalMs: 600_000,
    logger: quiet,
  });
  await older.close();
  traced(7);
  assert.equal(newer.stats().queuedItems, 1);
  await newer.close();
});

test('the client exposes neither its options (API key included) nor its internals', async () => {
  const client = await init({
    project: 'acme/private',
    serverUrl: r.url,
    apiKey: API_KEY,
    logger: quiet,
  });
  try {
    for (const name of [
      'options',
      'recorder',
      'spillOnExit',
      'finishOnExit',
      'recover',
      'reportInternalError',
    ]) {
      assert.equal(name in client, false, `client.${name}`);
    }
    assert.deepEqual(Object.keys(client).sort(), ['projectId', 'serverUrl']);
    assert.equal(JSON.stringify(client).includes(API_KEY), false);
    assert.equal(inspect(client, { depth: Infinity, showHidden: true }).includes(API_KEY), false);
  } finally {
    await client.close();
  }
});

/** Compile-time: the internals are not on the public type (the build fails if one becomes public). */
export function internalsAreNotPublic(client: WeftClient): void {
  // @ts-expect-error private
  void client.options;
  // @ts-expect-error internal
  void client.recorder;
  // @ts-expect-error internal
  void client.spillOnExit;
  // @ts-expect-error internal
  void client.finishOnExit;
}
