import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { describe, test } from 'node:test';
import { exposedGc } from './exposed-gc.js';

describe('exposedGc', () => {
  test('gives a working gc without exposing it to any other context', async () => {
    const hadGc = typeof (globalThis as { gc?: unknown }).gc === 'function'; // node --expose-gc runs
    const gc = exposedGc();
    gc();
    gc({ type: 'minor' });
    assert.equal(typeof (globalThis as { gc?: unknown }).gc === 'function', hadGc);
    if (!hadGc) {
      assert.equal(runInNewContext('typeof gc'), 'undefined');
      const worker = new Worker('require("node:worker_threads").parentPort.postMessage(typeof gc)', {
        eval: true,
      });
      const seen = await new Promise((resolve) => worker.once('message', resolve));
      assert.equal(seen, 'undefined');
      await worker.terminate();
    }
  });
});
