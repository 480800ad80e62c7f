/**
 * The two halves of a call as the pipeline carries them: already serialized to JSON once, at the
 * moment they were recorded, and kept open-ended (no closing brace on the start, no opening brace on
 * the end) so that pairing and batching only concatenate strings, never slice them.
 */

/** A call's start. `openJson` is the `StartedCall` object's JSON without its closing `}`. */
export interface StartHalf {
  id: string;
  traceId: string;
  /** ISO-8601 start time, needed when the end must go alone to `call/end`. */
  startedAt: string;
  openJson: string;
  /** Set by the pairing buffer: Date.now() when the start began to wait for its end (auto-eager). */
  heldSince?: number;
}

/**
 * A call's end. `fieldsJson` holds only the end's own fields (`ended_at`, `exception`, `output`,
 * `summary`) as JSON object members followed by the closing `}` (no opening `{`), so it can close
 * its start (a complete record) or follow its ids (a `call/end`).
 */
export interface EndHalf {
  projectId: string;
  id: string;
  traceId: string;
  startedAt: string;
  fieldsJson: string;
}

/** The whole start record. */
export function startRecord(start: StartHalf): string {
  return `${start.openJson}}`;
}

/** start + end -> one complete record `{...start, ...end}`. */
export function mergeHalves(start: StartHalf, end: EndHalf): string {
  return `${start.openJson},${end.fieldsJson}`;
}

/** An end sent on its own carries what locates it: project, id, trace_id and started_at (v2). */
export function standaloneEnd(end: EndHalf): string {
  return (
    `{"project_id":${JSON.stringify(end.projectId)},"id":${JSON.stringify(end.id)},` +
    `"trace_id":${JSON.stringify(end.traceId)},"started_at":${JSON.stringify(end.startedAt)},${end.fieldsJson}`
  );
}
