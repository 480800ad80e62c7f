import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as weft from '../src/index.js';

/**
 * The package's runtime exports, spelled out: `src/index.ts` lists each one by name, so an internal
 * helper (such as `describeValue`) cannot leak through an `export *`. A new public name is added here
 * on purpose, in the same change that documents it.
 */
const PUBLIC = [
  'AuthError',
  'Dataset',
  'EVALUATE_OP',
  'EVALUATION_DEFAULTS',
  'EVALUATION_LOGGER_DEFAULTS',
  'Evaluation',
  'EvaluationLogger',
  'InvalidOptionError',
  'MODEL_PRICES',
  'NotFoundError',
  'PIPELINE_DEFAULTS',
  'PREDICT_AND_SCORE_OP',
  'ScoreLogger',
  'StoreError',
  'TransportError',
  'ValidationError',
  'WeftClient',
  'WeftError',
  'getCurrentCall',
  'init',
  'op',
  'withAttributes',
  'withThread',
  'wrapAnthropic',
  'wrapOpenAI',
];

test('the package exports exactly its public API', () => {
  assert.deepEqual(Object.keys(weft).sort(), [...PUBLIC].sort());
});

test('errors form one hierarchy under WeftError, each with a stable code', () => {
  const store = new weft.StoreError('the store is closed', 'STORE_CLOSED');
  assert.ok(store instanceof weft.WeftError);
  assert.equal(store.code, 'STORE_CLOSED');
  assert.equal(store.name, 'StoreError');
  const invalid = new weft.InvalidOptionError('maxBatchSize', -1, 'a positive integer');
  assert.ok(invalid instanceof weft.WeftError);
  assert.equal(invalid.code, 'INVALID_OPTION');
  assert.match(invalid.message, /maxBatchSize=-1/);
});
