/**
 * The two halves of a call as the pipeline carries them: already serialized to JSON once, at the
 * moment they were recorded, so pairing and batching only concatenate strings.
 */

/** A call's start. `json` is the whole `StartedCall` object. */
export interface StartHalf {
  id: string;
  traceId: string;
  /** ISO-8601 start time, needed when the end must go alone to `call/end`. */
  startedAt: string;
  json: string;
  /** Set by the pairing buffer: Date.now() when the start began to wait for its end (auto-eager). */
  heldSince?: number;
}

/**
 * A call's end. `json` holds only the end's own fields (`ended_at`, `exception`, `output`, `summary`),
 * so it can be merged into its start (a complete record) or prefixed with its ids (a `call/end`).
 */
export interface EndHalf {
  projectId: string;
  id: string;
  traceId: string;
  startedAt: string;
  json: string;
}

/** start `{...}` + end `{...}` -> one complete record `{...start, ...end}`. */
export function mergeHalves(start: StartHalf, end: EndHalf): string {
  return end.json.length > 2 ? `${start.json.slice(0, -1)},${end.json.slice(1)}` : start.json;
}

/** An end sent on its own carries what locates it: project, id, trace_id and started_at (v2). */
export function standaloneEnd(end: EndHalf): string {
  const head =
    `{"project_id":${JSON.stringify(end.projectId)},"id":${JSON.stringify(end.id)},` +
    `"trace_id":${JSON.stringify(end.traceId)},"started_at":${JSON.stringify(end.startedAt)}`;
  return end.json.length > 2 ? `${head},${end.json.slice(1)}` : `${head}}`;
}
