import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { aggregateScores, snapshotScore, summarize, type PredictionOutcome } from './summary.js';

describe('aggregateScores', () => {
  test('numbers aggregate to their mean; missing values are skipped', () => {
    assert.deepEqual(aggregateScores([1, 2, 3, 6]), { mean: 3 });
    assert.deepEqual(aggregateScores([0.5, undefined, 1.5]), { mean: 1 });
  });

  test('booleans aggregate to true_count and true_fraction over the values present', () => {
    assert.deepEqual(aggregateScores([true, false, true, true]), { true_count: 3, true_fraction: 0.75 });
    assert.deepEqual(aggregateScores([true, undefined, false]), { true_count: 1, true_fraction: 0.5 });
    assert.deepEqual(aggregateScores([false, false]), { true_count: 0, true_fraction: 0 });
  });

  test('a mix of numbers and booleans averages booleans as 1/0', () => {
    assert.deepEqual(aggregateScores([true, 0, 0.5, false]), { mean: 0.375 });
  });

  test('objects aggregate field by field, recursively, over the objects that have the field', () => {
    const agg = aggregateScores([
      { correct: true, similarity: 0.5, detail: { tokens: 10, exact: true } },
      { correct: false, similarity: 1, detail: { tokens: 20, exact: false } },
      { correct: true, detail: { tokens: 30 } },
    ]);
    assert.deepEqual(agg, {
      correct: { true_count: 2, true_fraction: 2 / 3 },
      similarity: { mean: 0.75 },
      detail: { tokens: { mean: 20 }, exact: { true_count: 1, true_fraction: 0.5 } },
    });
  });

  test('nothing aggregable gives undefined; mixed kinds are left out', () => {
    assert.equal(aggregateScores([]), undefined);
    assert.equal(aggregateScores([undefined, undefined]), undefined);
    assert.equal(aggregateScores([1, { a: 1 }]), undefined);
    assert.deepEqual(
      aggregateScores([
        { a: 1, b: {} },
        { a: 3, b: {} },
      ]),
      { a: { mean: 2 } },
    );
  });
});

describe('snapshotScore', () => {
  test('keeps booleans, finite numbers and plain objects of them; drops the rest', () => {
    assert.equal(snapshotScore(true), true);
    assert.equal(snapshotScore(0.25), 0.25);
    assert.equal(snapshotScore(Number.NaN), undefined);
    assert.equal(snapshotScore(Infinity), undefined);
    assert.equal(snapshotScore('yes'), undefined);
    assert.equal(snapshotScore(null), undefined);
    assert.equal(snapshotScore([1, 2]), undefined);
    assert.equal(snapshotScore(new Date()), undefined);
    assert.deepEqual(snapshotScore({ a: 1, b: 'x', c: { d: false, e: [1] } }), { a: 1, c: { d: false } });
  });

  test('never throws on hostile values, and copies (later mutation does not count)', () => {
    const hostile = {
      ok: 1,
      get bad(): number {
        throw new Error('getter');
      },
    };
    assert.deepEqual(snapshotScore(hostile), { ok: 1 });
    const proxy = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('trap');
        },
      },
    );
    assert.equal(snapshotScore(proxy), undefined);
    const cyclic: Record<string, unknown> = { n: 1 };
    cyclic.self = cyclic;
    assert.equal((snapshotScore(cyclic) as Record<string, unknown>).n, 1);
    const score = { n: 1 };
    const snap = snapshotScore(score);
    score.n = 100;
    assert.deepEqual(snap, { n: 1 });
  });

  test('a field named __proto__ is kept as data', () => {
    const v = JSON.parse('{"__proto__": 1, "x": 2}') as unknown;
    const snap = snapshotScore(v) as Record<string, unknown>;
    assert.deepEqual(Object.keys(snap), ['__proto__', 'x']);
    assert.equal(Object.getPrototypeOf(snap), Object.prototype);
  });
});

describe('summarize', () => {
  const outcome = (
    scores: PredictionOutcome['scores'],
    modelLatencyMs?: number,
    errors = 0,
  ): PredictionOutcome =>
    modelLatencyMs === undefined ? { scores, errors } : { scores, modelLatencyMs, errors };

  test('scores per scorer (in scorer order), example_count, error_count and model latency in ms', () => {
    const summary = summarize(
      [
        outcome({ exact: true, f1: 0.5 }, 10),
        outcome({ exact: false, f1: 1 }, 30),
        outcome({ f1: 0 }, 20, 1), // its `exact` scorer threw
        outcome({}, undefined, 1), // its model threw
      ],
      ['exact', 'f1'],
    );
    assert.deepEqual(Object.keys(summary), ['scores', 'example_count', 'error_count', 'model_latency_ms']);
    assert.deepEqual(Object.keys(summary.scores), ['exact', 'f1']);
    assert.deepEqual(summary.scores.exact, { true_count: 1, true_fraction: 0.5 });
    assert.deepEqual(summary.scores.f1, { mean: 0.5 });
    assert.equal(summary.example_count, 4);
    assert.equal(summary.error_count, 2);
    assert.deepEqual(summary.model_latency_ms, { mean: 20, p50: 20, p95: 29 });
  });

  test('score names not declared come in first-seen order; a scorer with nothing to aggregate is left out', () => {
    const summary = summarize([outcome({ b: 1, a: true }), outcome({ c: undefined, a: false })], ['never']);
    assert.deepEqual(summary, {
      scores: { b: { mean: 1 }, a: { true_count: 1, true_fraction: 0.5 } },
      example_count: 2,
      error_count: 0,
      model_latency_ms: null,
    });
  });

  test('no predictions: empty scores, zero counts, no latency', () => {
    assert.deepEqual(summarize([]), { scores: {}, example_count: 0, error_count: 0, model_latency_ms: null });
  });
});
