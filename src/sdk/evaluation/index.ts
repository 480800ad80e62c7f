/** Evaluations: Dataset, Evaluation (run a model over a dataset) and EvaluationLogger (log as you go). */
export { Dataset, type DatasetOptions, type DatasetRef, type DatasetRow } from './dataset.js';
export {
  Evaluation,
  EVALUATION_DEFAULTS,
  type EvaluateOptions,
  type EvaluationOptions,
  type Model,
  type Scorer,
} from './evaluation.js';
export {
  EvaluationLogger,
  EVALUATION_LOGGER_DEFAULTS,
  type EvaluationLoggerOptions,
} from './evaluation-logger.js';
export { ScoreLogger } from './score-logger.js';
export {
  EVALUATE_OP,
  PREDICT_AND_SCORE_OP,
  type EvaluationRef,
  type ModelRef,
  type PredictAndScoreOutput,
} from './call-shape.js';
export type {
  BooleanAggregate,
  EvaluationSummary,
  LatencySummary,
  MeanAggregate,
  ObjectAggregate,
  ScoreAggregate,
} from './summary.js';
