import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseJsonText, tokenUsage, unflattenIndexed } from './llm-mapping.js';

test('unflattenIndexed builds arrays of objects in index order and marks the keys consumed', () => {
  const consumed = new Set<string>();
  const out = unflattenIndexed(
    {
      'p.1.role': 'assistant',
      'p.0.role': 'user',
      'p.0.content': 'hi',
      'p.10.role': 'tool',
      'p.1.tool_calls.0.id': 'c1',
      other: 1,
      'p.x.role': 'not indexed',
    },
    'p.',
    consumed,
  );
  assert.deepEqual(out, [
    { role: 'user', content: 'hi' },
    { role: 'assistant', tool_calls: [{ id: 'c1' }] },
    { role: 'tool' },
  ]);
  assert.equal(consumed.size, 5);
  assert.equal(unflattenIndexed({ other: 1 }, 'p.', new Set()), undefined);
});

test('unflattenIndexed ignores huge indexes and keeps `__proto__` as a key', () => {
  const out = unflattenIndexed({ 'p.99999999.role': 'x', 'p.0.__proto__': 'y' }, 'p.', new Set());
  assert.equal(out?.length, 1);
  const first = out?.[0] as object;
  assert.equal(Object.getPrototypeOf(first), Object.prototype);
  assert.equal(Object.getOwnPropertyDescriptor(first, '__proto__')?.value, 'y');
});

test('parseJsonText parses JSON objects and arrays only', () => {
  assert.deepEqual(parseJsonText('[1]'), [1]);
  assert.deepEqual(parseJsonText(' {"a":1}'), { a: 1 });
  assert.equal(parseJsonText('42'), '42');
  assert.equal(parseJsonText('{bad'), '{bad');
  assert.equal(parseJsonText(3), 3);
});

test('tokenUsage totals what is known', () => {
  assert.equal(tokenUsage(undefined, undefined, undefined), undefined);
  assert.deepEqual(tokenUsage(3, undefined, undefined), {
    prompt_tokens: 3,
    completion_tokens: 0,
    total_tokens: 3,
  });
  assert.deepEqual(tokenUsage(3, 4, 10), { prompt_tokens: 3, completion_tokens: 4, total_tokens: 10 });
});
