import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toJsonText } from '../../sdk/json-text.js';
import { toJsonSafe } from '../../sdk/serialize.js';
import { chatChunks } from '../../../test/helpers/llm-mock-server.js';
import { ChatStreamAccumulator } from './chat-stream-accumulator.js';

/** The chunks of a streamed completion with text, a tool call and usage, as the SDK parses them. */
function parsedChunks(): Record<string, unknown>[] {
  return chatChunks(['Hel', 'lo', ' there'], true).map(
    (e) => JSON.parse(JSON.stringify(e.data)) as Record<string, unknown>,
  );
}

function accumulate(chunks: unknown[]): unknown {
  const acc = new ChatStreamAccumulator();
  for (const c of chunks) acc.add(c);
  return acc.output();
}

test('the accumulated completion has the message, tool call and usage, and serializes as the full serializer does', () => {
  const output = accumulate(parsedChunks()) as {
    choices: { message: { content: string; tool_calls: unknown[] } }[];
    usage: Record<string, number>;
  };
  assert.equal(output.choices[0]!.message.content, 'Hello there');
  assert.equal(output.choices[0]!.message.tool_calls.length, 1);
  assert.equal(typeof output.usage.total_tokens, 'number');
  assert.equal(toJsonText(output), JSON.stringify(toJsonSafe(output)));
});

test('chunk values are copied: changing a chunk after it was read does not change the output', () => {
  const chunks = parsedChunks();
  const acc = new ChatStreamAccumulator();
  for (const c of chunks) acc.add(c);
  const last = chunks.find((c) => c.usage) as { usage: Record<string, unknown> };
  const before = toJsonText(acc.output());
  last.usage.total_tokens = 999_999;
  Object.defineProperty(last.usage, 'prompt_tokens', {
    get: () => {
      throw new Error('a getter added by the reader');
    },
  });
  assert.equal(toJsonText(acc.output()), before);
});

test('odd chunk values (an object id, an accessor, a huge number) are kept and serialized with every guard', () => {
  let reads = 0;
  const usage = { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 };
  Object.defineProperty(usage, 'extra', {
    enumerable: true,
    get: () => ++reads,
  });
  const chunks: unknown[] = [
    { id: { odd: true }, created: Infinity, model: 'm', choices: [{ index: 0, delta: { content: 'hi' } }] },
    { id: 'c', choices: [], usage },
  ];
  const output = accumulate(chunks);
  const text = toJsonText(output);
  assert.equal(text, JSON.stringify(toJsonSafe(output)).replace(/"extra":2/, '"extra":1'));
  assert.match(text, /"content":"hi"/);
  assert.equal(reads, 2, 'the getter ran once per serialization, as with any user value');
});
