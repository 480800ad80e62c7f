import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isGenAiSpan, mapGenAi } from './genai-mapping.js';
import { otlpSpan } from './span-fixture.test-helper.js';

test('current semconv: JSON input/output messages, request params, response model and usage', () => {
  const span = otlpSpan({
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.request.max_tokens': 100,
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.response.id': 'chatcmpl-1',
      'gen_ai.usage.input_tokens': 10,
      'gen_ai.usage.output_tokens': 4,
      'gen_ai.system_instructions': '[{"type":"text","content":"be brief"}]',
      'gen_ai.input.messages': '[{"role":"user","parts":[{"type":"text","content":"hi"}]}]',
      'gen_ai.output.messages':
        '[{"role":"assistant","parts":[{"type":"text","content":"yo"}],"finish_reason":"stop"}]',
    },
  });
  assert.ok(isGenAiSpan(span));
  const m = mapGenAi(span);
  assert.deepEqual(m.inputs, {
    model: 'gpt-4o',
    max_tokens: 100,
    system_instructions: [{ type: 'text', content: 'be brief' }],
    messages: [{ role: 'user', parts: [{ type: 'text', content: 'hi' }] }],
  });
  assert.deepEqual(m.output, {
    model: 'gpt-4o-2024-08-06',
    id: 'chatcmpl-1',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', parts: [{ type: 'text', content: 'yo' }] },
        finish_reason: 'stop',
      },
    ],
    usage: { prompt_tokens: 10, completion_tokens: 4, total_tokens: 14 },
  });
  assert.equal(m.model, 'gpt-4o-2024-08-06');
  assert.deepEqual([...m.consumed].sort(), [
    'gen_ai.input.messages',
    'gen_ai.output.messages',
    'gen_ai.system_instructions',
  ]);
});

test('indexed gen_ai.prompt.N / gen_ai.completion.N with older token names and finish reasons', () => {
  const m = mapGenAi(
    otlpSpan({
      attributes: {
        'gen_ai.request.model': 'claude-3-5-sonnet',
        'gen_ai.prompt.0.role': 'system',
        'gen_ai.prompt.0.content': 'be nice',
        'gen_ai.prompt.1.role': 'user',
        'gen_ai.prompt.1.content': 'hello',
        'gen_ai.completion.0.role': 'assistant',
        'gen_ai.completion.0.content': 'hi!',
        'gen_ai.completion.0.tool_calls.0.name': 'lookup',
        'gen_ai.response.finish_reasons': ['tool_calls'],
        'gen_ai.usage.prompt_tokens': 7,
        'gen_ai.usage.completion_tokens': 3,
      },
    }),
  );
  assert.deepEqual(m.inputs.messages, [
    { role: 'system', content: 'be nice' },
    { role: 'user', content: 'hello' },
  ]);
  assert.deepEqual((m.output as { choices: unknown }).choices, [
    {
      index: 0,
      message: { role: 'assistant', content: 'hi!', tool_calls: [{ name: 'lookup' }] },
      finish_reason: 'tool_calls',
    },
  ]);
  assert.deepEqual(m.usage, { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });
  assert.equal(m.model, 'claude-3-5-sonnet', 'the request model when there is no response model');
  assert.ok(
    m.consumed.has('gen_ai.prompt.1.content') && m.consumed.has('gen_ai.completion.0.tool_calls.0.name'),
  );
  assert.ok(!m.consumed.has('gen_ai.request.model'));
});

test('event form: gen_ai.*.message and gen_ai.choice events become messages and choices', () => {
  const ev = (name: string, attributes: Record<string, string | number>) => ({
    name,
    timeUnixNano: 1n,
    attributes,
  });
  const span = otlpSpan({
    attributes: { 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4o-mini' },
    events: [
      ev('gen_ai.system.message', { content: 'sys', 'gen_ai.system': 'openai' }),
      ev('gen_ai.user.message', { content: 'question' }),
      ev('unrelated', { x: 1 }),
      ev('gen_ai.choice', {
        index: 0,
        finish_reason: 'stop',
        message: '{"role":"assistant","content":"answer"}',
      }),
    ],
  });
  const m = mapGenAi(span);
  assert.deepEqual(m.inputs.messages, [
    { role: 'system', content: 'sys' },
    { role: 'user', content: 'question' },
  ]);
  assert.deepEqual((m.output as { choices: unknown }).choices, [
    { index: 0, message: { role: 'assistant', content: 'answer' }, finish_reason: 'stop' },
  ]);
  assert.deepEqual([...m.consumedEvents].sort(), [0, 1, 3]);
});

test('legacy gen_ai.content.prompt / completion events with JSON text', () => {
  const m = mapGenAi(
    otlpSpan({
      attributes: { 'gen_ai.request.model': 'm' },
      events: [
        {
          name: 'gen_ai.content.prompt',
          timeUnixNano: 1n,
          attributes: { 'gen_ai.prompt': '[{"role":"user","content":"q"}]' },
        },
        {
          name: 'gen_ai.content.completion',
          timeUnixNano: 2n,
          attributes: { 'gen_ai.completion': '[{"role":"assistant","content":"a"}]' },
        },
      ],
    }),
  );
  assert.deepEqual(m.inputs.messages, [{ role: 'user', content: 'q' }]);
  assert.deepEqual((m.output as { choices: unknown }).choices, [
    { index: 0, message: { role: 'assistant', content: 'a' } },
  ]);
});

test('a span without gen_ai attributes or events is not a GenAI span; one without usage has none', () => {
  assert.equal(isGenAiSpan(otlpSpan({ attributes: { 'http.method': 'GET' } })), false);
  const m = mapGenAi(otlpSpan({ attributes: { 'gen_ai.request.model': 'm' } }));
  assert.equal(m.usage, undefined);
  assert.equal(m.output, undefined);
  assert.deepEqual(m.inputs, { model: 'm' });
});

test('token counts sent as text are read; negative or non-numeric ones are ignored', () => {
  const m = mapGenAi(
    otlpSpan({ attributes: { 'gen_ai.usage.input_tokens': '12', 'gen_ai.usage.output_tokens': -3 } }),
  );
  assert.deepEqual(m.usage, { prompt_tokens: 12, completion_tokens: 0, total_tokens: 12 });
});

test('execute_tool span: call arguments are the inputs, the result the output', () => {
  const m = mapGenAi(
    otlpSpan({
      attributes: {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'get_weather',
        'gen_ai.tool.call.arguments': '{"city":"Paris"}',
        'gen_ai.tool.call.result': '{"temp_c":21}',
      },
    }),
  );
  assert.deepEqual(m.inputs, { city: 'Paris' });
  assert.deepEqual(m.output, { temp_c: 21 });
  assert.deepEqual([...m.consumed].sort(), ['gen_ai.tool.call.arguments', 'gen_ai.tool.call.result']);
  const text = mapGenAi(otlpSpan({ attributes: { 'gen_ai.tool.call.arguments': 'Paris' } }));
  assert.deepEqual(text.inputs, { arguments: 'Paris' });
});
