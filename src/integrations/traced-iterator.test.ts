import assert from 'node:assert/strict';
import { test } from 'node:test';
import { observeIterator, type StreamObserver } from './traced-iterator.js';

function recorder(throwing = false): StreamObserver & { chunks: unknown[]; ends: unknown[] } {
  const chunks: unknown[] = [];
  const ends: unknown[] = [];
  return {
    chunks,
    ends,
    chunk(v) {
      chunks.push(v);
      if (throwing) throw new Error('observer chunk');
    },
    end(e) {
      ends.push(e);
      if (throwing) throw new Error('observer end');
    },
  };
}

test('yields the same steps and records chunks and one end', async () => {
  async function* gen(): AsyncGenerator<number> {
    yield 1;
    yield 2;
  }
  const obs = recorder();
  const seen: unknown[] = [];
  for await (const v of observeIterator(gen(), obs)) seen.push(v);
  assert.deepEqual(seen, [1, 2]);
  assert.deepEqual(obs.chunks, [1, 2]);
  assert.deepEqual(obs.ends, [undefined]);
});

test('a step whose getters throw, or that is not an object, reaches the reader untouched', async () => {
  const hostile = {
    get done(): boolean {
      throw new Error('done getter');
    },
  };
  const steps: unknown[] = [hostile, null];
  const inner = { next: () => Promise.resolve(steps.shift()) } as unknown as AsyncIterator<unknown>;
  const obs = recorder();
  const it = observeIterator(inner, obs);
  assert.equal(await it.next(), hostile, 'the same object, its getter failing only for the tracer');
  assert.equal(await it.next(), null);
  assert.deepEqual(obs.ends, [undefined], 'an unreadable step ends the observation once');
});

test('an observer that throws changes nothing the reader sees', async () => {
  async function* gen(): AsyncGenerator<string> {
    yield 'a';
    yield 'b';
  }
  const seen: unknown[] = [];
  for await (const v of observeIterator(gen(), recorder(true))) seen.push(v);
  assert.deepEqual(seen, ['a', 'b']);
});

test('return and throw are read once from the inner iterator, errors pass through', async () => {
  let returnReads = 0;
  const inner = {
    next: () => Promise.resolve({ done: false, value: 1 }),
    get return() {
      returnReads++;
      return (v: unknown) => Promise.resolve({ done: true, value: v });
    },
    throw: () => {
      throw new Error('sync throw');
    },
  } as unknown as AsyncIterator<unknown>;
  const obs = recorder();
  const it = observeIterator(inner, obs);
  for await (const v of it) {
    assert.equal(v, 1);
    break;
  }
  assert.equal(returnReads, 1);
  assert.deepEqual(obs.ends, [undefined]);
  const obs2 = recorder();
  assert.throws(() => observeIterator(inner, obs2).throw!(new Error('x')), /sync throw/);
  assert.equal((obs2.ends[0] as { thrown: Error }).thrown.message, 'sync throw');
});
