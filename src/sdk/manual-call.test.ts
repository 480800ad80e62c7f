import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Receiver } from '../../test/helpers/receiver.js';
import { getCurrentCall, withAttributes } from './call-context.js';
import type { WeftClient } from './client.js';
import { init } from './init.js';
import { ManualCall } from './manual-call.js';
import { nowMicros } from '../shared/time.js';
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

  test('an end with its own output is written on a later turn; the parent has its counts and usage at once', async () => {
    const output = { model: 'm', text: 'streamed' };
    let childId = '';
    const parent = op(function parentOp() {
      const child = ManualCall.start({ opName: 'streamed', ownUsage: true });
      child.handle!.addUsage('m', { total_tokens: 7 });
      child.endLater(output, true);
      childId = child.handle!.id;
      assert.equal(client.isIdle(), false, 'the end record is still to be written');
      return 'done'; // the parent ends before the child's record is written
    });
    // The SDK's clock (monotonic from a wall-clock origin): Date.now() drifts from it on this VM.
    const endedBefore = nowMicros() / 1000;
    assert.equal(parent(), 'done');
    const report = await client.flush(); // writes the waiting end first
    assert.equal(report.pendingCalls, 0);
    const child = r.completes.find((c) => c.id === childId)!;
    const parentCall = r.completes.find((c) => c.op_name === 'parentOp')!;
    assert.deepEqual(child.output, output);
    assert.ok(Date.parse(String(child.ended_at)) <= nowMicros() / 1000);
    assert.ok(Date.parse(String(child.ended_at)) >= endedBefore - 1);
    assert.deepEqual(parentCall.summary, {
      status_counts: { success: 2, error: 0 },
      usage: { m: { total_tokens: 7 } },
    });
  });

  test('waiting ends are written on the next turn without a flush, and never more than a bounded number wait', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 200; i++) {
      const c = ManualCall.start({ opName: 'burst' });
      c.endLater(i, true);
      ids.push(c.handle!.id);
    }
    const waiting = client.stats().pendingCalls;
    assert.ok(waiting > 0 && waiting < 64, `between 1 and 63 ends wait in a burst, ${waiting} did`);
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.equal(client.stats().pendingCalls, 0, 'written on the next turn');
    await client.flush();
    assert.deepEqual(
      r.completes.filter((c) => c.op_name === 'burst').map((c) => c.output),
      ids.map((_, i) => i),
    );
  });

  test('usage under a model or counter named like an Object.prototype member is a key, not a prototype', async () => {
    const call = ManualCall.start({ opName: 'odd-model', ownUsage: true });
    for (const model of ['__proto__', 'constructor', 'toString']) {
      call.handle!.addUsage(model, { total_tokens: 2, __proto__x: 1 });
      call.handle!.addUsage(
        model,
        JSON.parse('{"__proto__": 3, "constructor": 4}') as Record<string, number>,
      );
    }
    call.end(null);
    assert.equal(({} as Record<string, unknown>).total_tokens, undefined, 'Object.prototype untouched');
    assert.equal((Object as unknown as Record<string, unknown>).total_tokens, undefined);
    await client.flush();
    const c = r.completes.find((x) => x.op_name === 'odd-model')!;
    const usage = (c.summary as { usage: Record<string, Record<string, number>> }).usage;
    for (const model of ['__proto__', 'constructor', 'toString']) {
      assert.ok(Object.prototype.hasOwnProperty.call(usage, model), model);
      const got = usage[model]!;
      assert.equal(got.total_tokens, 2, model);
      assert.equal(got.constructor, 4, model);
      assert.equal(Object.getOwnPropertyDescriptor(got, '__proto__')?.value, 3, model);
    }
  });

  test('an end written later records the output as it was at the end, not as the caller changed it', async () => {
    const response = { model: 'm', choices: [{ message: { content: 'as returned' } }] };
    const call = ManualCall.start({ opName: 'json-later', ownUsage: true });
    call.endLater(response, false);
    response.choices[0]!.message.content = 'changed by the caller';
    response.choices.push({ message: { content: 'added' } });
    await client.flush();
    const c = r.completes.find((x) => x.op_name === 'json-later')!;
    assert.deepEqual(c.output, { model: 'm', choices: [{ message: { content: 'as returned' } }] });
  });
});
