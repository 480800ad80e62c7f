import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Receiver } from '../../test/helpers/receiver.js';
import { getCurrentCall, withAttributes, withThread } from './call-context.js';
import type { WeftClient } from './client.js';
import { init } from './init.js';
import { op } from './op.js';

const quiet = { warn: () => {} };
type Rec = Record<string, unknown>;

let r: Receiver;
let client: WeftClient;
before(async () => {
  r = await new Receiver().start();
  client = await init({ project: 'acme/ops', serverUrl: r.url, batchIntervalMs: 600_000, logger: quiet });
});
after(() => r.close());
beforeEach(() => {
  r.completes.length = r.starts.length = r.ends.length = 0;
});

async function sent(): Promise<Rec[]> {
  await client.flush();
  return r.completes;
}
const byName = (calls: Rec[], name: string): Rec => {
  const c = calls.find((x) => x.op_name === name);
  assert.ok(c, `no call named ${name}`);
  return c;
};

describe('op() keeps the nature of the wrapped function', () => {
  test('a sync function stays sync and returns the same value', async () => {
    const add = op(function add(a: number, b: number) {
      return a + b;
    });
    const result = add(2, 3);
    assert.equal(result, 5); // not a Promise
    const [call] = await sent();
    assert.equal(call!.op_name, 'add');
    assert.deepEqual(call!.inputs, { a: 2, b: 3 });
    assert.equal(call!.output, 5);
    assert.equal(call!.exception, null);
    assert.equal(call!.parent_id, null);
    assert.match(String(call!.id), /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.match(String(call!.started_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.deepEqual(call!.summary, { status_counts: { success: 1, error: 0 } });
    assert.equal(add.opName, 'add');
    assert.equal(add.name, 'add');
    assert.equal(add.length, 2);
  });

  test('an async function resolves to the same value; a rejection propagates unchanged', async () => {
    const value = { deep: [1, 2] };
    const get = op(async function get() {
      await null;
      return value;
    });
    assert.equal(await get(), value);
    const err = new RangeError('nope');
    const fail = op(async function fail(_x: unknown) {
      throw err;
    });
    await assert.rejects(fail(1), (e) => e === err);
    const calls = await sent();
    assert.match(String(byName(calls, 'fail').exception), /^RangeError: nope/);
    assert.deepEqual(byName(calls, 'fail').summary, { status_counts: { success: 0, error: 1 } });
  });

  test('a sync throw propagates the same object', async () => {
    const thrown = { weird: true };
    const f = op(function f() {
      throw thrown;
    });
    assert.throws(
      () => f(),
      (e) => e === thrown,
    );
    assert.equal(byName(await sent(), 'f').exception, '{"weird":true}');
  });

  test('this is preserved for methods', async () => {
    class Model {
      prefix = 'answer: ';
      predict = op(function predict(this: Model, q: string) {
        return this.prefix + q;
      });
    }
    assert.equal(new Model().predict('x'), 'answer: x');
    assert.equal(byName(await sent(), 'predict').output, 'answer: x');
  });

  test('a Promise subclass or a promise with extra methods is returned as is', async () => {
    class APIPromise<T> extends Promise<T> {
      withResponse(): string {
        return 'extra';
      }
    }
    const sub = new APIPromise<number>((res) => res(3));
    const decorated = Object.assign(Promise.resolve(4), { withResponse: () => 'extra' });
    const f = op(function api(which: string) {
      return which === 'sub' ? sub : decorated;
    });
    const got = f('sub');
    assert.equal(got, sub);
    assert.equal(got.withResponse(), 'extra');
    assert.equal(await got, 3);
    const got2 = f('decorated');
    assert.equal(got2, decorated);
    assert.equal(await got2, 4);
    await new Promise((res) => setImmediate(res));
    const outputs = (await sent()).filter((c) => c.op_name === 'api').map((c) => c.output);
    assert.deepEqual(outputs.sort(), [3, 4]);
  });

  test('generators yield the same items; the call ends when iteration ends', async () => {
    const gen = op(function* count(n: number) {
      for (let i = 0; i < n; i++) yield i;
      return 'end';
    });
    assert.deepEqual([...gen(3)], [0, 1, 2]);
    const call = byName(await sent(), 'count');
    assert.deepEqual(call.output, [0, 1, 2]);
  });

  test('an abandoned generator (break -> return()) ends its call', async () => {
    const gen = op(function* forever() {
      for (let i = 0; ; i++) yield i;
    });
    for (const v of gen()) if (v === 2) break;
    assert.deepEqual(byName(await sent(), 'forever').output, [0, 1, 2]);
  });

  test('async generators yield the same items; a throw ends the call with an error', async () => {
    const child = op(async function child(x: number) {
      return x;
    });
    const agen = op(async function* stream() {
      yield await child(1);
      yield await child(2);
      throw new Error('boom');
    });
    const got: number[] = [];
    await assert.rejects(async () => {
      for await (const v of agen()) got.push(v);
    }, /boom/);
    assert.deepEqual(got, [1, 2]);
    const calls = await sent();
    const s = byName(calls, 'stream');
    assert.match(String(s.exception), /boom/);
    const children = calls.filter((c) => c.op_name === 'child');
    assert.equal(children.length, 2);
    assert.ok(
      children.every((c) => c.parent_id === s.id),
      'ops called inside a generator nest under it',
    );
    assert.deepEqual(s.summary, { status_counts: { success: 2, error: 1 } });
  });

  test('hostile inputs (a Proxy whose traps throw) never reach the user', async () => {
    const f = op(function hostile(x: unknown) {
      return typeof x;
    });
    const proxy = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('trap');
        },
        get() {
          throw new Error('trap');
        },
      },
    );
    assert.equal(f(proxy), 'object');
    assert.ok(byName(await sent(), 'hostile'));
  });
});

describe('context', () => {
  test('parentage is right across await, Promise.all fan-out and timers', async () => {
    const leaf = op(async function leaf(i: number) {
      await new Promise((res) => setTimeout(res, (i % 3) * 5));
      return getCurrentCall()!.opName;
    });
    const mid = op(async function mid(i: number) {
      await leaf(i);
      await new Promise<void>((res) => setTimeout(() => void leaf(100 + i).then(() => res()), 1));
    });
    const root = op(async function root() {
      await Promise.all([mid(1), mid(2), mid(3)]);
    });
    await Promise.all([root(), root()]);
    const calls = await sent();
    const roots = calls.filter((c) => c.op_name === 'root');
    assert.equal(roots.length, 2);
    const byId = new Map(calls.map((c) => [c.id, c]));
    for (const c of calls) {
      if (c.op_name === 'root') continue;
      const parent = byId.get(c.parent_id);
      assert.ok(parent, 'parent recorded');
      assert.equal(parent.op_name, c.op_name === 'leaf' ? 'mid' : 'root');
      assert.equal(c.trace_id, parent.trace_id);
    }
    assert.notEqual(roots[0]!.trace_id, roots[1]!.trace_id, 'concurrent traces stay independent');
    assert.deepEqual(roots[0]!.summary, { status_counts: { success: 10, error: 0 } });
  });

  test('the current call serializes to its public fields, even while other calls wait for their end', async () => {
    let seen = '';
    const slow = op(async function slow() {
      await new Promise((resolve) => setImmediate(resolve));
    });
    const look = op(function look(x: number) {
      seen = JSON.stringify(getCurrentCall());
      return x;
    });
    const parent = op(async function parent() {
      const waiting = slow(); // held in the pairing buffer next to this call
      look(1);
      await waiting;
    });
    await parent();
    const handle = JSON.parse(seen) as Record<string, unknown>;
    assert.deepEqual(Object.keys(handle).sort(), ['id', 'opName', 'parentId', 'startedAt', 'traceId']);
    assert.equal(handle.opName, 'look');
    assert.equal(typeof handle.parentId, 'string');
  });

  test('withAttributes adds attributes to every call started inside; getCurrentCall', async () => {
    const inner = op(function inner() {
      const c = getCurrentCall();
      return c ? c.opName : 'none';
    });
    const outer = op(function outer() {
      return withAttributes({ step: 2 }, () => inner());
    });
    assert.equal(getCurrentCall(), undefined);
    withAttributes({ env: 'test', step: 1 }, () => outer());
    const calls = await sent();
    assert.deepEqual(byName(calls, 'outer').attributes, { env: 'test', step: 1 });
    assert.deepEqual(byName(calls, 'inner').attributes, { env: 'test', step: 2 });
    assert.equal(byName(calls, 'inner').output, 'inner');
  });

  test('withThread sets thread_id, and each outermost call is a turn', async () => {
    const child = op(function child() {});
    const turn = op(function turn() {
      child();
    });
    withThread('conv-1', () => {
      turn();
      turn();
    });
    const calls = await sent();
    const turns = calls.filter((c) => c.op_name === 'turn');
    assert.ok(calls.every((c) => c.thread_id === 'conv-1'));
    assert.equal(turns[0]!.turn_id, turns[0]!.id);
    assert.notEqual(turns[0]!.turn_id, turns[1]!.turn_id);
    const children = calls.filter((c) => c.op_name === 'child');
    assert.equal(children[0]!.turn_id, turns[0]!.id);
  });
});

describe('recording', () => {
  test('summary sums usage reported by children, per model', async () => {
    const llm = op(async function llm(model: string) {
      return { model, usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } };
    });
    const agent = op(async function agent() {
      await llm('gpt-x');
      await llm('gpt-x');
      await llm('claude-y');
      getCurrentCall()!.addUsage('embed-z', { prompt_tokens: 3 });
    });
    await agent();
    const a = byName(await sent(), 'agent');
    assert.deepEqual(a.summary, {
      status_counts: { success: 4, error: 0 },
      usage: {
        'gpt-x': { prompt_tokens: 20, completion_tokens: 10, total_tokens: 30 },
        'claude-y': { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
        'embed-z': { prompt_tokens: 3 },
      },
    });
  });

  test('name, callDisplayName, postprocessInputs and postprocessOutput', async () => {
    const secret = { apiKey: 'sk-123', q: 'hi' };
    const f = op((args: { apiKey: string; q: string }) => ({ answer: args.q, raw: 'big' }), {
      name: 'chat',
      callDisplayName: (inputs) => `chat: ${(inputs.args as { q: string }).q}`,
      postprocessInputs: (inputs) => ({ ...inputs, args: { ...(inputs.args as object), apiKey: '***' } }),
      postprocessOutput: (o) => ({ answer: (o as { answer: string }).answer }),
    });
    const out = f(secret);
    assert.deepEqual(out, { answer: 'hi', raw: 'big' }, 'the caller gets the real output');
    assert.equal(secret.apiKey, 'sk-123', 'the caller keeps its own inputs');
    const c = byName(await sent(), 'chat');
    assert.equal(c.display_name, 'chat: hi');
    assert.deepEqual(c.inputs, { args: { apiKey: '***', q: 'hi' } });
    assert.deepEqual(c.output, { answer: 'hi' });
  });

  test('hooks that throw do not reach the user', async () => {
    const f = op((x: number) => x * 2, {
      name: 'hooked',
      callDisplayName: () => {
        throw new Error('dn');
      },
      postprocessOutput: () => {
        throw new Error('po');
      },
    });
    assert.equal(f(4), 8);
    assert.equal(byName(await sent(), 'hooked').output, 8);
  });

  test('inputs fall back to arg0.. for destructured parameters; rest parameters keep their name', async () => {
    const f = op(function mixed({ a }: { a: number }, b = 'x, y', ...rest: number[]) {
      return a + b + rest.length;
    });
    f({ a: 1 }, 'z', 3, 4);
    assert.deepEqual(byName(await sent(), 'mixed').inputs, { arg0: { a: 1 }, b: 'z', rest: [3, 4] });
  });
});
