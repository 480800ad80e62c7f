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
import type { Attributes, OtlpSpan } from './otlp-spans.js';

/** Whether a span carries OpenInference attributes (Arize Phoenix and its instrumentations). */
export function isOpenInferenceSpan(span: OtlpSpan): boolean {
  const a = span.attributes;
  return (
    a['openinference.span.kind'] !== undefined ||
    a['input.value'] !== undefined ||
    a['output.value'] !== undefined ||
    Object.keys(a).some((k) => k.startsWith('llm.'))
  );
}

/**
 * An OpenInference span as a call: `input.value` / `output.value` (parsed when their `*.mime_type` is
 * `application/json`) are the inputs and output, `llm.input_messages.N.message.*` the messages,
 * `llm.invocation_parameters` (JSON) request parameters, `llm.model_name` the model and
 * `llm.token_count.prompt/completion/total` the usage. An LLM span's output is OpenAI-shaped
 * (`{ model, choices, usage }`) when it has output messages and no `output.value`.
 */
export function mapOpenInference(span: OtlpSpan): LlmMapping {
  const a = span.attributes;
  const m = emptyMapping();
  m.model = stringOf(a['llm.model_name']);
  const input = value(a, 'input', m);
  if (input !== undefined) {
    if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
      for (const [k, v] of Object.entries(input)) setKey(m.inputs, k, v);
    } else m.inputs.input = input;
  }
  const params = parseJsonText(a['llm.invocation_parameters']);
  if (typeof params === 'object' && params !== null && !Array.isArray(params)) {
    for (const [k, v] of Object.entries(params)) if (!Object.hasOwn(m.inputs, k)) setKey(m.inputs, k, v);
    m.consumed.add('llm.invocation_parameters');
  }
  if (m.model && m.inputs.model === undefined) m.inputs.model = m.model;
  const messages = messagesAt(a, 'llm.input_messages.', m);
  if (messages && m.inputs.messages === undefined) m.inputs.messages = messages;

  m.usage = tokenUsage(
    countOf(a['llm.token_count.prompt']),
    countOf(a['llm.token_count.completion']),
    countOf(a['llm.token_count.total']),
  );
  const output = value(a, 'output', m);
  const outMessages = messagesAt(a, 'llm.output_messages.', m);
  if (output !== undefined) m.output = output;
  else if (outMessages || m.usage) {
    const response: Record<string, unknown> = {};
    if (m.model) response.model = m.model;
    if (outMessages) response.choices = outMessages.map((message, index) => ({ index, message }));
    if (m.usage) response.usage = m.usage;
    m.output = response;
  }
  return m;
}

/** `<prefix>.value`, parsed as JSON when `<prefix>.mime_type` says so. */
function value(a: Attributes, prefix: 'input' | 'output', m: LlmMapping): unknown {
  const v = a[`${prefix}.value`];
  if (v === undefined || v === null) return undefined;
  m.consumed.add(`${prefix}.value`);
  if (a[`${prefix}.mime_type`] !== 'application/json' || typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}

/** `llm.{input,output}_messages.N.message.{role,content,...}` as `[{ role, content, ... }]`. */
function messagesAt(a: Attributes, prefix: string, m: LlmMapping): unknown[] | undefined {
  return unflattenIndexed(a, prefix, m.consumed)?.map((item) => {
    const message = (item as { message?: unknown } | null)?.message;
    return message === undefined ? item : message;
  });
}
