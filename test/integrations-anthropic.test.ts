import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { getCurrentCall, init, op, wrapAnthropic, type CallRecord, type WeftClient } from '../src/index.js';
import { LlmMockServer } from './helpers/llm-mock-server.js';
import { WeftServer } from './helpers/weft-server.js';

let llm: LlmMockServer;
let server: WeftServer;
let weft: WeftClient;
let wrapped: Anthropic;

before(async () => {
  llm = await new LlmMockServer().start();
  server = await new WeftServer().start();
  weft = await init({
    project: 'acme/anthropic',
    serverUrl: server.url,
    spoolDir: false,
    logger: { warn: () => {} },
  });
  wrapped = wrapAnthropic(new Anthropic({ apiKey: 'sk-ant-test', baseURL: llm.url, maxRetries: 1 }));
});
after(async () => {
  await weft.finish();
  await server.dispose();
  await llm.close();
});

const MODEL = 'claude-sonnet-4-5-20250929';
const message = {
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: MODEL,
  content: [{ type: 'text', text: 'Hi there' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 100, output_tokens: 20, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
};
const events = [
  {
    event: 'message_start',
    data: {
      type: 'message_start',
      message: { ...message, content: [], stop_reason: null, usage: { input_tokens: 100, output_tokens: 1 } },
    },
  },
  {
    event: 'content_block_start',
    data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
  },
  {
    event: 'content_block_delta',
    data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi ' } },
  },
  {
    event: 'content_block_delta',
    data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'there' } },
  },
  { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
  {
    event: 'content_block_start',
    data: {
      type: 'content_block_start',
      index: 1,
      content_block: { type: 'tool_use', id: 'tu_1', name: 'lookup', input: {} },
    },
  },
  {
    event: 'content_block_delta',
    data: {
      type: 'content_block_delta',
      index: 1,
      delta: { type: 'input_json_delta', partial_json: '{"q":' },
    },
  },
  {
    event: 'content_block_delta',
    data: {
      type: 'content_block_delta',
      index: 1,
      delta: { type: 'input_json_delta', partial_json: '"x"}' },
    },
  },
  { event: 'content_block_stop', data: { type: 'content_block_stop', index: 1 } },
  {
    event: 'message_delta',
    data: {
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { output_tokens: 20 },
    },
  },
  { event: 'message_stop', data: { type: 'message_stop' } },
];
const params = {
  model: 'claude-sonnet-4-5',
  max_tokens: 100,
  messages: [{ role: 'user' as const, content: 'hi' }],
};

async function traced<T>(
  fn: () => Promise<T>,
): Promise<{ result: T; root: CallRecord; children: CallRecord[] }> {
  let rootId = '';
  const agent = op(async function agent() {
    rootId = getCurrentCall()!.id;
    return fn();
  });
  const result = await agent();
  await weft.flush();
  const calls: CallRecord[] = [];
  for await (const c of weft.getCalls()) if (c.trace_id === rootId) calls.push(c);
  return {
    result,
    root: calls.find((c) => c.id === rootId)!,
    children: calls.filter((c) => c.parent_id === rootId),
  };
}

describe('wrapAnthropic against the real @anthropic-ai/sdk client and a real weft server', () => {
  test('messages.create: same message; usage as prompt/completion/total with cost', async () => {
    llm.answer('/messages', { kind: 'json', body: message });
    const { result, children } = await traced(() => wrapped.messages.create(params));
    assert.equal(result.content[0]?.type === 'text' && result.content[0].text, 'Hi there');
    const [call] = children;
    assert.equal(call?.op_name, 'anthropic.messages.create');
    assert.deepEqual(call?.inputs, params);
    assert.deepEqual(call?.summary?.usage, {
      [MODEL]: {
        requests: 1,
        prompt_tokens: 100,
        completion_tokens: 20,
        total_tokens: 120,
        cost_usd: 0.0006,
      },
    });
  });

  test('messages.create({ stream: true }) yields the same events; output is the accumulated message', async () => {
    llm.answer('/messages', { kind: 'sse', events });
    const { result, children } = await traced(async () => {
      const got: string[] = [];
      for await (const e of await wrapped.messages.create({ ...params, stream: true })) got.push(e.type);
      return got;
    });
    assert.deepEqual(
      result,
      events.map((e) => e.event),
    );
    const out = children[0]?.output as { content: unknown[]; stop_reason: string };
    assert.deepEqual(out.content, [
      { type: 'text', text: 'Hi there' },
      { type: 'tool_use', id: 'tu_1', name: 'lookup', input: { q: 'x' } },
    ]);
    assert.equal(out.stop_reason, 'tool_use');
    assert.equal(children[0]?.summary?.usage?.[MODEL]?.total_tokens, 120);
  });

  test('messages.stream(): events and finalMessage() keep working; recorded as anthropic.messages.stream', async () => {
    llm.answer('/messages', { kind: 'sse', events });
    const { result, children } = await traced(async () => {
      const stream = wrapped.messages.stream(params);
      let text = '';
      stream.on('text', (t) => (text += t));
      const final = await stream.finalMessage();
      return { text, final };
    });
    assert.equal(result.text, 'Hi there');
    assert.equal(result.final.stop_reason, 'tool_use');
    assert.equal(result.final.usage.output_tokens, 20);
    assert.equal(children.length, 1);
    assert.equal(children[0]?.op_name, 'anthropic.messages.stream');
    assert.equal(children[0]?.summary?.usage?.[MODEL]?.cost_usd, 0.0006);
  });

  test('an API error reaches the caller as the SDK error and is recorded on the call', async () => {
    llm.answer('/messages', {
      kind: 'error',
      status: 400,
      body: { type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: required' } },
    });
    const { result, children } = await traced(() => wrapped.messages.create(params).catch((e: unknown) => e));
    assert.ok(result instanceof Anthropic.BadRequestError);
    assert.equal(children[0]?.status, 'error');
    assert.match(children[0]?.exception ?? '', /max_tokens: required/);
  });
});
