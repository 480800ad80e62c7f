import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CallRecord } from '../../shared/call-types.js';
import {
  compareExamples,
  flattenAggregates,
  readEvaluation,
  readExample,
  scoreKeys,
  scoreNumber,
  sortExamples,
} from './evaluation-shape.js';

function call(fields: Partial<CallRecord>): CallRecord {
  return {
    project_id: 'a/b',
    id: 'c',
    trace_id: 't',
    parent_id: null,
    op_name: 'Evaluation.evaluate',
    display_name: null,
    thread_id: null,
    turn_id: null,
    started_at: '2026-01-01T00:00:00.000Z',
    ended_at: '2026-01-01T00:00:05.000Z',
    attributes: null,
    inputs: null,
    output: null,
    exception: null,
    summary: null,
    wb_user_id: null,
    wb_run_id: null,
    status: 'success',
    ...fields,
  };
}

test('reads an evaluation root: name, model, dataset, scorers and summary', () => {
  const info = readEvaluation(
    call({
      inputs: {
        evaluation: {
          name: 'qa',
          scorers: ['exact', 'judge'],
          dataset: { name: 'capitals', row_count: 3 },
          trials: 2,
        },
        model: { name: 'gpt-x' },
      },
      output: {
        scores: { exact: { true_fraction: 0.5, true_count: 3 }, judge: { relevance: { mean: 0.8 } } },
        example_count: 6,
        error_count: 1,
        model_latency_ms: { mean: 10, p50: 9, p95: 20 },
      },
    }),
  );
  assert.equal(info.name, 'qa');
  assert.equal(info.model, 'gpt-x');
  assert.deepEqual(info.dataset, { name: 'capitals', rowCount: 3 });
  assert.deepEqual(info.scorers, ['exact', 'judge']);
  assert.equal(info.trials, 2);
  assert.equal(info.summary?.exampleCount, 6);
  assert.deepEqual(info.summary?.latency, { mean: 10, p50: 9, p95: 20 });
  assert.deepEqual(flattenAggregates(info.summary?.scores ?? {}), [
    { key: 'exact', kind: 'fraction', value: 0.5, trueCount: 3 },
    { key: 'judge.relevance', kind: 'mean', value: 0.8 },
  ]);
});

test('a running evaluation has no summary; missing inputs give placeholders', () => {
  const info = readEvaluation(call({ status: 'running', ended_at: null, display_name: 'nightly' }));
  assert.equal(info.summary, null);
  assert.equal(info.name, 'nightly');
  assert.equal(info.model, 'model');
  assert.equal(info.dataset, null);
});

test('examples: flattened scores, failed examples have none; comparison pairs by row and trial', () => {
  const ex = (
    id: string,
    row: number,
    trial: number,
    scores: unknown,
    status: CallRecord['status'] = 'success',
  ) =>
    readExample(
      call({
        id,
        op_name: 'Evaluation.predict_and_score',
        status,
        inputs: { example: { q: `q${row}` }, row_index: row, trial },
        output: status === 'success' ? { output: `a${row}`, scores, model_latency_ms: 5 } : null,
      }),
    );
  const a = [ex('a1', 1, 0, { exact: true, judge: { relevance: 0.5 } }), ex('a0', 0, 0, { exact: false })];
  const b = [ex('b0', 0, 0, { exact: true }), ex('b2', 2, 0, null, 'error')];
  assert.deepEqual(a[0]?.scores, { exact: true, 'judge.relevance': 0.5 });
  assert.deepEqual(b[1]?.scores, {});
  assert.deepEqual(
    sortExamples(a).map((e) => e.callId),
    ['a0', 'a1'],
  );
  const rows = compareExamples(a, b);
  assert.deepEqual(
    rows.map((r) => [r.key, r.a?.callId, r.b?.callId]),
    [
      ['0:0', 'a0', 'b0'],
      ['1:0', 'a1', undefined],
      ['2:0', undefined, 'b2'],
    ],
  );
  assert.deepEqual(scoreKeys([...a, ...b]), ['exact', 'judge.relevance']);
  assert.equal(scoreNumber(true), 1);
  assert.equal(scoreNumber('x'), null);
});
