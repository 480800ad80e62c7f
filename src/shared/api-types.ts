import type { JsonObject } from './call-types.js';

/**
 * Shapes of the trace server's read API answers beyond calls, shared by the server's stores, the SDK
 * and the web UI (one declaration each: the UI does not restate what the store returns).
 */

/** A feedback item to store (`/feedback/create`). */
export interface FeedbackCreate {
  project_id: string;
  /** `weave:///{entity}/{project}/call/{id}` */
  weave_ref: string;
  feedback_type: string;
  payload: JsonObject;
  creator?: string | null;
  wb_user_id?: string | null;
}

/** A stored feedback item (`/feedback/query` rows). */
export interface FeedbackRecord extends FeedbackCreate {
  id: string;
  created_at: string;
}

/** A row of `GET /api/projects`. */
export interface ProjectSummary {
  project_id: string;
  call_count: number;
  /** ISO time of the latest start or end seen in the project. */
  last_activity: string | null;
}

/**
 * What a call's JSON field (`inputs`, `output`, `attributes`, `summary`) holds in a query answer when
 * its value is larger than the query's `truncate_values_over` (always set by `/calls/query`, the UI's
 * calls page): the size of the stored JSON text and its first characters. `/call/read` returns the
 * full value.
 */
export interface TruncatedValue {
  _weft_truncated: true;
  /** Bytes of the value's JSON text. */
  bytes: number;
  /** The first characters of the value's JSON text (not valid JSON by itself). */
  preview: string;
}

/** Whether a value read from a query answer is a {@link TruncatedValue} marker. */
export function isTruncatedValue(value: unknown): value is TruncatedValue {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { _weft_truncated?: unknown })._weft_truncated === true &&
    typeof (value as { bytes?: unknown }).bytes === 'number'
  );
}

/** The smallest `truncate_values_over` a query may ask for. */
export const MIN_TRUNCATE_BYTES = 256;

/** Characters of a truncated value kept as its preview: a quarter of the cap, at most 1 000. */
export function previewChars(truncateOver: number): number {
  return Math.min(1000, Math.floor(truncateOver / 4));
}
