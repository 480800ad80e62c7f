import {
  countOf,
  emptyMapping,
  parseJsonText,
  setKey,
  stringOf,
  tokenUsage,
  unflattenIndexed,
  type LlmMapping,
} from './llm-mapping.js';
import type { Attributes, OtlpEvent, OtlpSpan } from './otlp-spans.js';

const MESSAGE_EVENTS: Record<string, string> = {
  'gen_ai.system.message': 'system',
  'gen_ai.user.message': 'user',
  'gen_ai.assistant.message': 'assistant',
  'gen_ai.tool.message': 'tool',
};

/** Whether a span follows the OpenTelemetry GenAI semantic conventions (`gen_ai.*`). */
export function isGenAiSpan(span: OtlpSpan): boolean {
  return (
    Object.keys(span.attributes).some((k) => k.startsWith('gen_ai.')) ||
    span.events.some((e) => e.name.startsWith('gen_ai.'))
  );
}

/**
 * An OpenTelemetry GenAI span (semantic conventions, every generation of them) as an LLM call:
 * - model: `gen_ai.response.model`, else `gen_ai.request.model`; other `gen_ai.request.*` are inputs;
 * - messages: `gen_ai.input.messages` (JSON), the indexed `gen_ai.prompt.N.*`, a JSON `gen_ai.prompt`,
 *   or the events (`gen_ai.user.message` & co, `gen_ai.content.prompt`, the
 *   `gen_ai.client.inference.operation.details` event), in that order of preference;
 * - choices: `gen_ai.output.messages`, `gen_ai.completion.N.*`, `gen_ai.completion`, `gen_ai.choice` events;
 * - usage: `gen_ai.usage.input_tokens`/`output_tokens` (or `prompt_tokens`/`completion_tokens`);
 * - tool calls: `gen_ai.tool.call.arguments` -> inputs, `gen_ai.tool.call.result` -> output.
 * The output is OpenAI-shaped, `{ model, id, choices: [{ index, message, finish_reason }], usage }`, as a
 * wrapped client's call records it.
 */
export function mapGenAi(span: OtlpSpan): LlmMapping {
  const a = span.attributes;
  const m = emptyMapping();
  const requestModel = stringOf(a['gen_ai.request.model']);
  const responseModel = stringOf(a['gen_ai.response.model']);
  m.model = responseModel ?? requestModel;
  if (requestModel) m.inputs.model = requestModel;
  for (const key of Object.keys(a)) {
    if (key.startsWith('gen_ai.request.') && key !== 'gen_ai.request.model') {
      setKey(m.inputs, key.slice('gen_ai.request.'.length), a[key]);
    }
  }
  const details = span.events.findIndex((e) => e.name === 'gen_ai.client.inference.operation.details');
  const detailAttrs = details >= 0 ? (span.events[details] as OtlpEvent).attributes : undefined;

  const system = json(a, 'gen_ai.system_instructions', m) ?? detailAttrs?.['gen_ai.system_instructions'];
  if (system !== undefined) m.inputs.system_instructions = parseJsonText(system);

  const messages =
    json(a, 'gen_ai.input.messages', m) ??
    unflattenIndexed(a, 'gen_ai.prompt.', m.consumed) ??
    json(a, 'gen_ai.prompt', m) ??
    eventMessages(span, m) ??
    (detailAttrs && parseJsonText(detailAttrs['gen_ai.input.messages']));
  if (messages !== undefined) m.inputs.messages = messages;

  const choices =
    outputMessages(json(a, 'gen_ai.output.messages', m)) ??
    indexedChoices(unflattenIndexed(a, 'gen_ai.completion.', m.consumed)) ??
    json(a, 'gen_ai.completion', m) ??
    eventChoices(span, m) ??
    outputMessages(detailAttrs && parseJsonText(detailAttrs['gen_ai.output.messages']));
  if (details >= 0 && (detailAttrs?.['gen_ai.input.messages'] ?? detailAttrs?.['gen_ai.output.messages'])) {
    m.consumedEvents.add(details);
  }
  fillFinishReasons(choices, a['gen_ai.response.finish_reasons']);

  m.usage = tokenUsage(
    countOf(a['gen_ai.usage.input_tokens']) ?? countOf(a['gen_ai.usage.prompt_tokens']),
    countOf(a['gen_ai.usage.output_tokens']) ?? countOf(a['gen_ai.usage.completion_tokens']),
    countOf(a['gen_ai.usage.total_tokens']) ?? countOf(a['llm.usage.total_tokens']),
  );
  const responseId = stringOf(a['gen_ai.response.id']);
  if (choices !== undefined || responseModel || m.usage || responseId) {
    const output: Record<string, unknown> = {};
    if (m.model) output.model = m.model;
    if (responseId) output.id = responseId;
    if (choices !== undefined) output.choices = choices;
    if (m.usage) output.usage = m.usage;
    m.output = output;
  }
  mapToolCall(a, m);
  return m;
}

/** An `execute_tool` span: `gen_ai.tool.call.arguments` are its inputs, `gen_ai.tool.call.result` its output. */
function mapToolCall(a: Attributes, m: LlmMapping): void {
  const args = json(a, 'gen_ai.tool.call.arguments', m);
  if (args !== undefined) {
    if (typeof args === 'object' && args !== null && !Array.isArray(args)) {
      for (const [k, v] of Object.entries(args)) if (!Object.hasOwn(m.inputs, k)) setKey(m.inputs, k, v);
    } else m.inputs.arguments = args;
  }
  const result = json(a, 'gen_ai.tool.call.result', m);
  if (result !== undefined && m.output === undefined) m.output = result;
}

/** A JSON-text (or structured) attribute, parsed and marked consumed; undefined when absent. */
function json(a: Attributes, key: string, m: LlmMapping): unknown {
  const v = a[key];
  if (v === undefined || v === null) return undefined;
  m.consumed.add(key);
  return parseJsonText(v);
}

/** `gen_ai.output.messages` (`[{ role, parts, finish_reason }]`) as choices. */
function outputMessages(value: unknown): unknown[] | undefined {
  if (!Array.isArray(value)) return value === undefined ? undefined : [{ index: 0, message: value }];
  return value.map((msg: unknown, index) => {
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return { index, message: msg };
    const { finish_reason, ...message } = msg as Record<string, unknown>;
    return finish_reason === undefined ? { index, message } : { index, message, finish_reason };
  });
}

/** `gen_ai.completion.N.{role, content, finish_reason, ...}` as choices. */
function indexedChoices(items: unknown[] | undefined): unknown[] | undefined {
  return items?.map((item, index) => {
    const { finish_reason, ...message } = (item ?? {}) as Record<string, unknown>;
    return finish_reason === undefined ? { index, message } : { index, message, finish_reason };
  });
}

function fillFinishReasons(choices: unknown, reasons: unknown): void {
  if (!Array.isArray(choices) || !Array.isArray(reasons)) return;
  choices.forEach((c: unknown, i) => {
    if (typeof c === 'object' && c !== null && !('finish_reason' in c) && reasons[i] !== undefined) {
      (c as Record<string, unknown>).finish_reason = reasons[i];
    }
  });
}

/** Messages from `gen_ai.{system,user,assistant,tool}.message` and `gen_ai.content.prompt` events. */
function eventMessages(span: OtlpSpan, m: LlmMapping): unknown[] | undefined {
  const out: unknown[] = [];
  span.events.forEach((e, i) => {
    const role = MESSAGE_EVENTS[e.name];
    if (role !== undefined) {
      const { 'gen_ai.system': _system, ...fields } = e.attributes;
      const message: Record<string, unknown> = { role };
      for (const [k, v] of Object.entries(fields)) setKey(message, k, parseJsonText(v));
      out.push(message);
      m.consumedEvents.add(i);
    } else if (e.name === 'gen_ai.content.prompt') {
      const prompt = parseJsonText(e.attributes['gen_ai.prompt']);
      if (Array.isArray(prompt)) out.push(...(prompt as unknown[]));
      else if (prompt !== undefined) out.push(prompt);
      m.consumedEvents.add(i);
    }
  });
  return out.length > 0 ? out : undefined;
}

/** Choices from `gen_ai.choice` and `gen_ai.content.completion` events. */
function eventChoices(span: OtlpSpan, m: LlmMapping): unknown[] | undefined {
  const out: unknown[] = [];
  span.events.forEach((e, i) => {
    if (e.name === 'gen_ai.choice') {
      const { index, finish_reason, message, 'gen_ai.system': _system, ...rest } = e.attributes;
      const msg = message !== undefined ? parseJsonText(message) : messageOf(rest);
      const choice: Record<string, unknown> = { index: typeof index === 'number' ? index : out.length };
      choice.message = msg;
      if (finish_reason !== undefined) choice.finish_reason = finish_reason;
      out.push(choice);
      m.consumedEvents.add(i);
    } else if (e.name === 'gen_ai.content.completion') {
      const completion = parseJsonText(e.attributes['gen_ai.completion']);
      const items: unknown[] = Array.isArray(completion)
        ? completion
        : completion === undefined
          ? []
          : [completion];
      for (const item of items) out.push({ index: out.length, message: item });
      m.consumedEvents.add(i);
    }
  });
  return out.length > 0 ? out : undefined;
}

function messageOf(fields: Attributes): Record<string, unknown> {
  const message: Record<string, unknown> = { role: 'assistant' };
  for (const [k, v] of Object.entries(fields)) setKey(message, k, parseJsonText(v));
  return message;
}
