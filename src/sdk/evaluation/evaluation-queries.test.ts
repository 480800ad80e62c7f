import assert from 'node:assert/strict';
import { test } from 'node:test';
import { op } from '../op.js';
import { all, useWeftServer } from './e2e-helpers.test-suite.js';
import { Dataset, Evaluation, EvaluationLogger } from './index.js';

const server = useWeftServer('eval-queries');

test("the documented queries list a project's evaluations (Evaluation and EvaluationLogger alike)", async () => {
  const { client } = await server.freshClient();
  const dataset = new Dataset({ name: 'qa-v1', rows: [{ question: 'q', expected: 'a' }] });
  const model = op(function echo(row: { expected: string }) {
    return row.expected;
  });
  await new Evaluation({ name: 'first', dataset, scorers: [] }).evaluate({ model });
  const second = new EvaluationLogger({ name: 'second', model: 'gpt-x', dataset });
  second.logPrediction({ question: 'q' }, 'a').finish();
  const third = new EvaluationLogger({ name: 'third', dataset: 'qa-v2' });
  await new Evaluation({ name: 'fourth', dataset: [{ x: 1 }] }).evaluate({ model: (r: object) => r });
  await second.logSummary();
  await client.flush();

  // As in docs/evaluations.md: newest first; a running one has no output yet.
  const listed: string[] = [];
  for await (const e of client.getCalls({
    filter: { op_names: ['Evaluation.evaluate'] },
    sortBy: [{ field: 'started_at', direction: 'desc' }],
    columns: ['display_name', 'started_at', 'ended_at', 'inputs', 'output'],
  })) {
    listed.push(`${e.display_name} ${e.status} ${e.output === null ? 'no-output' : 'summary'}`);
  }
  assert.deepEqual(listed, [
    'fourth success summary',
    'third running no-output',
    'second success summary',
    'first success summary',
  ]);

  // The runs of one evaluation on one exact dataset.
  const runsOf = async (name: string) =>
    (
      await all(
        client.getCalls({
          filter: { op_names: ['Evaluation.evaluate'] },
          query: {
            $and: [
              { $eq: [{ $getField: 'inputs.evaluation.name' }, { $literal: name }] },
              { $eq: [{ $getField: 'inputs.evaluation.dataset.digest' }, { $literal: dataset.digest }] },
            ],
          },
        }),
      )
    ).map((r) => r.display_name);
  assert.deepEqual(await runsOf('first'), ['first']);
  assert.deepEqual(await runsOf('second'), ['second']);
  assert.deepEqual(await runsOf('third'), []);

  // Every call of the evaluations carries the evaluation attributes.
  const secondCalls = await all(
    client.getCalls({
      query: { $eq: [{ $getField: 'attributes.weft.evaluation_name' }, { $literal: 'second' }] },
    }),
  );
  assert.deepEqual(secondCalls.map((c) => c.op_name).sort(), [
    'Evaluation.evaluate',
    'Evaluation.predict_and_score',
    'gpt-x',
  ]);
  await third.logSummary();
  await client.flush();
  assert.equal((await client.getCall(third.callId!))?.status, 'success');
});
