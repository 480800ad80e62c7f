/**
 * The two halves of a call as the pipeline carries them: already serialized to JSON once, at the
 * moment they were recorded, and kept open-ended (no closing brace on the start, no opening brace on
 * the end) so that pairing and batching only concatenate strings, never slice them.
 */
import { standaloneEndRecord } from '../shared/record-writer.js';

/**
 * Where a start is in the pairing buffer: `new` (not offered yet), `held` (waiting for its end),
 * `sent` (sent on its own: eager, auto-eager, overflow or finish, so its end must go alone too),
 * `paired` (merged with its end into a complete record).
 */
export type StartState = 'new' | 'held' | 'sent' | 'paired';

/**
 * A call's start. `openJson` is the `StartedCall` object's JSON without its closing `}`. The pairing
 * buffer keeps held starts in an intrusive list (`state`, `prev`, `next`), so an end that carries its
 * start pairs without any lookup: the SDK's running call is itself a StartHalf.
 */
export interface StartHalf {
  readonly id: string;
  readonly traceId: string;
  /** ISO-8601 start time, needed when the end must go alone to `call/end`. */
  readonly startedAt: string;
  /** The start time in microseconds since the epoch (auto-eager ages starts by it). */
  readonly startedUs: number;
  openJson: string;
  state: StartState;
  prev: StartHalf | undefined;
  next: StartHalf | undefined;
}

/**
 * A call's end. `fieldsJson` holds only the end's own fields (`ended_at`, `exception`, `output`,
 * `summary`) as JSON object members, each after its comma, then the closing `}` (no opening `{`), so it can close
 * its start (a complete record) or follow its ids (a `call/end`).
 */
export interface EndHalf {
  projectId: string;
  id: string;
  traceId: string;
  startedAt: string;
  fieldsJson: string;
}

/** A start half with nothing linked yet. */
export function newStartHalf(
  id: string,
  traceId: string,
  startedAt: string,
  startedUs: number,
  openJson: string,
): StartHalf {
  return { id, traceId, startedAt, startedUs, openJson, state: 'new', prev: undefined, next: undefined };
}

/** An end sent on its own carries what locates it: project, id, trace_id and started_at (v2). */
export function standaloneEnd(end: EndHalf): string {
  return standaloneEndRecord(end.projectId, end.id, end.traceId, end.startedAt, end.fieldsJson);
}
