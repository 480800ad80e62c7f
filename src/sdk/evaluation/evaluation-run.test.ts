import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { InvalidOptionError } from '../../shared/errors.js';
import { op } from '../op.js';
import { all, readTree, useWeftServer } from './e2e-helpers.test-suite.js';
import { Dataset, Evaluation } from './index.js';

const server = useWeftServer('eval-run');

describe('Evaluation.evaluate: concurrency, trials, options', () => {
  test('at most `concurrency` rows are in flight (default 8)', async () => {
    const { client } = await server.freshClient();
    let inFlight = 0;
    let maxInFlight = 0;
    const slowModel = async function slowModel(row: { n: number }) {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      for (let i = 0; i < 1 + (row.n % 4); i++) await nextTurn();
      inFlight--;
      return row.n * 2;
    };
    function even({ output }: { output: number }) {
      return output % 4 === 0;
    }
    const many = Array.from({ length: 30 }, (_, n) => ({ n }));
    const evaluation = new Evaluation({ name: 'bounded', dataset: many, scorers: [even] });

    const measured: Record<string, number> = {};
    for (const concurrency of [3, undefined, 100, 1]) {
      maxInFlight = 0;
      const summary = await evaluation.evaluate({ model: slowModel, concurrency });
      assert.equal(summary.example_count, 30);
      assert.deepEqual(summary.scores.even, { true_fraction: 15 / 30, true_count: 15 });
      measured[String(concurrency)] = maxInFlight;
    }
    assert.deepEqual(measured, { '3': 3, undefined: 8, '100': 30, '1': 1 });

    await client.flush();
    const runs = await all(client.getCalls({ filter: { op_names: ['Evaluation.evaluate'] } }));
    assert.deepEqual(
      runs.map((r) => (r.inputs?.evaluation as { concurrency: number }).concurrency),
      [3, 8, 100, 1],
    );
  });

  test('trials > 1: one predict_and_score per row and trial; the summary is over all of them', async () => {
    const { client } = await server.freshClient();
    let calls = 0;
    // Every second call answers wrong: the summary is over rows x trials.
    function alternating(row: { q: string }) {
      return calls++ % 2 === 0 ? row.q : 'wrong';
    }
    function same({ q, output }: { q: string; output: string }) {
      return q === output;
    }
    const evaluation = new Evaluation({
      name: 'trials',
      dataset: new Dataset({ name: 'two', rows: [{ q: 'a' }, { q: 'b' }] }),
      scorers: [same],
    });
    const summary = await evaluation.evaluate({ model: alternating, trials: 3, concurrency: 1 });
    assert.deepEqual(summary.scores.same, { true_fraction: 0.5, true_count: 3 });
    assert.equal(summary.example_count, 6);

    const { root, predictions, childrenOf } = await readTree(client);
    assert.equal((root.inputs?.evaluation as { trials: number }).trials, 3);
    assert.deepEqual(
      predictions.map((p) => [
        (p.inputs as { trial: number }).trial,
        (p.inputs as { row_index: number }).row_index,
      ]),
      [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
        [2, 0],
        [2, 1],
      ],
    );
    // A plain model is wrapped as an op named after it, recorded with the row's fields.
    const model = childrenOf(predictions[0]!.id).find((k) => k.op_name === 'alternating');
    assert.deepEqual(model?.inputs, { q: 'a' });
    assert.deepEqual((root.inputs?.model as { name: string }).name, 'alternating');
  });

  test('an anonymous plain model is named `model`; an evaluation inside an op nests under it', async () => {
    const { client } = await server.freshClient();
    const pipeline = op(async function nightly() {
      return new Evaluation({ name: 'inner', dataset: [{ x: 1 }] }).evaluate({ model: (r: object) => r });
    });
    await pipeline();
    await client.flush();
    const [outer] = await all(client.getCalls({ filter: { op_names: ['nightly'] } }));
    const [root] = await all(client.getCalls({ filter: { op_names: ['Evaluation.evaluate'] } }));
    assert.equal(root?.parent_id, outer?.id);
    assert.deepEqual(root?.inputs?.model, { name: 'model' });
    const [model] = await all(client.getCalls({ filter: { op_names: ['model'] } }));
    assert.deepEqual(model?.inputs, { x: 1 });
  });

  test('invalid options: the constructor throws, evaluate() rejects, and nothing is recorded', async () => {
    const { client } = await server.freshClient();
    const model = (row: object) => row;
    const ok = new Evaluation({ dataset: [{ a: 1 }] });
    assert.equal(ok.name, 'evaluation');
    const rejects = (options: unknown, option: string) =>
      assert.rejects(
        ok.evaluate(options as Parameters<typeof ok.evaluate>[0]),
        (e: unknown) => e instanceof InvalidOptionError && e.option === option,
      );
    await rejects({ model, concurrency: 0 }, 'concurrency');
    await rejects({ model, concurrency: 1.5 }, 'concurrency');
    await rejects({ model, concurrency: '8' }, 'concurrency');
    await rejects({ model, trials: 0 }, 'trials');
    await rejects({ model: 'gpt-x' }, 'model');
    await rejects(null, 'options');

    const throws = (options: unknown, option: string) =>
      assert.throws(
        () => new Evaluation(options as ConstructorParameters<typeof Evaluation>[0]),
        (e: unknown) => e instanceof InvalidOptionError && e.option === option,
      );
    function dup() {
      return 1;
    }
    throws({ dataset: 'rows' }, 'dataset');
    throws({ dataset: [], name: '' }, 'name');
    throws({ dataset: [], scorers: 'exact' }, 'scorers');
    throws({ dataset: [], scorers: [() => 1] }, 'scorers[0]');
    throws({ dataset: [], scorers: [dup, 'x'] }, 'scorers[1]');
    throws({ dataset: [], scorers: [dup, op(dup)] }, 'scorers[1]');
    throws({ dataset: [1, 2] }, 'rows[0]');

    await client.flush();
    assert.equal((await all(client.getCalls())).length, 0);
  });
});
