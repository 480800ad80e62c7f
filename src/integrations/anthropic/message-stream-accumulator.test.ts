import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MessageStreamAccumulator } from './message-stream-accumulator.js';

/** A streamed Message with text and a tool call, as the SDK parses its events. */
function events(): Record<string, unknown>[] {
  return JSON.parse(
    JSON.stringify([
      {
        type: 'message_start',
        message: {
          id: 'msg_1',
          model: 'claude-x',
          role: 'assistant',
          usage: { input_tokens: 5, cache: { hits: 1 } },
        },
      },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '', citations: [] } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } },
      { type: 'content_block_stop', index: 0 },
      {
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'tool_use', id: 't', name: 'f', input: {} },
      },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"q":1}' } },
      { type: 'content_block_stop', index: 1 },
      { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 3 } },
    ]),
  ) as Record<string, unknown>[];
}

test('the accumulated message owns its values: changing the events afterwards does not change it', () => {
  const evs = events();
  const acc = new MessageStreamAccumulator();
  for (const e of evs) acc.add(e);
  assert.equal(acc.ownsOutput(), true);
  const before = JSON.stringify(acc.output());
  const start = evs[0] as { message: { usage: { cache: { hits: number } } } };
  start.message.usage.cache.hits = 99;
  (evs[1] as { content_block: { citations: unknown[] } }).content_block.citations.push('changed');
  assert.equal(JSON.stringify(acc.output()), before);
  const out = acc.output() as {
    content: { text?: string; input?: unknown }[];
    usage: Record<string, unknown>;
  };
  assert.equal(out.content[0]!.text, 'Hi');
  assert.deepEqual(out.content[1]!.input, { q: 1 });
  assert.deepEqual(out.usage, { input_tokens: 5, cache: { hits: 1 }, output_tokens: 3 });
});

test('an event value that is not plain data is kept as is, and the output is then not owned', () => {
  const acc = new MessageStreamAccumulator();
  const message = { id: 'm', usage: {} };
  Object.defineProperty(message, 'extra', { enumerable: true, get: () => 'x' });
  acc.add({ type: 'message_start', message });
  assert.equal(acc.ownsOutput(), false);
  assert.equal((acc.output() as { id: string }).id, 'm');
});
