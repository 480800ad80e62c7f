import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Receiver } from '../../test/helpers/receiver.js';
import type { WeftClient } from './client.js';
import { init } from './init.js';
import { op } from './op.js';

/**
 * Tracing inspects the values user code hands it (arguments, results, what is thrown) without ever
 * throwing into user code, running user code it does not need (a thenable's `then`), or running a
 * getter more than once per recorded value.
 */

const quiet = { warn: () => {} };
type Rec = Record<string, unknown>;

let r: Receiver;
let client: WeftClient;
before(async () => {
  r = await new Receiver().start();
  client = await init({
    project: 'acme/user-values',
    serverUrl: r.url,
    batchIntervalMs: 600_000,
    logger: quiet,
  });
});
after(() => r.close());
beforeEach(() => {
  r.completes.length = r.starts.length = r.ends.length = 0;
});

/** The calls sent so far; every call must have ended (none left running). */
async function sent(): Promise<Rec[]> {
  const report = await client.flush();
  assert.equal(report.pendingCalls, 0, 'no call left running');
  return r.completes;
}
const byName = (calls: Rec[], name: string): Rec => {
  const c = calls.find((x) => x.op_name === name);
  assert.ok(c, `no call named ${name}`);
  return c;
};

function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

/** A Proxy every trap of which throws. */
function throwingProxy(): object {
  const trap = (): never => {
    throw new Error('trap');
  };
  return new Proxy(
    {},
    {
      get: trap,
      set: trap,
      has: trap,
      ownKeys: trap,
      getOwnPropertyDescriptor: trap,
      defineProperty: trap,
      deleteProperty: trap,
      getPrototypeOf: trap,
      setPrototypeOf: trap,
      isExtensible: trap,
      preventExtensions: trap,
      apply: trap,
      construct: trap,
    },
  );
}

describe('revoked Proxies and Proxies whose traps throw', () => {
  test('an op returning a revoked or throwing Proxy hands it back untouched; its call ends, output unserializable', async () => {
    const revoked = revokedProxy();
    const throwing = throwingProxy();
    const giveRevoked = op(function giveRevoked() {
      return revoked;
    });
    const giveThrowing = op(function giveThrowing() {
      return throwing;
    });
    assert.equal(giveRevoked(), revoked);
    assert.equal(giveThrowing(), throwing);
    const calls = await sent();
    assert.match(String(byName(calls, 'giveRevoked').output), /^\[Unserializable: .*revoked/);
    assert.match(String(byName(calls, 'giveThrowing').output), /^\[Unserializable: trap\]$/);
    assert.equal(byName(calls, 'giveRevoked').exception, null);
  });

  test('such Proxies as arguments: the op runs with them and its call is recorded with markers', async () => {
    const revoked = revokedProxy();
    const throwing = throwingProxy();
    const both = op(function both(a: unknown, b: unknown) {
      return a === revoked && b === throwing;
    });
    const named = op((a: unknown, b: unknown) => a === revoked && b === throwing, {
      name: 'named',
      callDisplayName: (inputs) => `got ${Object.keys(inputs).length}`,
    });
    assert.equal(both(revoked, throwing), true);
    assert.equal(named(revoked, throwing), true);
    const calls = await sent();
    for (const name of ['both', 'named']) {
      const inputs = byName(calls, name).inputs as Rec;
      assert.match(String(inputs.a), /^\[Unserializable: .*revoked/);
      assert.equal(inputs.b, '[Unserializable: trap]');
      assert.equal(byName(calls, name).output, true);
    }
    assert.equal(byName(calls, 'named').display_name, 'got 2');
  });

  test('such Proxies thrown (sync) or rejected with (async) reach the caller unchanged; the call ends with an error', async () => {
    const revoked = revokedProxy();
    const throwing = throwingProxy();
    const throwsRevoked = op(function throwsRevoked() {
      throw revoked;
    });
    const rejectsThrowing = op(async function rejectsThrowing() {
      await null;
      throw throwing;
    });
    // Caught by hand: node:assert inspects what it catches, which such a Proxy does not survive.
    let caught: unknown;
    try {
      throwsRevoked();
    } catch (e) {
      caught = e;
    }
    assert.ok(caught === revoked, 'the revoked Proxy itself was thrown');
    caught = undefined;
    try {
      await rejectsThrowing();
    } catch (e) {
      caught = e;
    }
    assert.ok(caught === throwing, 'the throwing Proxy itself was the rejection');
    const calls = await sent();
    assert.equal(byName(calls, 'throwsRevoked').exception, 'Unserializable exception');
    assert.equal(byName(calls, 'rejectsThrowing').exception, 'Unserializable exception');
    assert.deepEqual(byName(calls, 'rejectsThrowing').summary, { status_counts: { success: 0, error: 1 } });
  });

  test('a generator yielding a throwing Proxy yields it untouched; its call ends with the item marked', async () => {
    const throwing = throwingProxy();
    const gen = op(function* yieldsProxy() {
      yield throwing;
    });
    const items = [...gen()];
    assert.equal(items.length, 1);
    assert.equal(items[0], throwing);
    assert.deepEqual(byName(await sent(), 'yieldsProxy').output, ['[Unserializable: trap]']);
  });

  test('bound generator and async functions keep their nature (found without reading user properties)', async () => {
    const gen = op(
      function* boundGen(this: { n: number }) {
        yield this.n;
      }.bind({ n: 7 }),
      { name: 'boundGen' },
    );
    const afn = op(
      async function (this: { n: number }) {
        await null;
        return this.n;
      }.bind({ n: 8 }),
      { name: 'boundAsync' },
    );
    assert.deepEqual([...gen()], [7]);
    assert.equal(await afn(), 8);
    const calls = await sent();
    assert.deepEqual(byName(calls, 'boundGen').output, [7]);
    assert.equal(byName(calls, 'boundAsync').output, 8);
  });

  test('op() of a Proxy function whose get traps throw wraps it, and calls of it are recorded', async () => {
    const target = function target(x: number): number {
      return x + 1;
    };
    const fn = new Proxy(target, {
      get: () => {
        throw new Error('get trap');
      },
    });
    const traced = op(fn, { name: 'proxied' });
    assert.equal(traced.opName, 'proxied');
    assert.equal(traced(1), 2);
    assert.deepEqual(byName(await sent(), 'proxied').output, 2);
  });
});

describe('custom thenables (query builders) are values, not promises', () => {
  test('an op returning a thenable has its then() called only by the caller: one await runs one query', async () => {
    let thenCalls = 0;
    class QueryBuilder {
      readonly sql = 'select 1';
      then(resolve: (rows: unknown) => void): void {
        thenCalls++; // a real builder sends the query here
        resolve([{ n: 1 }]);
      }
    }
    const select = op(function select() {
      return new QueryBuilder();
    });
    const rows = await select();
    assert.deepEqual(rows, [{ n: 1 }]);
    assert.equal(thenCalls, 1, 'the query ran once, for the caller’s await');
    const call = byName(await sent(), 'select');
    assert.deepEqual(call.output, { __class: 'QueryBuilder', sql: 'select 1' });
    assert.equal(call.exception, null);
  });

  test('a thenable the caller never awaits is never run, and its call ends when the op returns', async () => {
    let thenCalls = 0;
    const lazy = op(function lazy() {
      return {
        table: 'users',
        then(resolve: (v: unknown) => void) {
          thenCalls++;
          resolve(1);
        },
      };
    });
    const builder = lazy();
    assert.equal(typeof builder.then, 'function');
    const call = byName(await sent(), 'lazy');
    assert.equal(thenCalls, 0);
    assert.deepEqual(call.output, { table: 'users', then: '[Function then]' });
  });

  test('a thenable whose then getter throws is returned untouched and recorded', async () => {
    const hostile = Object.defineProperty({}, 'then', {
      enumerable: false,
      get() {
        throw new Error('then getter');
      },
    });
    const f = op(function hostileThen() {
      return hostile;
    });
    assert.equal(f(), hostile);
    assert.deepEqual(byName(await sent(), 'hostileThen').output, {});
  });
});

describe('user getters are read once per recorded value', () => {
  function counted(): { obj: { plain: number; readonly value: number }; reads: () => number } {
    let reads = 0;
    const obj = {
      plain: 1,
      get value(): number {
        reads++;
        return 42;
      },
    };
    return { obj, reads: () => reads };
  }

  test('a getter on an argument is read once (inputs), on a returned object once (output)', async () => {
    const arg = counted();
    const takes = op(function takes(o: unknown) {
      return o === arg.obj;
    });
    assert.equal(takes(arg.obj), true);
    assert.equal(arg.reads(), 1, 'one read, to serialize the inputs');

    const out = counted();
    const gives = op(function gives() {
      return out.obj;
    });
    assert.equal(gives(), out.obj);
    assert.equal(out.reads(), 1, 'one read, to serialize the output');

    const both = counted();
    const echo = op(async function echo(o: unknown) {
      await null;
      return o;
    });
    assert.equal(await echo(both.obj), both.obj);
    assert.equal(both.reads(), 2, 'one read per recorded value: inputs and output');

    const calls = await sent();
    assert.deepEqual(byName(calls, 'takes').inputs, { o: { plain: 1, value: 42 } });
    assert.deepEqual(byName(calls, 'gives').output, { plain: 1, value: 42 });
    assert.deepEqual(byName(calls, 'echo').inputs, { o: { plain: 1, value: 42 } });
    assert.deepEqual(byName(calls, 'echo').output, { plain: 1, value: 42 });
  });

  test('an array index getter in an argument is read once, also when a sibling needs the full serializer', async () => {
    let reads = 0;
    const list: unknown[] = ['a', 'b'];
    Object.defineProperty(list, 0, {
      enumerable: true,
      get() {
        reads++;
        return 'first';
      },
    });
    const f = op(function listAndBig(items: unknown[], n: bigint) {
      return items.length + Number(n);
    });
    assert.equal(f(list, 3n), 5);
    assert.equal(reads, 1, 'one read across the fast check and the full serializer');
    assert.deepEqual(byName(await sent(), 'listAndBig').inputs, { items: ['first', 'b'], n: '3n' });
  });

  test('getters named model / usage are not run to look for token usage', async () => {
    let reads = 0;
    const response = {
      get model(): string {
        reads++;
        return 'gpt-x';
      },
      usage: { prompt_tokens: 1 },
    };
    const f = op(function llmish() {
      return response;
    });
    f();
    assert.equal(reads, 1, 'read once, by the serializer');
    assert.deepEqual(byName(await sent(), 'llmish').output, { model: 'gpt-x', usage: { prompt_tokens: 1 } });
  });
});
