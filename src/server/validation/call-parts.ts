import type {
  CallSummary,
  CompleteCall,
  EndedCall,
  JsonObject,
  StartedCall,
} from '../../shared/call-types.js';
import type { CallPart } from '../../store/trace-store.js';
import { FieldReader, kindOf } from './field-reader.js';
import { checkJsonValue } from './json-value.js';
import { END_FIELDS, START_FIELDS } from '../../shared/call-field-table.js';
import { readProjectId } from './project-id.js';

/** Token counters whose type the server checks; other counters in `summary.usage` are kept as sent. */
const USAGE_COUNTERS = [
  'requests',
  'prompt_tokens',
  'completion_tokens',
  'total_tokens',
  'input_tokens',
  'output_tokens',
] as const;

/**
 * Validates the start half of a call at `path` (e.g. `start`, `batch[3]`) and returns a normalised copy
 * (only known fields). `fromPath` is the project of a v2 URL.
 */
export function parseStartedCall(
  value: unknown,
  path: string,
  fromPath?: string,
): CallPart & { kind: 'start' } {
  const r = FieldReader.of(value, path);
  const { call, startedAtUs } = readStartHalf(r, fromPath);
  return { kind: 'start', call, startedAtUs };
}

/** Validates the end half of a call (`trace_id` and `started_at` optional, as the v2 end carries them). */
export function parseEndedCall(value: unknown, path: string, fromPath?: string): CallPart & { kind: 'end' } {
  const r = FieldReader.of(value, path);
  const project_id = readProjectId(r, fromPath);
  const id = r.string('id');
  const { call, endedAtUs, startedAt } = readEndHalf(r, project_id, id);
  const traceId = r.optionalString('trace_id');
  const ended: EndedCall = call; // freshly built by readEndHalf: no copy needed
  if (traceId !== undefined) ended.trace_id = traceId;
  if (startedAt) ended.started_at = startedAt.iso;
  return startedAt
    ? { kind: 'end', call: ended, endedAtUs, startedAtUs: startedAt.us }
    : { kind: 'end', call: ended, endedAtUs };
}

/** Validates a complete call (both halves in one record, as sent to `calls/complete`). */
export function parseCompleteCall(
  value: unknown,
  path: string,
  fromPath?: string,
): CallPart & { kind: 'complete' } {
  const r = FieldReader.of(value, path);
  const start = readStartHalf(r, fromPath);
  const end = readEndHalf(r, start.call.project_id, start.call.id);
  // Object.assign rather than a spread: the spread of two 10-field objects cost ~4 µs per record
  // (a third of HTTP ingest time, bench/server-parse.ts); both halves are fresh objects.
  const call: CompleteCall = Object.assign(start.call, end.call);
  return { kind: 'complete', call, startedAtUs: start.startedAtUs, endedAtUs: end.endedAtUs };
}

type HalfField = (typeof START_FIELDS)[number] | (typeof END_FIELDS)[number];

/** The helpers a half reader calls for the wire types that need more than one FieldReader call. */
interface WireHelpers {
  storedObject: typeof storedObject;
  readSummary: typeof readSummary;
  checkJsonValue: typeof checkJsonValue;
}

type HalfReader = (
  r: FieldReader,
  projectId: string,
  id: string,
  micros: Record<string, number>,
  h: WireHelpers,
) => Record<string, unknown>;

/**
 * A reader of a half's fields, generated from the field table: straight-line code that builds the
 * half as one object literal, each field read by its wire type in table order (`any` fields, kept
 * absent when absent, are added after). As fast as hand-written code: a loop over the table adding
 * fields one by one cost 1.7–2× as much per record (bench/server-parse.ts: hidden-class transitions
 * and keyed stores). Field names come from the table (constants), quoted with JSON.stringify.
 */
function halfReader(fields: readonly HalfField[]): HalfReader {
  const props = ['project_id: projectId', 'id: id'];
  const after: string[] = [];
  for (const f of fields) {
    const key = JSON.stringify(f.name);
    const read = {
      time: `(t = r.time(${key}), micros[${key}] = t.us, t.iso)`,
      id: `r.string(${key})`,
      parentId: `r.nullableString(${key}) || null`,
      nullableString: `r.nullableString(${key})`,
      integer: `r.optionalInteger(${key}, 0) ?? null`,
      object: `h.storedObject(r, ${key})`,
      summary: `h.readSummary(r, ${key})`,
      any: undefined,
    }[f.wire];
    if (read !== undefined) props.push(`${key}: ${read}`);
    else
      after.push(
        `v = r.any(${key}); h.checkJsonValue(v, r.at(${key})); if (v !== undefined) call[${key}] = v;`,
      );
  }
  const body = `let t, v;\nconst call = {\n  ${props.join(',\n  ')}\n};\n${after.join('\n')}\nreturn call;`;
  // Generated from the constant field table (see above), never from request data.
  return new Function('r', 'projectId', 'id', 'micros', 'h', body) as HalfReader;
}

const HELPERS: WireHelpers = { storedObject, readSummary, checkJsonValue };
const readStart = halfReader(START_FIELDS);
const readEnd = halfReader(END_FIELDS);

function readStartHalf(
  r: FieldReader,
  fromPath: string | undefined,
): { call: StartedCall; startedAtUs: number } {
  const project_id = readProjectId(r, fromPath);
  const micros: Record<string, number> = {};
  const call = readStart(r, project_id, r.string('id'), micros, HELPERS);
  return { call: call as unknown as StartedCall, startedAtUs: micros.started_at! };
}

function readEndHalf(
  r: FieldReader,
  project_id: string,
  id: string,
): { call: EndedCall; endedAtUs: number; startedAt: { iso: string; us: number } | undefined } {
  const micros: Record<string, number> = {};
  const call = readEnd(r, project_id, id, micros, HELPERS);
  // A v2 end may also carry the start's time (read here, set by the caller).
  const startedAt = r.optionalTime('started_at');
  return { call: call as unknown as EndedCall, endedAtUs: micros.ended_at!, startedAt };
}

/** An object field that is stored as JSON: `{}` when absent, checked by {@link checkJsonValue}. */
function storedObject(r: FieldReader, key: string): JsonObject {
  const value = r.objectOrEmpty(key);
  checkJsonValue(value, r.at(key));
  return value;
}

function readSummary(r: FieldReader, key: string): CallSummary {
  const summary: CallSummary = { ...storedObject(r, key) };
  const path = r.at(key);
  const s = FieldReader.of(summary, path);
  if (s.has('usage')) {
    const usage = s.child('usage');
    // No prototype, so that a model named `__proto__` is stored as a key, not set as the prototype.
    const cleaned: NonNullable<CallSummary['usage']> = Object.create(null) as NonNullable<
      CallSummary['usage']
    >;
    for (const [model, counters] of Object.entries(usage.value)) {
      if (counters === null || counters === undefined) continue;
      const c = FieldReader.of(counters, usage.at(model));
      const copy: Record<string, unknown> = { ...c.value };
      for (const name of USAGE_COUNTERS) {
        const v = copy[name];
        if (v === null) delete copy[name];
        else if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) {
          c.fail(name, `expected a number, got ${kindOf(v)}`);
        }
      }
      cleaned[model] = copy as NonNullable<CallSummary['usage']>[string];
    }
    summary.usage = cleaned;
  } else {
    delete summary.usage;
  }
  if (s.has('status_counts')) {
    const sc = s.child('status_counts');
    for (const key of ['success', 'error']) sc.optionalInteger(key, 0);
  } else if (summary.status_counts === null) {
    delete summary.status_counts;
  }
  return summary;
}
