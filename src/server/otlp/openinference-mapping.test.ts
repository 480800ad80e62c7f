import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isOpenInferenceSpan, mapOpenInference } from './openinference-mapping.js';
import { otlpSpan } from './span-fixture.test-helper.js';

test('LLM span: JSON input.value, messages, invocation parameters, model and token counts', () => {
  const span = otlpSpan({
    attributes: {
      'openinference.span.kind': 'LLM',
      'llm.model_name': 'gpt-4o',
      'llm.invocation_parameters': '{"temperature":0.5}',
      'input.value': '{"messages":[{"role":"user","content":"hi"}]}',
      'input.mime_type': 'application/json',
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.content': 'hi',
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': 'hello',
      'llm.token_count.prompt': 5,
      'llm.token_count.completion': 2,
      'llm.token_count.total': 7,
    },
  });
  assert.ok(isOpenInferenceSpan(span));
  const m = mapOpenInference(span);
  assert.deepEqual(m.inputs, {
    messages: [{ role: 'user', content: 'hi' }],
    temperature: 0.5,
    model: 'gpt-4o',
  });
  assert.deepEqual(m.output, {
    model: 'gpt-4o',
    choices: [{ index: 0, message: { role: 'assistant', content: 'hello' } }],
    usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
  });
  assert.equal(m.model, 'gpt-4o');
  assert.ok(m.consumed.has('input.value') && m.consumed.has('llm.output_messages.0.message.content'));
});

test('chain span: text input.value and output.value as they are', () => {
  const m = mapOpenInference(
    otlpSpan({
      attributes: { 'openinference.span.kind': 'CHAIN', 'input.value': 'q', 'output.value': '{"a":1}' },
    }),
  );
  assert.deepEqual(m.inputs, { input: 'q' });
  assert.equal(m.output, '{"a":1}', 'no mime type: text stays text');
  assert.equal(m.usage, undefined);
});

test('JSON output.value is parsed; invalid JSON stays text', () => {
  const parsed = mapOpenInference(
    otlpSpan({ attributes: { 'output.value': '{"a":1}', 'output.mime_type': 'application/json' } }),
  );
  assert.deepEqual(parsed.output, { a: 1 });
  const broken = mapOpenInference(
    otlpSpan({ attributes: { 'output.value': '{nope', 'output.mime_type': 'application/json' } }),
  );
  assert.equal(broken.output, '{nope');
});

test('plain spans are not OpenInference spans', () => {
  assert.equal(isOpenInferenceSpan(otlpSpan({ attributes: { 'db.system': 'sqlite' } })), false);
});

test('a JSON input.value key `__proto__` stays a key of the inputs', () => {
  const m = mapOpenInference(
    otlpSpan({
      attributes: {
        'input.value': '{"__proto__":{"polluted":true},"q":1}',
        'input.mime_type': 'application/json',
      },
    }),
  );
  assert.equal(Object.getPrototypeOf(m.inputs), Object.prototype);
  assert.equal((m.inputs as { polluted?: unknown }).polluted, undefined);
  assert.deepEqual(Object.keys(m.inputs), ['__proto__', 'q']);
});
