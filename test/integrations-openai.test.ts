import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import {
  getCurrentCall,
  init,
  InvalidOptionError,
  op,
  wrapOpenAI,
  type CallRecord,
  type WeftClient,
} from '../src/index.js';
import { chatChunks, chatCompletion, LlmMockServer } from './helpers/llm-mock-server.js';
import { WeftServer } from './helpers/weft-server.js';

let llm: LlmMockServer;
let server: WeftServer;
let weft: WeftClient;
let bare: OpenAI;
let wrapped: OpenAI;

before(async () => {
  llm = await new LlmMockServer().start();
  server = await new WeftServer().start();
  weft = await init({
    project: 'acme/openai',
    serverUrl: server.url,
    spoolDir: false,
    logger: { warn: () => {} },
    prices: { 'my-tuned-model': { input: 1, output: 2 } },
  });
  const options = { apiKey: 'sk-test', baseURL: `${llm.url}/v1`, maxRetries: 2 };
  bare = new OpenAI(options);
  wrapped = wrapOpenAI(new OpenAI(options));
});
after(async () => {
  await weft.finish();
  await server.dispose();
  await llm.close();
});

/** The calls of the trace whose root is `rootId`, once flushed to the real server. */
async function traceCalls(rootId: string): Promise<CallRecord[]> {
  await weft.flush();
  const out: CallRecord[] = [];
  for await (const c of weft.getCalls()) if (c.trace_id === rootId) out.push(c);
  return out;
}

/** Runs `fn` inside an op and returns its result and the stored calls of its trace (root first). */
async function traced<T>(
  fn: () => Promise<T>,
): Promise<{ result: T; root: CallRecord; llmCall: CallRecord }> {
  let rootId = '';
  const agent = op(async function agent() {
    rootId = getCurrentCall()!.id;
    return fn();
  });
  const result = await agent();
  const calls = await traceCalls(rootId);
  const root = calls.find((c) => c.id === rootId)!;
  const llmCall = calls.find((c) => c.parent_id === rootId)!;
  assert.ok(root && llmCall, 'the wrapped call is stored under the op');
  return { result, root, llmCall };
}

const params = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }] };

describe('wrapOpenAI against the real openai client and a real weft server', () => {
  test('chat.completions.create: same response, nested call with inputs, output, usage and cost', async () => {
    llm.answer(
      '/chat/completions',
      { kind: 'json', body: chatCompletion('hello') },
      { kind: 'json', body: chatCompletion('hello') },
    );
    const expected = await bare.chat.completions.create(params);
    const { result, root, llmCall } = await traced(() => wrapped.chat.completions.create(params));
    assert.deepEqual(result, expected);
    assert.equal(result._request_id, 'req-mock');
    assert.equal(llmCall.op_name, 'openai.chat.completions.create');
    assert.deepEqual(llmCall.inputs, params);
    assert.deepEqual(llmCall.output, JSON.parse(JSON.stringify(expected)));
    const usage = {
      requests: 1,
      prompt_tokens: 12,
      completion_tokens: 5,
      total_tokens: 17,
      cost_usd: 0.0000048,
    };
    assert.deepEqual(llmCall.summary?.usage, { 'gpt-4o-mini-2024-07-18': usage });
    assert.deepEqual(root.summary?.usage, { 'gpt-4o-mini-2024-07-18': usage }, 'the op sums its children');
  });

  test('an op run by a custom fetch is a child of the API call', async () => {
    llm.answer('/chat/completions', { kind: 'json', body: chatCompletion('hello') });
    const tracedFetch = op(async function tracedFetch(url: string | URL | Request, init?: RequestInit) {
      return fetch(url, init);
    });
    const custom = wrapOpenAI(
      new OpenAI({ apiKey: 'sk-test', baseURL: `${llm.url}/v1`, maxRetries: 0, fetch: tracedFetch }),
    );
    let rootId = '';
    const agent = op(async function agent() {
      rootId = getCurrentCall()!.id;
      return custom.chat.completions.create(params);
    });
    await agent();
    const calls = await traceCalls(rootId);
    const llmCall = calls.find((c) => c.parent_id === rootId);
    assert.equal(llmCall?.op_name, 'openai.chat.completions.create');
    const fetchCall = calls.find((c) => c.op_name?.includes('tracedFetch'));
    assert.equal(fetchCall?.parent_id, llmCall?.id);
  });

  test('.withResponse() and .asResponse() keep working and the call is recorded', async () => {
    llm.answer(
      '/chat/completions',
      { kind: 'json', body: chatCompletion('a') },
      { kind: 'json', body: chatCompletion('b') },
    );
    const { result } = await traced(async () => {
      const withResponse = await wrapped.chat.completions.create(params).withResponse();
      const raw = await wrapped.chat.completions.create(params).asResponse();
      return { withResponse, rawBody: (await raw.json()) as unknown, status: raw.status };
    });
    assert.equal(result.withResponse.data.choices[0]?.message.content, 'a');
    assert.equal(result.withResponse.request_id, 'req-mock');
    assert.equal(result.status, 200);
    assert.deepEqual(
      (result.rawBody as { choices: { message: { content: string } }[] }).choices[0]?.message.content,
      'b',
    );
  });

  test('stream: true yields the same chunks; output is the accumulated message with tool calls and usage', async () => {
    const sse = { kind: 'sse' as const, events: chatChunks(['Hel', 'lo'], true), done: true };
    llm.answer('/chat/completions', sse, sse);
    const streamParams = { ...params, stream: true as const, stream_options: { include_usage: true } };
    const expected: unknown[] = [];
    for await (const c of await bare.chat.completions.create(streamParams)) expected.push(c);
    const { result, llmCall } = await traced(async () => {
      const stream = await wrapped.chat.completions.create(streamParams);
      assert.ok(stream.controller instanceof AbortController, 'the Stream keeps its controller');
      const got: unknown[] = [];
      for await (const c of stream) got.push(c);
      return got;
    });
    assert.deepEqual(result, expected);
    const output = llmCall.output as {
      choices: { message: { content: string; tool_calls: unknown[] }; finish_reason: string }[];
    };
    assert.equal(output.choices[0]?.message.content, 'Hello');
    assert.deepEqual(output.choices[0]?.message.tool_calls, [
      { index: 0, id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } },
    ]);
    assert.equal(output.choices[0]?.finish_reason, 'tool_calls');
    assert.equal(llmCall.summary?.usage?.['gpt-4o-mini-2024-07-18']?.total_tokens, 28);
    assert.equal(llmCall.status, 'success');
  });

  test('a stream abandoned by break ends the call with what was read; tee() still works', async () => {
    const sse = { kind: 'sse' as const, events: chatChunks(['a', 'b', 'c'], false), done: true };
    llm.answer('/chat/completions', sse, sse);
    const { result, llmCall } = await traced(async () => {
      const stream = await wrapped.chat.completions.create({ ...params, stream: true });
      for await (const c of stream) if (c.choices[0]?.delta.content === 'a') break;
      const [left, right] = (await wrapped.chat.completions.create({ ...params, stream: true })).tee();
      const n = async (s: AsyncIterable<unknown>) => {
        let k = 0;
        for await (const _ of s) k++;
        return k;
      };
      return [await n(left), await n(right)];
    });
    assert.deepEqual(result, [6, 6], 'both tee branches see every chunk');
    assert.equal(llmCall.status, 'success');
    const content = (llmCall.output as { choices: { message: { content: string } }[] }).choices[0]?.message
      .content;
    assert.equal(content, 'a', 'the first (abandoned) stream recorded the chunks read before break');
  });

  test('a stream aborted before it is read ends the call; the Stream keeps its own keys', async () => {
    const sse = { kind: 'sse' as const, events: chatChunks(['a'], false), done: true };
    llm.answer('/chat/completions', sse, sse);
    const bareStream = await bare.chat.completions.create({ ...params, stream: true });
    bareStream.controller.abort();
    const { result, llmCall } = await traced(async () => {
      const stream = await wrapped.chat.completions.create({ ...params, stream: true });
      stream.controller.abort();
      assert.ok(stream.controller.signal.aborted, 'the abort reaches the request');
      return Object.keys(stream);
    });
    assert.deepEqual(result, Object.keys(bareStream), 'same enumerable own keys as an untraced Stream');
    assert.equal(llmCall.status, 'success', 'the call ended at the abort');
    assert.deepEqual((llmCall.output as { choices: unknown[] }).choices, [], 'nothing was read');
  });

  test('429 with Retry-After is retried by the client; a 400 throws the SDK error and is recorded', async () => {
    llm.answer(
      '/chat/completions',
      {
        kind: 'error',
        status: 429,
        body: { error: { message: 'slow down' } },
        headers: { 'retry-after': '0' },
      },
      { kind: 'json', body: chatCompletion('after retry') },
      {
        kind: 'error',
        status: 400,
        body: { error: { message: 'bad field messages', type: 'invalid_request_error' } },
      },
    );
    const { result, root } = await traced(async () => {
      const ok = await wrapped.chat.completions.create(params);
      const err = await wrapped.chat.completions.create(params).catch((e: unknown) => e);
      return { ok, err };
    });
    assert.equal(result.ok.choices[0]?.message.content, 'after retry');
    assert.ok(result.err instanceof OpenAI.BadRequestError);
    assert.equal(result.err.status, 400);
    const calls = await traceCalls(root.id);
    const children = calls.filter((c) => c.parent_id === root.id);
    assert.deepEqual(children.map((c) => c.status).sort(), ['error', 'success']);
    assert.match(children.find((c) => c.status === 'error')!.exception ?? '', /bad field messages/);
  });

  test('responses.create (plain and streamed): input/output tokens normalised', async () => {
    const response = {
      id: 'resp_1',
      object: 'response',
      model: 'gpt-4.1-2025-04-14',
      status: 'completed',
      output: [
        {
          type: 'message',
          id: 'm1',
          role: 'assistant',
          content: [{ type: 'output_text', text: 'yo', annotations: [] }],
        },
      ],
      usage: { input_tokens: 100, output_tokens: 10, total_tokens: 110 },
    };
    llm.answer('/responses', { kind: 'json', body: response });
    llm.answer('/responses', {
      kind: 'sse',
      events: [
        {
          event: 'response.created',
          data: { type: 'response.created', response: { ...response, output: [], usage: null } },
        },
        { event: 'response.output_text.delta', data: { type: 'response.output_text.delta', delta: 'yo' } },
        { event: 'response.completed', data: { type: 'response.completed', response } },
      ],
    });
    const { result, root } = await traced(async () => {
      const plain = await wrapped.responses.create({ model: 'gpt-4.1', input: 'hi' });
      const events: string[] = [];
      for await (const e of await wrapped.responses.create({ model: 'gpt-4.1', input: 'hi', stream: true }))
        events.push(e.type);
      return { text: plain.output_text, events };
    });
    assert.equal(result.text, 'yo');
    assert.deepEqual(result.events, ['response.created', 'response.output_text.delta', 'response.completed']);
    const usage = root.summary?.usage?.['gpt-4.1-2025-04-14'];
    assert.equal(usage?.prompt_tokens, 200);
    assert.equal(usage?.completion_tokens, 20);
    assert.equal(usage?.total_tokens, 220);
    assert.equal(usage?.requests, 2);
    assert.equal(usage?.cost_usd, 0.00056);
  });

  test('embeddings.create, priced from init({ prices }) by a dated model name', async () => {
    llm.answer('/embeddings', {
      kind: 'json',
      body: {
        object: 'list',
        model: 'my-tuned-model-2025',
        data: [{ object: 'embedding', index: 0, embedding: [0.1, 0.2] }],
        usage: { prompt_tokens: 1000, total_tokens: 1000 },
      },
    });
    const { result, llmCall } = await traced(() =>
      wrapped.embeddings.create({ model: 'my-tuned-model', input: 'x', encoding_format: 'float' }),
    );
    assert.deepEqual(result.data[0]?.embedding, [0.1, 0.2]);
    assert.equal(llmCall.op_name, 'openai.embeddings.create');
    assert.deepEqual(llmCall.summary?.usage?.['my-tuned-model-2025'], {
      requests: 1,
      prompt_tokens: 1000,
      completion_tokens: 0,
      total_tokens: 1000,
      cost_usd: 0.001,
    });
  });

  test('init rejects a bad prices option, naming it', async () => {
    await assert.rejects(
      init({ project: 'a/b', spoolDir: false, prices: { 'gpt-x': { input: -1, output: 1 } } }),
      (e: unknown) => e instanceof InvalidOptionError && e.option === 'prices["gpt-x"].input',
    );
    await assert.rejects(
      init({ project: 'a/b', spoolDir: false, prices: [] as unknown as Record<string, never> }),
      (e: unknown) => e instanceof InvalidOptionError && e.option === 'prices',
    );
  });
});
