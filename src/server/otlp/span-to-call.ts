import { costUsd, priceOf } from '../../integrations/model-usage.js';
import { microsToIso } from '../../shared/time.js';
import { isGenAiSpan, mapGenAi } from './genai-mapping.js';
import type { LlmMapping } from './llm-mapping.js';
import { isOpenInferenceSpan, mapOpenInference } from './openinference-mapping.js';
import type { Attributes, OtlpEvent, OtlpSpan } from './otlp-spans.js';

const SPAN_KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const STATUS_CODES = ['unset', 'ok', 'error'];
const STATUS_ERROR = 2;
/** No price overrides on the server: the SDK's built-in table (src/integrations/prices.ts). */
const NO_OVERRIDES = {};

/**
 * A span as a complete call in the `calls/complete` wire shape (validated afterwards by the same
 * `parseCompleteCall` as Weave-shaped writes):
 * - span id -> `id`, trace id -> `trace_id`, parent span id -> `parent_id`, name -> `op_name`, start
 *   and end (ns, truncated to µs) -> `started_at` / `ended_at`;
 * - status ERROR -> `exception`: the first `exception` event's type, message and stack trace, else the
 *   status message;
 * - attributes are kept under their own keys, except message contents a GenAI / OpenInference mapping
 *   moved into inputs and output; the rest of the span (kind, scope, resource attributes, status,
 *   other events, links) sits under `attributes.otel`;
 * - an LLM span's model, messages and token usage become `inputs`, `output` and `summary.usage` keyed
 *   by model, with `requests`, `prompt_tokens`, `completion_tokens`, `total_tokens` and `cost_usd`
 *   (price table of src/integrations/prices.ts), the shape a wrapped client call has.
 * Usage is the span's own: spans arrive in separate requests, so it is not summed up the tree.
 */
export function spanToCall(span: OtlpSpan, projectId: string): Record<string, unknown> {
  const llm = llmMapping(span);
  const failed = span.statusCode === STATUS_ERROR;
  const call: Record<string, unknown> = {
    project_id: projectId,
    id: span.spanId,
    trace_id: span.traceId,
    parent_id: span.parentSpanId === '' ? null : span.parentSpanId,
    op_name: span.name === '' ? 'otel.span' : span.name,
    started_at: nanosToIso(span.startTimeUnixNano),
    ended_at: nanosToIso(span.endTimeUnixNano),
    attributes: callAttributes(span, llm),
    inputs: llm?.inputs ?? {},
    exception: failed ? exceptionText(span) : null,
    summary: summary(failed, llm),
  };
  if (llm?.output !== undefined) call.output = llm.output;
  return call;
}

function llmMapping(span: OtlpSpan): LlmMapping | undefined {
  const genai = isGenAiSpan(span) ? mapGenAi(span) : undefined;
  const oi = isOpenInferenceSpan(span) ? mapOpenInference(span) : undefined;
  if (!genai || !oi) return genai ?? oi;
  return {
    inputs: { ...oi.inputs, ...genai.inputs },
    output: genai.output ?? oi.output,
    model: genai.model ?? oi.model,
    usage: genai.usage ?? oi.usage,
    consumed: new Set([...genai.consumed, ...oi.consumed]),
    consumedEvents: new Set([...genai.consumedEvents, ...oi.consumedEvents]),
  };
}

function nanosToIso(ns: bigint): string {
  return microsToIso(Number(ns / 1000n));
}

function callAttributes(span: OtlpSpan, llm: LlmMapping | undefined): Attributes {
  const out = Object.create(null) as Attributes; // a key `__proto__` stays a key
  for (const [key, value] of Object.entries(span.attributes)) {
    if (!llm?.consumed.has(key)) out[key] = value;
  }
  const otel: Attributes = { span_kind: SPAN_KINDS[span.kind] ?? span.kind };
  if (span.scope.name !== '') {
    const scope: Attributes = { name: span.scope.name };
    if (span.scope.version !== '') scope.version = span.scope.version;
    if (Object.keys(span.scope.attributes).length > 0) scope.attributes = span.scope.attributes;
    otel.scope = scope;
  }
  if (Object.keys(span.resource).length > 0) otel.resource = span.resource;
  if (span.statusCode !== 0) {
    otel.status = { code: STATUS_CODES[span.statusCode] ?? span.statusCode, message: span.statusMessage };
  }
  const events = span.events.filter((_, i) => !llm?.consumedEvents.has(i)).map(eventJson);
  if (events.length > 0) otel.events = events;
  if (span.links.length > 0) {
    otel.links = span.links.map((l) => ({
      trace_id: l.traceId,
      span_id: l.spanId,
      attributes: l.attributes,
    }));
  }
  if (span.traceState !== '') otel.trace_state = span.traceState;
  out.otel = otel; // a span attribute named `otel` gives way to it
  return { ...out };
}

function eventJson(e: OtlpEvent): Attributes {
  return { name: e.name, time: nanosToIso(e.timeUnixNano), attributes: e.attributes };
}

/** The first `exception` event as `Type: message` and its stack trace, else the status message. */
function exceptionText(span: OtlpSpan): string {
  const event = span.events.find((e) => e.name === 'exception');
  if (event) {
    const a = event.attributes;
    const type = text(a['exception.type']);
    const message = text(a['exception.message']);
    const stack = text(a['exception.stacktrace']);
    const head = type && message ? `${type}: ${message}` : (type ?? message);
    if (stack && head && stack.includes(head)) return stack;
    const parts = [head, stack].filter((p): p is string => p !== undefined);
    if (parts.length > 0) return parts.join('\n');
  }
  return span.statusMessage !== '' ? span.statusMessage : 'error (OpenTelemetry status ERROR)';
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function summary(failed: boolean, llm: LlmMapping | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {
    status_counts: { success: failed ? 0 : 1, error: failed ? 1 : 0 },
  };
  if (llm?.usage) {
    const model = llm.model ?? 'unknown';
    const price = llm.model ? priceOf(llm.model, NO_OVERRIDES) : undefined;
    const usage = Object.create(null) as Record<string, unknown>;
    usage[model] = { requests: 1, ...llm.usage, ...(price ? { cost_usd: costUsd(llm.usage, price) } : {}) };
    out.usage = usage;
  }
  return out;
}
