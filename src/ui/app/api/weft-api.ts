import type { CallRecord, JsonObject } from '../../../shared/call-types.js';
import type { FeedbackRecord, ProjectSummary } from '../../../shared/api-types.js';
import { getJson, postJson, postNdjson } from './api-client.js';

export type { FeedbackRecord, ProjectSummary };

/** The server's public read API, as the UI uses it. */

export async function listProjects(signal?: AbortSignal): Promise<ProjectSummary[]> {
  return (await getJson<{ projects: ProjectSummary[] }>('/api/projects', signal)).projects;
}

export async function listOpNames(projectId: string, signal?: AbortSignal): Promise<string[]> {
  return (await postJson<{ op_names: string[] }>('/api/op_names', { project_id: projectId }, signal))
    .op_names;
}

export interface CallsPage {
  calls: CallRecord[];
  next_cursor: string | null;
}

export async function queryCalls(body: JsonObject, signal?: AbortSignal): Promise<CallsPage> {
  return postJson<CallsPage>('/calls/query', body, signal);
}

/** A count of matching calls; past `limit` it stops counting (`atLeast`: there are more). */
export interface CallCount {
  count: number;
  atLeast: boolean;
}

/**
 * How many calls match (the page's filters, without sort or paging), counting at most `limit`: counting
 * a million rows costs the server far more than the page itself.
 */
export async function countCalls(body: JsonObject, limit: number, signal?: AbortSignal): Promise<CallCount> {
  const { project_id, filter, query } = body;
  const stats = { project_id, filter, query, limit: limit + 1 };
  const { count } = await postJson<{ count: number }>('/calls/query_stats', stats, signal);
  return count > limit ? { count: limit, atLeast: true } : { count, atLeast: false };
}

/** Every matching call, streamed (no page limit). */
export async function streamCalls(body: JsonObject, signal?: AbortSignal): Promise<CallRecord[]> {
  const calls: CallRecord[] = [];
  for await (const call of postNdjson<CallRecord>('/calls/stream_query', body, signal)) calls.push(call);
  return calls;
}

export async function readCall(
  projectId: string,
  id: string,
  signal?: AbortSignal,
): Promise<CallRecord | null> {
  return (await postJson<{ call: CallRecord | null }>('/call/read', { project_id: projectId, id }, signal))
    .call;
}

/** The `weave:///` ref feedback is attached to. */
export function callRef(projectId: string, callId: string): string {
  return `weave:///${projectId}/call/${callId}`;
}

export async function queryFeedback(
  projectId: string,
  callId: string,
  signal?: AbortSignal,
): Promise<FeedbackRecord[]> {
  const body = {
    project_id: projectId,
    query: { $expr: { $eq: [{ $getField: 'weave_ref' }, { $literal: callRef(projectId, callId) }] } },
    sort_by: [{ field: 'created_at', direction: 'asc' }],
  };
  return (await postJson<{ result: FeedbackRecord[] }>('/feedback/query', body, signal)).result;
}

export async function createFeedback(
  projectId: string,
  callId: string,
  feedbackType: string,
  payload: JsonObject,
): Promise<void> {
  await postJson('/feedback/create', {
    project_id: projectId,
    weave_ref: callRef(projectId, callId),
    feedback_type: feedbackType,
    payload,
  });
}
