import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CallSummary } from '../../shared/call-types.js';
import { treeCall } from './call-record.test-helper.js';
import { CallTree } from './call-tree.js';
import { traceUsage } from './trace-usage.js';

const call = (id: string, parent: string | null, summary: CallSummary | null = null) =>
  treeCall(id, parent, 0, 1, summary);

const usage = (model: string, prompt: number, completion: number, cost?: number): CallSummary => ({
  usage: {
    [model]: {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
      ...(cost === undefined ? {} : { cost_usd: cost }),
    },
  },
});

test('OTLP-shaped traces: the LLM spans are summed though the root reports nothing', () => {
  const tree = CallTree.build([
    call('agent', null),
    call('llm1', 'agent', usage('gpt-4o', 10, 5, 0.001)),
    call('tool', 'agent'),
    call('llm2', 'tool', usage('claude', 20, 10, 0.002)),
  ]);
  const u = traceUsage(tree.roots);
  assert.deepEqual(
    { ...u, costUsd: u?.costUsd?.toFixed(4) },
    { total: 45, prompt: 30, completion: 15, costUsd: '0.0030', models: ['gpt-4o', 'claude'] },
  );
});

test("SDK-shaped traces: a parent's rolled-up usage is not counted on top of its children's", () => {
  const tree = CallTree.build([
    call('root', null, usage('gpt-4o', 30, 15, 0.003)),
    call('step', 'root', usage('gpt-4o', 30, 15, 0.003)),
    call('llm1', 'step', usage('gpt-4o', 10, 5, 0.001)),
    call('llm2', 'step', usage('gpt-4o', 20, 10, 0.002)),
  ]);
  assert.equal(traceUsage(tree.roots)?.total, 45);
});

test('no usage anywhere is null; a 10 000-deep trace does not overflow the stack', () => {
  assert.equal(traceUsage(CallTree.build([call('a', null), call('b', 'a')]).roots), null);
  const calls = [call('c0', null)];
  for (let i = 1; i < 10_000; i++) calls.push(call(`c${i}`, `c${i - 1}`));
  calls.push(call('leaf', 'c9999', usage('m', 1, 1)));
  assert.equal(traceUsage(CallTree.build(calls).roots)?.total, 2);
});
