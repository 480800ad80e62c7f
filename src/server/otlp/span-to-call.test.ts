import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCompleteCall } from '../validation/call-parts.js';
import { spanToCall } from './span-to-call.js';
import { otlpSpan } from './span-fixture.test-helper.js';

const PROJECT = 'acme/otel';

test('ids, parent, name and times (ns truncated to µs) map onto the call', () => {
  const call = spanToCall(otlpSpan({ parentSpanId: 'aaaabbbbccccdddd' }), PROJECT);
  assert.equal(call.id, 'eee19b7ec3c1b174');
  assert.equal(call.trace_id, '5b8efff798038103d269b633813fc60c');
  assert.equal(call.parent_id, 'aaaabbbbccccdddd');
  assert.equal(call.op_name, 'op');
  assert.equal(call.started_at, '2025-11-29T07:06:40.000000Z');
  assert.equal(call.ended_at, '2025-11-29T07:06:41.500000Z');
  assert.equal(call.exception, null);
  assert.deepEqual(call.summary, { status_counts: { success: 1, error: 0 } });
  assert.equal('output' in call, false);
  assert.equal(spanToCall(otlpSpan(), PROJECT).parent_id, null);
  assert.equal(spanToCall(otlpSpan({ name: '' }), PROJECT).op_name, 'otel.span');
  // and it is a valid calls/complete record
  const part = parseCompleteCall(call, 'span');
  assert.equal(part.call.project_id, PROJECT);
});

test('attributes are kept; kind, scope, resource, status, events and links under attributes.otel', () => {
  const call = spanToCall(
    otlpSpan({
      kind: 3,
      attributes: { 'http.status_code': 500, 'app.x': 'y' },
      resource: { 'service.name': 'svc' },
      scope: { name: 'lib', version: '2', attributes: {} },
      statusCode: 1,
      events: [{ name: 'retry', timeUnixNano: 1764400000000000000n, attributes: { n: 1 } }],
      links: [{ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), attributes: {} }],
      traceState: 'k=v',
    }),
    PROJECT,
  );
  assert.deepEqual(call.attributes, {
    'http.status_code': 500,
    'app.x': 'y',
    otel: {
      span_kind: 'client',
      scope: { name: 'lib', version: '2' },
      resource: { 'service.name': 'svc' },
      status: { code: 'ok', message: '' },
      events: [{ name: 'retry', time: '2025-11-29T07:06:40.000000Z', attributes: { n: 1 } }],
      links: [{ trace_id: 'ab'.repeat(16), span_id: 'cd'.repeat(8), attributes: {} }],
      trace_state: 'k=v',
    },
  });
});

test('status ERROR: the exception event gives the exception text, else the status message', () => {
  const exception = {
    name: 'exception',
    timeUnixNano: 1n,
    attributes: {
      'exception.type': 'ValueError',
      'exception.message': 'bad input',
      'exception.stacktrace': 'Traceback...\nValueError: bad input',
    },
  };
  const failed = spanToCall(otlpSpan({ statusCode: 2, statusMessage: 'oops', events: [exception] }), PROJECT);
  assert.equal(failed.exception, 'Traceback...\nValueError: bad input');
  assert.deepEqual(failed.summary, { status_counts: { success: 0, error: 1 } });
  const noStack = spanToCall(
    otlpSpan({
      statusCode: 2,
      events: [{ ...exception, attributes: { 'exception.type': 'E', 'exception.message': 'm' } }],
    }),
    PROJECT,
  );
  assert.equal(noStack.exception, 'E: m');
  assert.equal(spanToCall(otlpSpan({ statusCode: 2, statusMessage: 'oops' }), PROJECT).exception, 'oops');
  assert.match(String(spanToCall(otlpSpan({ statusCode: 2 }), PROJECT).exception), /status ERROR/);
  // an exception recorded on a span that did not fail is an event, not a failure
  const recovered = spanToCall(otlpSpan({ events: [exception] }), PROJECT);
  assert.equal(recovered.exception, null);
  assert.equal((recovered.attributes as { otel: { events: unknown[] } }).otel.events.length, 1);
});

test('GenAI span: inputs, output and summary.usage keyed by model with requests and cost', () => {
  const call = spanToCall(
    otlpSpan({
      attributes: {
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.output_tokens': 1000,
        'gen_ai.prompt.0.role': 'user',
        'gen_ai.prompt.0.content': 'hi',
      },
    }),
    PROJECT,
  );
  assert.deepEqual(call.inputs, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
  const usage = (call.summary as { usage: Record<string, Record<string, number>> }).usage['gpt-4o-mini'];
  assert.equal(usage?.requests, 1);
  assert.equal(usage?.total_tokens, 2000);
  assert.ok((usage?.cost_usd ?? 0) > 0, 'priced from the built-in table');
  assert.equal((call.attributes as Record<string, unknown>)['gen_ai.prompt.0.content'], undefined);
  assert.equal((call.attributes as Record<string, unknown>)['gen_ai.request.model'], 'gpt-4o-mini');
  const part = parseCompleteCall(call, 'span');
  assert.equal(part.call.summary.usage?.['gpt-4o-mini']?.prompt_tokens, 1000);
});

test('usage without a model is keyed "unknown" and has no cost', () => {
  const call = spanToCall(otlpSpan({ attributes: { 'llm.token_count.prompt': 3 } }), PROJECT);
  assert.deepEqual(
    { ...(call.summary as { usage: object }).usage },
    {
      unknown: { requests: 1, prompt_tokens: 3, completion_tokens: 0, total_tokens: 3 },
    },
  );
});

test('a span with both GenAI and OpenInference attributes takes GenAI first, OpenInference fills in', () => {
  const call = spanToCall(
    otlpSpan({
      attributes: {
        'gen_ai.request.model': 'gpt-4o',
        'input.value': 'question',
        'llm.token_count.prompt': 9,
      },
    }),
    PROJECT,
  );
  assert.deepEqual(call.inputs, { input: 'question', model: 'gpt-4o' });
  assert.equal(
    (call.summary as { usage: Record<string, { prompt_tokens: number }> }).usage['gpt-4o']?.prompt_tokens,
    9,
  );
});
