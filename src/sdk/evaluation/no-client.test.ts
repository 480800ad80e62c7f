import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Receiver } from '../../../test/helpers/receiver.js';
import { init } from '../init.js';
import { op } from '../op.js';
import { Dataset, Evaluation, EvaluationLogger } from './index.js';

// This file never has a client before the last test: init() is global to the process.

test('without a client, Evaluation.evaluate runs and returns the summary', async () => {
  const exact = op(function exact({ output, expected }: { output: string; expected: string }) {
    return output === expected;
  });
  const evaluation = new Evaluation({
    name: 'offline',
    dataset: new Dataset({ name: 'd', rows: [{ expected: 'a' }, { expected: 'b' }] }),
    scorers: [exact],
  });
  const summary = await evaluation.evaluate({ model: () => 'a' });
  assert.deepEqual(summary.scores.exact, { true_fraction: 0.5, true_count: 1 });
  assert.equal(summary.example_count, 2);
  assert.equal(summary.error_count, 0);
});

test('without a client, EvaluationLogger records nothing but computes the summary', async () => {
  const ev = new EvaluationLogger({ name: 'offline', model: 'gpt-x' });
  assert.equal(ev.callId, undefined);
  assert.equal(ev.traceId, undefined);
  const pred = ev.logPrediction({ q: 1 }, 'a');
  pred.logScore('ok', true);
  pred.finish();
  ev.logPrediction({ q: 2 }, 'b').logScore('ok', false);
  assert.deepEqual(await ev.logSummary({ extra: 1 }), {
    scores: { ok: { true_fraction: 0.5, true_count: 1 } },
    example_count: 2,
    error_count: 0,
    model_latency_ms: null,
    extra: 1,
  });
});

test('a logger created before init() keeps recording nothing; a new one records', async () => {
  const r = await new Receiver().start();
  try {
    const before = new EvaluationLogger({ name: 'before-init' });
    const client = await init({ project: 'acme/late', serverUrl: r.url, logger: { warn: () => {} } });
    before.logPrediction({ q: 1 }, 'a').logScore('ok', true);
    await before.logSummary();
    await client.flush();
    assert.equal(r.requests.length, 0);

    const after = new EvaluationLogger({ name: 'after-init' });
    after.logPrediction({ q: 1 }, 'a').logScore('ok', true);
    await after.logSummary();
    await client.flush();
    assert.equal(r.starts.length, 1);
    assert.equal(r.ends.length, 1);
    assert.deepEqual(r.completes.map((c) => c.op_name).sort(), [
      'Evaluation.predict_and_score',
      'model',
      'ok',
    ]);
    await client.finish();
  } finally {
    await r.close();
  }
});
