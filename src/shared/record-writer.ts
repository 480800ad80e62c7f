/**
 * The one writer of call record text (the SDK's hot path: every call's start and end). Records are
 * written as text from pieces, in field-table order (src/shared/call-field-table.ts), each piece named
 * after the fields it writes and writing them whole: `"field":value`, its quotes opened and closed in
 * the piece. Values passed in as `…Json` are JSON text already; ids and ISO times need no escaping.
 *
 * A start half is `{` + its members with no closing brace; an end half is the end's members, each
 * after its comma, and the record's closing `}`, with no opening brace. So a start record is
 * `start + '}'`, a complete record `start + end`, and a standalone end `{` + its locating fields + end. Pieces are few and
 * large: the queue flattens each record into one string (see v8-fast-paths.ts), at a cost per piece.
 */

import { flatten } from './v8-fast-paths.js';

/** `,"name":"…"` for a string that is there; nothing for one that is absent (an optional member). */
function optionalMember(member: string, v: string | undefined): string {
  return v === undefined ? '' : `${member}${JSON.stringify(v)}`;
}

// ---- start half -------------------------------------------------------------------------------

/**
 * `{"project_id":"…"`: every record opens with its project (fixed per client: written once, and flat,
 * so that each record's flatten copies it as one piece).
 */
export function projectIdOpen(projectId: string): string {
  return flatten(`{"project_id":${JSON.stringify(projectId)}`);
}

/** `,"id":"…","trace_id":"…","parent_id":"…"` (`null` for a root). The ids are uuids. */
export function idTraceIdParentIdMembers(id: string, traceId: string, parentId: string | undefined): string {
  return parentId === undefined
    ? `,"id":"${id}","trace_id":"${traceId}","parent_id":null`
    : `,"id":"${id}","trace_id":"${traceId}","parent_id":"${parentId}"`;
}

/**
 * `,"op_name":…` then `,"display_name":…`, `,"thread_id":…` and `,"turn_id":…`, each only when it has
 * a value: the wire makes them optional and absent reads as null (~50 bytes a record less to queue,
 * copy, gzip and send). The same for every call of an op outside a thread with a fixed display name
 * (`OpMeta.fixedOpNameMembers`).
 */
export function opNameMembers(
  opName: string,
  displayName: string | undefined,
  threadId: string | undefined,
  turnId: string | undefined,
): string {
  return (
    `,"op_name":${JSON.stringify(opName)}` +
    optionalMember(',"display_name":', displayName) +
    optionalMember(',"thread_id":', threadId) +
    optionalMember(',"turn_id":', turnId)
  );
}

/**
 * `,"started_at":"…","attributes":…,"inputs":…`: the start half's last members (no closing brace).
 * No attributes is `{}`.
 */
export function startedAtAttributesInputsMembers(
  startedAt: string,
  attributesJson: string | undefined,
  inputsJson: string,
): string {
  return attributesJson === undefined
    ? `,"started_at":"${startedAt}","attributes":{},"inputs":${inputsJson}`
    : `,"started_at":"${startedAt}","attributes":${attributesJson},"inputs":${inputsJson}`;
}

// ---- end half ---------------------------------------------------------------------------------

/**
 * `,"ended_at":"…","output":…` and, for a call that threw, `,"exception":…`: the end half's first
 * members (no opening brace). A call that returned has no `exception` member (optional on the wire).
 */
export function endedAtOutputExceptionMembers(
  endedAt: string,
  outputJson: string,
  exception: string | undefined,
): string {
  return exception === undefined
    ? `,"ended_at":"${endedAt}","output":${outputJson}`
    : `,"ended_at":"${endedAt}","output":${outputJson},"exception":${JSON.stringify(exception)}`;
}

const LEAF_ERROR_SUMMARY_CLOSE = ',"summary":{"status_counts":{"success":0,"error":1}}}';
/** The summary of a subtree of up to 64 calls that all succeeded and reported no usage, made once. */
const SUCCESS_SUMMARY_CLOSE = Array.from({ length: 65 }, (_, n) =>
  flatten(`,"summary":{"status_counts":{"success":${n},"error":0}}}`),
);

/**
 * `,"summary":{…}}`: status counts over the call's subtree and, when some call in it reported usage,
 * the usage; then the record's closing brace. A leaf call's is a constant.
 */
export function summaryMemberClose(success: number, error: number, usageJson: string | undefined): string {
  if (usageJson === undefined) {
    if (error === 0 && success < SUCCESS_SUMMARY_CLOSE.length) return SUCCESS_SUMMARY_CLOSE[success]!;
    if (success + error === 1) return LEAF_ERROR_SUMMARY_CLOSE;
  }
  const counts = `,"summary":{"status_counts":{"success":${success},"error":${error}}`;
  return usageJson === undefined ? `${counts}}}` : `${counts},"usage":${usageJson}}}`;
}

// ---- records ----------------------------------------------------------------------------------

/** The start record (`call/start`) of a start half. */
export function startRecord(startJson: string): string {
  return `${startJson}}`;
}

/** The complete record `{...start, ...end}` of a start half and an end half. */
export function completeRecord(startJson: string, endJson: string): string {
  return startJson + endJson;
}

/**
 * The record of an end sent on its own (`call/end`): the fields that locate it (project, id, and as
 * v2 ends carry them, trace_id and started_at), then the end half.
 */
export function standaloneEndRecord(
  projectId: string,
  id: string,
  traceId: string,
  startedAt: string,
  endJson: string,
): string {
  return (
    `{"project_id":${JSON.stringify(projectId)},"id":${JSON.stringify(id)},` +
    `"trace_id":${JSON.stringify(traceId)},"started_at":${JSON.stringify(startedAt)}${endJson}`
  );
}

// ---- batches ----------------------------------------------------------------------------------

/** `{"batch":[` and `]}` around the comma-separated records of a batch (ASCII: one byte a character). */
export const BATCH_OPEN = '{"batch":[';
export const BATCH_CLOSE = ']}';
