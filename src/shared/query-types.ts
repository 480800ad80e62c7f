import type { ListFilterName } from './call-field-table.js';

/**
 * The call query language of the read API (Weave's `filter`, `query.$expr`, `sort_by`), shared by the
 * SDK's read side and the server.
 */

/** `$expr` operands and operators of the Weave query language. */
export type QueryOperand =
  | { $literal: unknown }
  | { $getField: string }
  | { $convert: { input: QueryOperand; to: 'int' | 'double' | 'bool' | 'string' } }
  | QueryOperation;

export type QueryOperation =
  | { $and: QueryOperand[] }
  | { $or: QueryOperand[] }
  | { $not: [QueryOperand] }
  | { $eq: [QueryOperand, QueryOperand] }
  | { $gt: [QueryOperand, QueryOperand] }
  | { $gte: [QueryOperand, QueryOperand] }
  | { $lt: [QueryOperand, QueryOperand] }
  | { $lte: [QueryOperand, QueryOperand] }
  | { $in: [QueryOperand, QueryOperand[]] }
  | { $contains: { input: QueryOperand; substr: QueryOperand; case_insensitive?: boolean } };

/** The list filters of the field table (`op_names`, `trace_ids`, ...) and `trace_roots_only`. */
export type CallsFilter = { [K in ListFilterName]?: string[] } & { trace_roots_only?: boolean };

export interface SortBy {
  /**
   * A top-level column (`started_at`, `ended_at`, `op_name`, `display_name`, `id`, `trace_id`, `status`,
   * `latency_ms`, ...) or a dotted path into `inputs`, `output`, `attributes`, `summary`.
   */
  field: string;
  direction: 'asc' | 'desc';
}
