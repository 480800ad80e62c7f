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

function readStartHalf(
  r: FieldReader,
  fromPath: string | undefined,
): { call: StartedCall; startedAtUs: number } {
  const project_id = readProjectId(r, fromPath);
  const id = r.string('id');
  const trace_id = r.string('trace_id');
  const parent_id = r.nullableString('parent_id') || null;
  const op_name = r.string('op_name');
  const started = r.time('started_at');
  const call: StartedCall = {
    project_id,
    id,
    trace_id,
    parent_id,
    op_name,
    display_name: r.nullableString('display_name'),
    thread_id: r.nullableString('thread_id'),
    turn_id: r.nullableString('turn_id'),
    started_at: started.iso,
    attributes: storedObject(r, 'attributes'),
    inputs: storedObject(r, 'inputs'),
    wb_user_id: r.nullableString('wb_user_id'),
    wb_run_id: r.nullableString('wb_run_id'),
    wb_run_step: r.optionalInteger('wb_run_step', 0) ?? null,
  };
  return { call, startedAtUs: started.us };
}

function readEndHalf(
  r: FieldReader,
  project_id: string,
  id: string,
): { call: EndedCall; endedAtUs: number; startedAt: { iso: string; us: number } | undefined } {
  const ended = r.time('ended_at');
  const startedAt = r.optionalTime('started_at');
  const call: EndedCall = {
    project_id,
    id,
    ended_at: ended.iso,
    exception: r.nullableString('exception'),
    summary: readSummary(r),
    wb_run_step_end: r.optionalInteger('wb_run_step_end', 0) ?? null,
  };
  const output = r.any('output');
  checkJsonValue(output, r.at('output'));
  if (output !== undefined) call.output = output;
  return { call, endedAtUs: ended.us, startedAt };
}

/** An object field that is stored as JSON: `{}` when absent, checked by {@link checkJsonValue}. */
function storedObject(r: FieldReader, key: string): JsonObject {
  const value = r.objectOrEmpty(key);
  checkJsonValue(value, r.at(key));
  return value;
}

function readSummary(r: FieldReader): CallSummary {
  const summary: CallSummary = { ...storedObject(r, 'summary') };
  const path = r.at('summary');
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
