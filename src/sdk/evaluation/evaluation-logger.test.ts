import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { all, useWeftServer } from './e2e-helpers.test-suite.js';
import { Dataset, EvaluationLogger } from './index.js';

const server = useWeftServer('logger');

describe('EvaluationLogger against a real weft serve', () => {
  test('records the same call shape as Evaluation.evaluate; the root runs until logSummary', async () => {
    const { client, warnings } = await server.freshClient();
    const dataset = new Dataset({ name: 'qa-v1', rows: [{ question: 'q0' }, { question: 'q1' }] });
    const ev = new EvaluationLogger({ name: 'manual-eval', model: { name: 'gpt-x' }, dataset });
    assert.ok(ev.callId && ev.traceId);

    // Eager root: visible as running before anything else is logged.
    await client.flush();
    const running = await client.getCall(ev.callId);
    assert.equal(running?.status, 'running');
    assert.equal(running?.op_name, 'Evaluation.evaluate');
    assert.equal(running?.display_name, 'manual-eval');
    assert.deepEqual(running?.attributes, { weft: { kind: 'evaluation', evaluation_name: 'manual-eval' } });
    assert.deepEqual(running?.inputs, {
      evaluation: {
        name: 'manual-eval',
        scorers: [],
        dataset: { name: 'qa-v1', row_count: 2, digest: dataset.digest },
        trials: 1,
      },
      model: { name: 'gpt-x' },
    });

    const p0 = ev.logPrediction({ question: 'q0' }, 'a0');
    p0.logScore('correct', true);
    p0.logScore('quality', { fluency: 0.5, grounded: true });
    p0.finish();
    const p1 = ev.logPrediction({ question: 'q1' }, 'a1');
    p1.logScore('correct', false);
    p1.logScore('quality', { fluency: 1, grounded: true });
    p1.logScore('comment', 'free text is recorded, not aggregated');
    p1.finish();

    const summary = await ev.logSummary({ note: 'done' });
    assert.deepEqual(summary, {
      scores: {
        correct: { true_fraction: 0.5, true_count: 1 },
        quality: { fluency: { mean: 0.75 }, grounded: { true_fraction: 1, true_count: 2 } },
      },
      example_count: 2,
      error_count: 0,
      model_latency_ms: null,
      note: 'done',
    });
    assert.equal(ev.summarized, true);
    await client.flush();

    const root = await client.getCall(ev.callId);
    assert.equal(root?.status, 'success');
    assert.deepEqual(root?.output, summary);
    const calls = await all(client.getCalls({ filter: { trace_ids: [ev.traceId!] } }));
    assert.equal(calls.length, 1 + 2 * 2 + 5);
    const predictions = calls
      .filter((c) => c.parent_id === ev.callId)
      .sort((a, b) => (a.inputs!.row_index as number) - (b.inputs!.row_index as number));
    assert.deepEqual(
      predictions.map((p) => [p.op_name, p.status, p.inputs]),
      [
        ['Evaluation.predict_and_score', 'success', { example: { question: 'q0' }, row_index: 0, trial: 0 }],
        ['Evaluation.predict_and_score', 'success', { example: { question: 'q1' }, row_index: 1, trial: 0 }],
      ],
    );
    assert.deepEqual(predictions[1]!.output, {
      output: 'a1',
      scores: {
        correct: false,
        quality: { fluency: 1, grounded: true },
        comment: 'free text is recorded, not aggregated',
      },
      model_latency_ms: null,
    });
    const kids = calls.filter((c) => c.parent_id === predictions[1]!.id);
    const model = kids.find((k) => k.op_name === 'gpt-x');
    assert.deepEqual([model?.inputs, model?.output], [{ question: 'q1' }, 'a1']);
    const correct = kids.find((k) => k.op_name === 'correct');
    assert.deepEqual([correct?.inputs, correct?.output], [{ question: 'q1', output: 'a1' }, false]);
    assert.deepEqual(
      kids.map((k) => k.op_name),
      ['gpt-x', 'correct', 'quality', 'comment'],
    );
    for (const c of calls) {
      assert.ok(c.started_at && (c.ended_at ?? '') >= c.started_at);
      assert.deepEqual(c.attributes, { weft: { kind: 'evaluation', evaluation_name: 'manual-eval' } });
    }
    assert.deepEqual(warnings, []);
  });

  test('predictions left unfinished are finished by logSummary, and count in the summary', async () => {
    const { client } = await server.freshClient();
    const ev = new EvaluationLogger({ name: 'unfinished', model: 'gpt-x', dataset: 'qa-v1' });
    const done = ev.logPrediction({ q: 1 }, 'x');
    done.logScore('ok', 1);
    done.finish();
    const open1 = ev.logPrediction({ q: 2 }, 'y');
    open1.logScore('ok', 0);
    const open2 = ev.logPrediction({ q: 3 }, 'z'); // no score at all
    assert.equal(open1.finished, false);

    // Before logSummary the unfinished predictions are running calls: flush does not wait on them.
    const report = await client.flush();
    assert.equal(report.pendingCalls, 2);
    const summary = await ev.logSummary();
    assert.equal(open1.finished, true);
    assert.equal(open2.finished, true);
    assert.deepEqual(summary, {
      scores: { ok: { mean: 0.5 } },
      example_count: 3,
      error_count: 0,
      model_latency_ms: null,
    });

    await client.flush();
    const root = await client.getCall(ev.callId!);
    assert.equal(root?.status, 'success');
    assert.deepEqual((root?.inputs?.evaluation as { dataset: unknown }).dataset, {
      name: 'qa-v1',
      row_count: null,
      digest: null,
    });
    const predictions = await all(
      client.getCalls({
        filter: { parent_ids: [ev.callId!] },
        sortBy: [{ field: 'inputs.row_index', direction: 'asc' }],
      }),
    );
    assert.deepEqual(
      predictions.map((p) => [p.status, (p.output as { scores: unknown }).scores]),
      [
        ['success', { ok: 1 }],
        ['success', { ok: 0 }],
        ['success', {}],
      ],
    );
    assert.equal(client.stats().pendingCalls, 0);
  });

  test('logging after logSummary is a no-op with a warning, never an exception', async () => {
    const { client, warnings } = await server.freshClient();
    const ev = new EvaluationLogger({ name: 'closed' });
    const pred = ev.logPrediction({ q: 1 }, 'a');
    const first = await ev.logSummary();
    assert.deepEqual(first, { scores: {}, example_count: 1, error_count: 0, model_latency_ms: null });

    pred.logScore('late', true); // finished by logSummary
    const late = ev.logPrediction({ q: 2 }, 'b');
    late.logScore('late', true);
    late.finish();
    assert.equal(await ev.logSummary({ again: true }), first);
    assert.equal(warnings.length, 3, warnings.join('\n'));
    assert.match(warnings[0]!, /logScore\(late\) on a finished prediction of evaluation closed: ignored/);
    assert.match(warnings[1]!, /logPrediction after logSummary/);
    assert.match(warnings[2]!, /logSummary called again/);

    await client.flush();
    const calls = await all(client.getCalls({ filter: { trace_ids: [ev.traceId!] } }));
    assert.deepEqual(calls.map((c) => c.op_name).sort(), [
      'Evaluation.evaluate',
      'Evaluation.predict_and_score',
      'model',
    ]);
    const root = calls.find((c) => c.op_name === 'Evaluation.evaluate');
    assert.equal((root?.inputs?.evaluation as { dataset: unknown }).dataset, null);
  });

  test('misuse and hostile values cost a warning, not an exception', async () => {
    const { client, warnings } = await server.freshClient();
    const ev = new EvaluationLogger({
      name: 'hostile',
      model: 42 as unknown as string,
      dataset: {} as unknown as string,
    });
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('get trap');
        },
        ownKeys() {
          throw new Error('ownKeys trap');
        },
      },
    );
    const pred = ev.logPrediction(hostile, hostile);
    pred.logScore('', 1);
    pred.logScore(undefined as unknown as string, 1);
    pred.logScore('weird', hostile);
    pred.finish();
    pred.finish();
    const summary = await ev.logSummary({ scores: 'mine', note: 'kept' });
    assert.deepEqual(summary, {
      scores: {},
      example_count: 1,
      error_count: 0,
      model_latency_ms: null,
      note: 'kept',
    });
    assert.equal(
      warnings.filter((w) => /score name must be a non-empty string/.test(w)).length,
      1,
      'rate-limited',
    );
    assert.ok(warnings.some((w) => /scores is a summary field; kept the computed one/.test(w)));
    assert.equal(await ev.logSummary(), summary);

    const other = new EvaluationLogger({ name: 'extra' });
    await other.logSummary('not an object' as unknown as Record<string, unknown>);
    assert.ok(warnings.some((w) => /extra must be a plain object/.test(w)));

    await client.flush();
    const root = await client.getCall(ev.callId!);
    assert.equal(root?.status, 'success');
    assert.deepEqual(root?.inputs, {
      evaluation: { name: 'hostile', scorers: [], dataset: null, trials: 1 },
      model: { name: 'model' },
    });
    const calls = await all(client.getCalls({ filter: { trace_ids: [ev.traceId!] } }));
    assert.deepEqual(calls.map((c) => c.op_name).sort(), [
      'Evaluation.evaluate',
      'Evaluation.predict_and_score',
      'model',
      'weird',
    ]);
  });
});
