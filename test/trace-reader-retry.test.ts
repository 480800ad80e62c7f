import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { init, op, TransportError, type WeftClient } from '../src/index.js';
import { FaultProxy } from './helpers/fault-proxy.js';
import { WeftServer } from './helpers/weft-server.js';

/**
 * The SDK's read API (`getCall`, `getCalls`) against a real `weft serve` behind a fault-injecting proxy:
 * reads are retried on transient answers (the same rule as the write pipeline's), writes are not.
 */
let server: WeftServer;
let proxy: FaultProxy;
let writer: WeftClient;
let reader: WeftClient;
let callId = '';
const quiet = { warn: () => {} };

before(async () => {
  server = await new WeftServer().start();
  proxy = await new FaultProxy(server.url).start();
  writer = await init({ project: 'acme/reads', serverUrl: server.url, logger: quiet, spoolDir: false });
  const traced = op(function answer(q: string) {
    return `a:${q}`;
  });
  traced('x');
  await writer.flush();
  for await (const c of writer.getCalls()) callId = c.id;
  reader = await init({ project: 'acme/reads', serverUrl: proxy.url, logger: quiet, spoolDir: false });
});

after(async () => {
  await writer?.finish();
  await reader?.finish();
  await proxy?.close();
  await server?.dispose();
});

test('getCall and getCalls retry a 503 and a 429 with Retry-After, then answer', async () => {
  proxy.schedule({ kind: 'status', status: 503 }, { kind: 'retry-after', seconds: 0, form: 'seconds' });
  const call = await reader.getCall(callId);
  assert.equal(call?.id, callId);
  proxy.schedule({ kind: 'status', status: 502 });
  const ids: string[] = [];
  for await (const c of reader.getCalls()) ids.push(c.id);
  assert.deepEqual(ids, [callId]);
});

test('a read gives up after its retries with a TransportError saying why', async () => {
  proxy.schedule(
    { kind: 'status', status: 503 },
    { kind: 'status', status: 503 },
    { kind: 'status', status: 503 },
  );
  await assert.rejects(
    reader.getCall(callId),
    (err: unknown) => err instanceof TransportError && err.status === 503 && err.retryable,
  );
});

test('a write (delete) is sent once, even on a 503', async () => {
  const before = proxy.counts.requests;
  proxy.schedule({ kind: 'status', status: 503 });
  await assert.rejects(reader.deleteCalls([callId]), (err: unknown) => err instanceof TransportError);
  assert.equal(proxy.counts.requests - before, 1, 'the delete was sent once');
  assert.equal((await reader.getCall(callId))?.id, callId, 'nothing was deleted');
});
