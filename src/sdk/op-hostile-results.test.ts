import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { Receiver } from '../../test/helpers/receiver.js';
import type { WeftClient } from './client.js';
import { init } from './init.js';
import { op } from './op.js';

/**
 * Values a traced function returns or receives that fight inspection: tracing records them without
 * throwing into user code, without leaving the call running, and without calling what the user did
 * not call (a custom thenable's `then`).
 */
let r: Receiver;
let client: WeftClient;
const quiet = { warn: () => {} };
before(async () => {
  r = await new Receiver().start();
  client = await init({ project: 'acme/hostile', serverUrl: r.url, batchIntervalMs: 600_000, logger: quiet });
});
after(async () => {
  await client.finish({ pairingTimeoutMs: 0 });
  await r.close();
});
beforeEach(() => {
  r.completes.length = r.starts.length = r.ends.length = 0;
});

async function onlyCall(): Promise<Record<string, unknown>> {
  const report = await client.flush();
  assert.equal(client.stats().pendingCalls, 0, 'no call left running');
  assert.equal(r.completes.length, 1, `one complete record (report ${JSON.stringify(report)})`);
  return r.completes[0]!;
}

const throwingTraps: ProxyHandler<object> = {
  get: () => {
    throw new Error('get trap');
  },
  getPrototypeOf: () => {
    throw new Error('getPrototypeOf trap');
  },
  has: () => {
    throw new Error('has trap');
  },
  ownKeys: () => {
    throw new Error('ownKeys trap');
  },
  getOwnPropertyDescriptor: () => {
    throw new Error('getOwnPropertyDescriptor trap');
  },
};

test('an op returning a revoked Proxy returns it untouched and its call ends', async () => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  const f = op(function revoked() {
    return proxy;
  });
  assert.equal(f(), proxy);
  const call = await onlyCall();
  assert.equal(call.op_name, 'revoked');
  assert.equal(call.exception, null);
});

test('an async op returning a Proxy whose traps throw rejects exactly as it would untraced', async () => {
  const hostile = new Proxy({}, throwingTraps);
  async function untraced(_x: unknown) {
    return hostile; // resolving reads `then`: the get trap throws, so the promise rejects
  }
  const traced = op(async function trapped(_x: unknown) {
    return hostile;
  });
  const expected = await untraced(hostile).then(
    () => 'resolved',
    (e: unknown) => (e as Error).message,
  );
  const actual = await traced(hostile).then(
    () => 'resolved',
    (e: unknown) => (e as Error).message,
  );
  assert.equal(actual, expected);
  const call = await onlyCall();
  assert.equal(call.op_name, 'trapped');
  assert.match(String(call.exception), /get trap/);
});

test('a sync op returning a Proxy whose traps all throw, with one as its argument', async () => {
  const hostile = new Proxy({}, throwingTraps);
  const f = op(function both(x: unknown) {
    return x;
  });
  assert.equal(f(hostile), hostile);
  const call = await onlyCall();
  assert.equal(call.op_name, 'both');
});

test('an op throwing a revoked Proxy rethrows that very value and records the failure', async () => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  const f = op(function throwsProxy() {
    throw proxy;
  });
  assert.throws(f, (e: unknown) => e === proxy);
  const call = await onlyCall();
  assert.notEqual(call.exception, null);
});

test('a custom thenable (a query builder) is returned as a value: its then runs once, when the user awaits', async () => {
  let runs = 0;
  const query = {
    table: 'users',
    then(resolve: (rows: string[]) => void) {
      runs++; // a query builder runs its query here
      resolve(['ada']);
    },
  };
  const build = op(function select() {
    return query;
  });
  const returned = build();
  assert.equal(returned, query);
  assert.equal(runs, 0, 'tracing did not run the query');
  const rows = await returned;
  assert.deepEqual(rows, ['ada']);
  assert.equal(runs, 1, 'the query ran once');
  const call = await onlyCall();
  assert.equal(call.op_name, 'select');
  assert.deepEqual((call.output as { table: string }).table, 'users');
});

test('a Promise subclass is still traced to its settlement', async () => {
  class Query extends Promise<number> {}
  const f = op(function sub() {
    return Query.resolve(7);
  });
  assert.equal(await f(), 7);
  const call = await onlyCall();
  assert.equal(call.output, 7);
});
