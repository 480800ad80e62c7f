import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Receiver } from '../../test/helpers/receiver.js';
import { getCurrentCall, withAttributes } from './call-context.js';
import type { WeftClient } from './client.js';
import { init } from './init.js';
import { ManualCall } from './manual-call.js';
import { op } from './op.js';

type Rec = Record<string, unknown>;
let r: Receiver;
let client: WeftClient;
before(async () => {
  r = await new Receiver().start();
  client = await init({
    project: 'acme/manual',
    serverUrl: r.url,
    batchIntervalMs: 600_000,
    logger: { warn: () => {} },
  });
});
after(async () => {
  await client.finish();
  await r.close();
});
beforeEach(() => {
  r.completes.length = r.starts.length = r.ends.length = 0;
});

describe('ManualCall: calls started and ended imperatively', () => {
  test('start + end records one complete call with the inputs and output given', async () => {
    const call = ManualCall.start({
      opName: 'manual',
      inputs: { a: 1, when: new Date(0) },
      displayName: 'Manual',
    });
    assert.ok(call.handle?.id);
    call.end({ ok: true });
    call.end('ignored: a call ends once');
    call.fail(new Error('ignored too'));
    assert.equal(call.ended, true);
    await client.flush();
    assert.equal(r.completes.length, 1);
    const c = r.completes[0]!;
    assert.equal(c.op_name, 'manual');
    assert.equal(c.display_name, 'Manual');
    assert.deepEqual(c.inputs, { a: 1, when: '1970-01-01T00:00:00.000Z' });
    assert.deepEqual(c.output, { ok: true });
    assert.equal(c.parent_id, null);
    assert.deepEqual(c.summary, { status_counts: { success: 1, error: 0 } });
  });

  test('an eager call sends its start at once and its end alone', async () => {
    const call = ManualCall.start({ opName: 'eager', eagerCallStart: true });
    const report = await client.flush();
    assert.equal(report.pendingCalls, 0);
    assert.equal(r.starts.length, 1);
    assert.equal((r.starts[0] as Rec).id, call.handle!.id);
    call.fail(new TypeError('boom'));
    await client.flush();
    assert.equal(r.ends.length, 1);
    assert.match(String(r.ends[0]!.exception), /^TypeError: boom/);
    assert.deepEqual(r.ends[0]!.summary, { status_counts: { success: 0, error: 1 } });
  });

  test('children: explicit parents, ops run inside run(), attributes and summaries follow', async () => {
    const leaf = op(function leaf(x: number) {
      return getCurrentCall()?.opName === 'leaf' ? x : -1;
    });
    const root = withAttributes({ env: 'test' }, () => ManualCall.start({ opName: 'root' }));
    const child = ManualCall.start({ opName: 'child', parent: root });
    assert.equal(
      child.run(() => leaf(2)),
      2,
    );
    assert.equal(
      child.run(() => getCurrentCall()?.id),
      child.handle!.id,
    );
    assert.equal(getCurrentCall(), undefined);
    child.end('c');
    root.end('r');
    await client.flush();
    const byName = (n: string) => r.completes.find((c) => c.op_name === n)!;
    assert.equal(byName('child').parent_id, root.handle!.id);
    assert.equal(byName('leaf').parent_id, child.handle!.id);
    assert.equal(byName('leaf').trace_id, root.handle!.traceId);
    for (const n of ['root', 'child', 'leaf']) assert.deepEqual(byName(n).attributes, { env: 'test' });
    assert.deepEqual(byName('root').summary, { status_counts: { success: 3, error: 0 } });
  });

  test('without a parent it nests under the call running in this async context', async () => {
    const outer = op(async function outer() {
      const inner = ManualCall.start({ opName: 'inner' });
      inner.end(1);
      return inner.handle!.id;
    });
    const innerId = await outer();
    await client.flush();
    const inner = r.completes.find((c) => c.id === innerId)!;
    const outerCall = r.completes.find((c) => c.op_name === 'outer')!;
    assert.equal(inner.parent_id, outerCall.id);
  });

  test('a noop call records nothing, nor do its children', async () => {
    const noop = ManualCall.noop();
    assert.equal(noop.handle, undefined);
    const child = ManualCall.start({ opName: 'child', parent: noop });
    assert.equal(child.handle, undefined);
    assert.equal(
      child.run(() => 5),
      5,
    );
    child.end();
    noop.end();
    await client.flush();
    assert.equal(r.completes.length + r.starts.length + r.ends.length, 0);
  });
});
