import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { op } from '../op.js';
import { all, readTree, useWeftServer } from './e2e-helpers.test-suite.js';
import { Dataset, Evaluation } from './index.js';

const server = useWeftServer('eval');

type QA = { question: string; expected: string };
const rows: QA[] = [
  { question: 'capital of France?', expected: 'Paris' },
  { question: '2 + 2?', expected: '4' },
  { question: 'color of the sky?', expected: 'blue' },
  { question: 'largest planet?', expected: 'Jupiter' },
];
const answers: Record<string, string> = {
  'capital of France?': 'Paris',
  '2 + 2?': '4',
  'color of the sky?': 'blue',
  'largest planet?': 'Saturn',
};

describe('Evaluation.evaluate against a real weft serve', () => {
  test('records the tree (eager root > predict_and_score > model + scorers) and aggregates the summary', async () => {
    const { client, warnings } = await server.freshClient();
    const dataset = new Dataset({ name: 'qa-v1', rows });
    const answerQuestion = op(async function answerQuestion(row: QA) {
      return answers[row.question];
    });
    const exactMatch = op(function exactMatch({ output, expected }: QA & { output: string }) {
      return output === expected;
    });
    // Plain functions: wrapped as ops named after them.
    function lengthRatio({ output, expected }: QA & { output: string }) {
      return output.length / expected.length;
    }
    async function details({ output, expected }: QA & { output: string }) {
      return { correct: output === expected, chars: output.length, label: 'not aggregated' };
    }
    const evaluation = new Evaluation({
      name: 'qa-eval',
      dataset,
      scorers: [exactMatch, lengthRatio, details],
    });
    const summary = await evaluation.evaluate({ model: answerQuestion, concurrency: 2 });

    // Summary: booleans -> fraction true, numbers -> mean, objects -> recursively.
    assert.deepEqual(Object.keys(summary.scores), ['exactMatch', 'lengthRatio', 'details']);
    assert.deepEqual(summary.scores.exactMatch, { true_fraction: 0.75, true_count: 3 });
    assert.deepEqual(summary.scores.lengthRatio, { mean: (1 + 1 + 1 + 6 / 7) / 4 });
    assert.deepEqual(summary.scores.details, {
      correct: { true_fraction: 0.75, true_count: 3 },
      chars: { mean: (5 + 1 + 4 + 6) / 4 },
    });
    assert.equal(summary.example_count, 4);
    assert.equal(summary.error_count, 0);
    const latency = summary.model_latency_ms!;
    assert.ok(latency.mean >= 0 && latency.p50 <= latency.p95 && latency.p95 < 5000, JSON.stringify(latency));

    const { root, calls, predictions, childrenOf } = await readTree(client);
    assert.equal(calls.length, 1 + 4 * (1 + 1 + 3));
    assert.equal(root.status, 'success');
    assert.equal(root.parent_id, null);
    assert.equal(root.display_name, 'qa-eval');
    assert.deepEqual(root.attributes, { weft: { kind: 'evaluation', evaluation_name: 'qa-eval' } });
    assert.deepEqual(root.inputs, {
      evaluation: {
        name: 'qa-eval',
        scorers: ['exactMatch', 'lengthRatio', 'details'],
        dataset: { name: 'qa-v1', row_count: 4, digest: dataset.digest },
        trials: 1,
        concurrency: 2,
      },
      model: { name: 'answerQuestion' },
    });
    assert.deepEqual(root.output, summary);
    assert.deepEqual(root.summary?.status_counts, { success: calls.length, error: 0 });

    assert.equal(predictions.length, 4);
    predictions.forEach((p, i) => {
      assert.equal(p.op_name, 'Evaluation.predict_and_score');
      assert.equal(p.status, 'success');
      assert.deepEqual(p.inputs, { example: rows[i], row_index: i, trial: 0 });
      const out = p.output as { output: string; scores: Record<string, unknown>; model_latency_ms: number };
      assert.equal(out.output, answers[rows[i]!.question]);
      assert.equal(out.scores.exactMatch, i !== 3);
      assert.equal(typeof out.model_latency_ms, 'number');

      const kids = childrenOf(p.id);
      assert.deepEqual(kids.map((k) => k.op_name).sort(), [
        'answerQuestion',
        'details',
        'exactMatch',
        'lengthRatio',
      ]);
      const model = kids.find((k) => k.op_name === 'answerQuestion')!;
      assert.deepEqual(model.inputs, { row: rows[i] });
      assert.equal(model.output, out.output);
      assert.ok(
        model.ended_at! <= kids.find((k) => k.op_name === 'exactMatch')!.started_at!,
        'model, then scorers',
      );
      // An op scorer records its inputs as op does (a destructured parameter is arg0) ...
      const em = kids.find((k) => k.op_name === 'exactMatch')!;
      assert.deepEqual(em.inputs, { arg0: { ...rows[i], output: out.output } });
      assert.equal(em.output, i !== 3);
      // ... a plain one is recorded with the fields of its one object argument.
      const lr = kids.find((k) => k.op_name === 'lengthRatio')!;
      assert.deepEqual(lr.inputs, { ...rows[i], output: out.output });
      for (const k of kids) assert.equal(childrenOf(k.id).length, 0);
    });
    assert.deepEqual(warnings, []);
  });

  test('a throwing model row and a throwing scorer are errors that do not stop the run', async () => {
    const { client } = await server.freshClient();
    const model = op(async function flakyModel(row: QA) {
      if (row.question === '2 + 2?') throw new Error('model exploded');
      return answers[row.question];
    });
    const exactMatch = op(function exactMatch({ output, expected }: QA & { output: string }) {
      return output === expected;
    });
    function pickyScorer({ output }: { output: string }) {
      if (output === 'blue') throw new TypeError('scorer exploded');
      return output.length;
    }
    const evaluation = new Evaluation({ name: 'flaky', dataset: rows, scorers: [exactMatch, pickyScorer] });
    const summary = await evaluation.evaluate({ model });

    // Row 1 (model threw) is not scored; row 2's pickyScorer threw, its exactMatch still counts.
    assert.equal(summary.error_count, 2);
    assert.equal(summary.example_count, 4);
    assert.deepEqual(summary.scores.exactMatch, { true_fraction: 2 / 3, true_count: 2 });
    assert.deepEqual(summary.scores.pickyScorer, { mean: (5 + 6) / 2 });

    const { root, predictions, childrenOf } = await readTree(client);
    assert.equal(root.status, 'success');
    assert.deepEqual(root.output, summary);
    assert.deepEqual((root.inputs?.evaluation as { dataset: unknown }).dataset, {
      name: 'dataset',
      row_count: 4,
      digest: new Dataset({ name: 'd', rows }).digest,
    });
    // root 1 + rows 0 and 3: 4 each + row 2: 3 (picky threw) = 12; row 1: its call and its model call; picky.
    assert.deepEqual(root.summary?.status_counts, { success: 12, error: 3 });

    const failedRow = predictions[1]!;
    assert.equal(failedRow.status, 'error');
    assert.match(failedRow.exception ?? '', /model exploded/);
    assert.equal(failedRow.output, null, 'no scores when the model threw');
    const failedKids = childrenOf(failedRow.id);
    assert.equal(failedKids.length, 1, 'no scorer runs when the model threw');
    assert.equal(failedKids[0]!.op_name, 'flakyModel');
    assert.equal(failedKids[0]!.status, 'error');

    const scorerFailed = predictions[2]!;
    assert.equal(scorerFailed.status, 'success');
    assert.deepEqual((scorerFailed.output as { scores: unknown }).scores, { exactMatch: true });
    const picky = childrenOf(scorerFailed.id).find((k) => k.op_name === 'pickyScorer')!;
    assert.equal(picky.status, 'error');
    assert.match(picky.exception ?? '', /TypeError: scorer exploded/);
    assert.deepEqual(scorerFailed.summary?.status_counts, { success: 3, error: 1 });

    // The documented queries: the predictions in row order, and the failed ones.
    const ordered = await all(
      client.getCalls({
        filter: { parent_ids: [root.id] },
        sortBy: [{ field: 'inputs.row_index', direction: 'asc' }],
      }),
    );
    assert.deepEqual(
      ordered.map((p) => p.inputs?.row_index),
      [0, 1, 2, 3],
    );
    const failed = await all(
      client.getCalls({
        filter: { parent_ids: [root.id] },
        query: { $eq: [{ $getField: 'status' }, { $literal: 'error' }] },
      }),
    );
    assert.deepEqual(
      failed.map((p) => p.id),
      [failedRow.id],
    );
  });
});
