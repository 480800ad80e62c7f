import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newStartHalf, type EndHalf, type StartHalf } from './call-halves.js';
import { PairingBuffer } from './pairing-buffer.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');

function start(id: string, startedMs = T0): StartHalf {
  return newStartHalf(id, 't', '2026-01-01T00:00:00.000000Z', startedMs * 1000, `{"id":"${id}"`);
}

const FIELDS = ',"output":1}';

function end(id: string): EndHalf {
  return {
    projectId: 'a/p',
    id,
    traceId: 't',
    startedAt: '2026-01-01T00:00:00.000000Z',
    fieldsJson: ',"output":1}',
  };
}

describe('PairingBuffer', () => {
  test('an end carrying its start pairs it into one complete record, in any order of ends', () => {
    const buf = new PairingBuffer(100);
    const halves = ['a', 'b', 'c', 'd'].map((id) => start(id));
    for (const h of halves) assert.equal(buf.start(h, false), undefined);
    assert.equal(buf.pendingCount, 4);
    for (const i of [2, 0, 3, 1]) {
      const h = halves[i]!;
      assert.deepEqual(buf.endOf(h, FIELDS, 'a/p'), {
        kind: 'complete',
        json: `{"id":"${h.id}","output":1}`,
      });
    }
    assert.equal(buf.pendingCount, 0);
    assert.ok(buf.isEmpty());
    // A repeated end of a paired call adds nothing.
    assert.equal(buf.endOf(halves[0]!, FIELDS, 'a/p'), undefined);
  });

  test('an end without its start finds the held start by id, or waits for it', () => {
    const buf = new PairingBuffer(100);
    buf.start(start('a'), false);
    assert.equal(buf.end(end('a'))?.kind, 'complete');
    assert.equal(buf.end(end('b')), undefined);
    assert.equal(buf.earlyEndCount, 1);
    assert.deepEqual(buf.start(start('b'), false), { kind: 'complete', json: '{"id":"b","output":1}' });
    assert.ok(buf.isEmpty());
  });

  test('the end of a start sent on its own (eager, auto-eager, finish) goes alone', () => {
    const buf = new PairingBuffer(100);
    const eager = start('e');
    assert.equal(buf.start(eager, true)?.kind, 'start');
    assert.deepEqual(buf.endOf(eager, FIELDS, 'a/p'), {
      kind: 'end',
      json: '{"project_id":"a/p","id":"e","trace_id":"t","started_at":"2026-01-01T00:00:00.000000Z","output":1}',
    });
    const old = start('old', T0);
    const young = start('young', T0 + 5_000);
    buf.start(old, false);
    buf.start(young, false);
    const { out, nextDueIn } = buf.takeOlderThan(10_000, T0 + 12_000);
    assert.deepEqual(out, [{ kind: 'start', json: '{"id":"old"}' }]);
    assert.equal(nextDueIn, 3_000);
    assert.equal(buf.endOf(old, FIELDS, 'a/p')?.kind, 'end');
    assert.deepEqual(
      buf.takeAll().map((o) => o.json),
      ['{"id":"young"}'],
    );
    assert.equal(buf.endOf(young, FIELDS, 'a/p')?.kind, 'end');
    assert.ok(buf.isEmpty());
  });

  test('whenEmpty resolves when the last held start pairs', async () => {
    const buf = new PairingBuffer(100);
    const h = start('a');
    buf.start(h, false);
    let resolved = false;
    const done = buf.whenEmpty().then(() => (resolved = true));
    await Promise.resolve();
    assert.equal(resolved, false);
    buf.endOf(h, FIELDS, 'a/p');
    await done;
    assert.equal(resolved, true);
  });

  test('past maxPending, starts are sent at once and their ends go alone', () => {
    const buf = new PairingBuffer(2);
    const hs = ['a', 'b', 'c'].map((id) => start(id));
    assert.deepEqual(
      hs.map((h) => buf.start(h, false)?.kind),
      [undefined, undefined, 'start'],
    );
    assert.ok(buf.isFull());
    assert.equal(buf.endOf(hs[2]!, FIELDS, 'a/p')?.kind, 'end');
    assert.equal(buf.endOf(hs[0]!, FIELDS, 'a/p')?.kind, 'complete');
    assert.equal(buf.pendingCount, 1);
  });
});
