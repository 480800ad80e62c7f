/** weft: tracing for LLM apps, agents and evaluations. */
export { init } from './sdk/init.js';
export type { InitOptions } from './sdk/client-options.js';
export { WeftClient, type FlushOptions } from './sdk/client.js';
export { op, type Op, type OpOptions } from './sdk/op.js';
export { getCurrentCall, withAttributes, withThread } from './sdk/call-context.js';
export type { CallHandle } from './sdk/running-call.js';
export type { Feedback, FeedbackCreated, GetCallsOptions } from './sdk/trace-reader.js';
export type * from './shared/query-types.js';
export type { FlushReport } from './pipeline/flush-report.js';
export type { FinishOptions, PipelineStats } from './pipeline/call-pipeline.js';
export { PIPELINE_DEFAULTS, type PipelineOptions } from './pipeline/pipeline-defaults.js';
export type { WeftLogger } from './pipeline/rate-limited-logger.js';
export {
  AuthError,
  InvalidOptionError,
  NotFoundError,
  StoreError,
  TransportError,
  ValidationError,
  WeftError,
  type StoreErrorCode,
} from './shared/errors.js';
export type * from './shared/call-types.js';
export {
  Dataset,
  Evaluation,
  EVALUATION_DEFAULTS,
  EvaluationLogger,
  EVALUATION_LOGGER_DEFAULTS,
  ScoreLogger,
  EVALUATE_OP,
  PREDICT_AND_SCORE_OP,
  type DatasetOptions,
  type DatasetRef,
  type DatasetRow,
  type EvaluateOptions,
  type EvaluationOptions,
  type Model,
  type Scorer,
  type EvaluationLoggerOptions,
  type EvaluationRef,
  type ModelRef,
  type PredictAndScoreOutput,
  type BooleanAggregate,
  type EvaluationSummary,
  type LatencySummary,
  type MeanAggregate,
  type ObjectAggregate,
  type ScoreAggregate,
} from './sdk/evaluation/index.js';
export { wrapOpenAI } from './integrations/openai/wrap-openai.js';
export { wrapAnthropic } from './integrations/anthropic/wrap-anthropic.js';
export { MODEL_PRICES } from './integrations/prices.js';
export type { ModelPrice } from './sdk/client-options.js';
