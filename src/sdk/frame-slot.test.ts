import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { test } from 'node:test';
import { portableRunWithStore, runWithStore } from './frame-slot.js';

const IMPLEMENTATIONS = { runWithStore, portableRunWithStore };

for (const [name, run] of Object.entries(IMPLEMENTATIONS)) {
  test(`${name}: the store inside, \`this\`, arguments and result passed, the outer store restored`, () => {
    const als = new AsyncLocalStorage<string>();
    const self = { tag: 'self' };
    const seen = run(
      als,
      'outer',
      () => {
        const r = run(
          als,
          'inner',
          function (this: unknown, a: number, b: number) {
            return { store: als.getStore(), self: this, sum: a + b };
          },
          self,
          [2, 3],
        );
        return { ...r, after: als.getStore() };
      },
      undefined,
      [],
    );
    assert.deepEqual(seen, { store: 'inner', self, sum: 5, after: 'outer' });
    assert.equal(als.getStore(), undefined);
  });

  test(`${name}: a throw passes through and restores the outer store`, () => {
    const als = new AsyncLocalStorage<string>();
    const boom = new Error('boom');
    run(
      als,
      'outer',
      () => {
        assert.throws(
          () =>
            run(
              als,
              'inner',
              () => {
                throw boom;
              },
              undefined,
              [],
            ),
          (e) => e === boom,
        );
        assert.equal(als.getStore(), 'outer');
      },
      undefined,
      [],
    );
  });

  test(`${name}: async work started inside keeps the store across awaits; the caller's does not see it`, async () => {
    const als = new AsyncLocalStorage<string>();
    als.enterWith('caller'); // enabled, as a client's context is once a call ran
    const seen: (string | undefined)[] = [];
    const p = run(
      als,
      'call',
      async (ms: number) => {
        seen.push(als.getStore());
        await new Promise((resolve) => setTimeout(resolve, ms));
        seen.push(als.getStore());
        await null;
        seen.push(als.getStore());
      },
      undefined,
      [1],
    );
    assert.equal(als.getStore(), 'caller');
    await p;
    assert.equal(als.getStore(), 'caller');
    assert.deepEqual(seen, ['call', 'call', 'call']);
  });
}

test('runWithStore takes the direct slot on this Node, where the store lives on the resource', () => {
  const als = new AsyncLocalStorage<string>();
  const fields = als as unknown as { kResourceStore?: unknown };
  if (typeof fields.kResourceStore !== 'symbol') {
    // Another implementation (e.g. AsyncContextFrame): runWithStore uses run, tested above.
    assert.equal(
      runWithStore(als, 's', () => als.getStore(), undefined, []),
      's',
    );
    return;
  }
  als.enterWith('enabled');
  let ran = false;
  const original = als.run.bind(als);
  als.run = ((...a: Parameters<typeof original>) => {
    ran = true;
    return original(...a);
  }) as typeof als.run;
  assert.equal(
    runWithStore(als, 's', () => als.getStore(), undefined, []),
    's',
  );
  assert.equal(ran, false, 'an enabled store is set without run');
});
