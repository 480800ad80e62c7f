import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  callLabel,
  formatAgo,
  formatCount,
  formatDuration,
  opShortName,
  peek,
  tokenUsage,
  formatCost,
} from './call-format.js';

test('durations read naturally at every scale', () => {
  assert.equal(formatDuration(null), '–');
  assert.equal(formatDuration(2.5), '2.5 ms');
  assert.equal(formatDuration(850), '850 ms');
  assert.equal(formatDuration(1250), '1.25 s');
  assert.equal(formatDuration(12_345), '12.3 s');
  assert.equal(formatDuration(125_000), '2m 05s');
  assert.equal(formatDuration(3_720_000), '1h 02m');
});

test('token usage sums models and both naming conventions', () => {
  assert.equal(tokenUsage(null), null);
  assert.equal(tokenUsage({}), null);
  assert.deepEqual(
    tokenUsage({
      usage: {
        'gpt-x': { prompt_tokens: 10, completion_tokens: 5 },
        claude: { input_tokens: 3, output_tokens: 2, total_tokens: 6 },
      },
    }),
    { total: 21, prompt: 13, completion: 7, costUsd: null, models: ['gpt-x', 'claude'] },
  );
  const priced = tokenUsage({
    usage: {
      'gpt-4o': { prompt_tokens: 1000, completion_tokens: 100, cost_usd: 0.0035 },
      'claude-3-haiku': { input_tokens: 10, output_tokens: 10, cost_usd: 0.000015 },
      unpriced: { prompt_tokens: 5, completion_tokens: 5 },
    },
  });
  assert.equal(priced?.costUsd, 0.0035 + 0.000015);
  assert.equal(priced?.total, 1130);
});

test('costs show enough digits to tell small calls apart', () => {
  assert.equal(formatCost(null), '–');
  assert.equal(formatCost(0), '$0');
  assert.equal(formatCost(0.00004), '<$0.0001');
  assert.equal(formatCost(0.0035), '$0.0035');
  assert.equal(formatCost(0.125), '$0.125');
  assert.equal(formatCost(12.5), '$12.50');
});

test('op refs show their name; labels prefer the display name', () => {
  assert.equal(opShortName('weave:///acme/chatbot/op/answer:abc123'), 'answer');
  assert.equal(opShortName('retrieve'), 'retrieve');
  assert.equal(callLabel({ display_name: 'nightly', op_name: 'Evaluation.evaluate' }), 'nightly');
  assert.equal(callLabel({ display_name: null, op_name: 'weave:///a/b/op/x:1' }), 'x');
});

test('peek gives one short line', () => {
  assert.equal(peek({ question: 'what is\n weft?' }), 'what is weft?');
  assert.equal(peek({ a: 1, b: 'x', c: [1, 2] }), 'a: 1, b: "x", c: [1, 2]');
  assert.equal(peek(null), '');
  assert.equal(peek({ deep: { a: { b: { c: { d: 1 } } } }, x: 1 }), 'deep: {a: {b: {…}}}, x: 1');
  assert.equal(peek('x'.repeat(200), 10), `${'x'.repeat(9)}…`);
});

test('counts and ages', () => {
  assert.equal(formatCount(1234), '1,234');
  assert.equal(formatCount(12_345), '12.3k');
  assert.equal(formatCount(1_000_000), '1.0M');
  const now = Date.UTC(2026, 0, 1, 12);
  assert.equal(formatAgo(new Date(now - 5000).toISOString(), now), 'just now');
  assert.equal(formatAgo(new Date(now - 600_000).toISOString(), now), '10 min ago');
  assert.equal(formatAgo(null, now), 'never');
});
