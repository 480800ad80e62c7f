import type { CallRecord, CallSummary } from '../../shared/call-types.js';

/**
 * A call of trace `t` in project `a/b` for the UI's tree tests: started at `startS`, ended at `endS`
 * (epoch seconds; null: still running), op name = id, with `summary` when given.
 */
export function treeCall(
  id: string,
  parent: string | null,
  startS: number,
  endS: number | null,
  summary: CallSummary | null = null,
): CallRecord {
  return {
    project_id: 'a/b',
    id,
    trace_id: 't',
    parent_id: parent,
    op_name: id,
    display_name: null,
    thread_id: null,
    turn_id: null,
    started_at: new Date(startS * 1000).toISOString(),
    ended_at: endS === null ? null : new Date(endS * 1000).toISOString(),
    attributes: null,
    inputs: null,
    output: null,
    exception: null,
    summary,
    wb_user_id: null,
    wb_run_id: null,
    status: endS === null ? 'running' : 'success',
  };
}
