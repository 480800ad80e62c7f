/**
 * Wire shapes of call records, following the Weave trace-server API (snake_case field names).
 * Shared by the SDK (which writes them) and the server (which validates and stores them).
 */

import { RECORD_FIELDS, type RecordFieldName } from './call-field-table.js';

/** A JSON object as sent on the wire. */
export type JsonObject = Record<string, unknown>;

/** The start half of a call (`StartedCallSchemaForInsert`). */
export interface StartedCall {
  project_id: string;
  id: string;
  trace_id: string;
  /** null for a trace root. */
  parent_id: string | null;
  op_name: string;
  display_name?: string | null;
  thread_id?: string | null;
  turn_id?: string | null;
  /** ISO-8601 UTC. */
  started_at: string;
  attributes: JsonObject;
  inputs: JsonObject;
  wb_user_id?: string | null;
  wb_run_id?: string | null;
  wb_run_step?: number | null;
}

/** The end half of a call (`EndedCallSchemaForInsert`); the v2 end also carries trace_id and started_at. */
export interface EndedCall {
  project_id: string;
  id: string;
  /** ISO-8601 UTC. */
  ended_at: string;
  exception?: string | null;
  output?: unknown;
  summary: CallSummary;
  trace_id?: string;
  started_at?: string;
  wb_run_step_end?: number | null;
}

/** Both halves in one record, as sent to `calls/complete`. */
export type CompleteCall = StartedCall & EndedCall;

/**
 * Token usage of one model. Extra provider-specific fields are kept as they come; numeric ones are
 * summed up the call tree.
 */
export interface ModelUsage {
  requests?: number;
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  input_tokens?: number;
  output_tokens?: number;
  /** Estimated cost in USD from the SDK's price table (`init({ prices })`), summed like the tokens. */
  cost_usd?: number;
  [field: string]: unknown;
}

export interface CallSummary {
  /** Token usage keyed by model name, summed over the call's subtree. */
  usage?: Record<string, ModelUsage>;
  /** Calls in the subtree (this call included) by outcome. */
  status_counts?: { success: number; error: number };
  [key: string]: unknown;
}

/** Derived status of a stored call. `missing_start`: an end arrived whose start never came. */
export type CallStatus = 'running' | 'success' | 'error' | 'missing_start';

/** A call as read back from the server. Fields of a half that never arrived are null. */
export interface CallRecord {
  project_id: string;
  id: string;
  trace_id: string | null;
  parent_id: string | null;
  op_name: string | null;
  display_name: string | null;
  thread_id: string | null;
  turn_id: string | null;
  started_at: string | null;
  ended_at: string | null;
  attributes: JsonObject | null;
  inputs: JsonObject | null;
  output: unknown;
  exception: string | null;
  summary: CallSummary | null;
  wb_user_id: string | null;
  wb_run_id: string | null;
  status: CallStatus;
}

/** The CallRecord fields, in output order (from the field table). */
export const CALL_RECORD_FIELDS: readonly RecordFieldName[] = RECORD_FIELDS;

// The table and the CallRecord type name the same fields (a compile error otherwise).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const recordFieldsMatch: Same<RecordFieldName, keyof CallRecord> = true;
void recordFieldsMatch;

/**
 * What a trace tree needs of each call (the UI's trace view asks for these; inputs and outputs are
 * read per selected call).
 */
export const TRACE_TREE_COLUMNS: readonly (keyof CallRecord)[] = [
  'id',
  'trace_id',
  'parent_id',
  'op_name',
  'display_name',
  'started_at',
  'ended_at',
  'summary',
];

/** Request bodies of the write endpoints. */
export interface CallsCompleteRequest {
  batch: CompleteCall[];
}
export interface CallStartRequest {
  start: StartedCall;
}
export interface CallEndRequest {
  end: EndedCall;
}
