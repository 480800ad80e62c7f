import assert from 'node:assert/strict';
import { test } from 'node:test';
import { treeCall } from './call-record.test-helper.js';
import { CallTree, waterfallBar } from './call-tree.js';

const call = treeCall;

const calls = [
  call('b', 'root', 3, 4),
  call('root', null, 0, 10),
  call('a', 'root', 1, 2),
  call('a1', 'a', 1.5, 1.8),
  call('orphan', 'missing-parent', 5, null),
];

test('builds the tree in start order; calls with an unknown parent are roots', () => {
  const tree = CallTree.build(calls);
  assert.deepEqual(
    tree.roots.map((n) => n.call.id),
    ['root', 'orphan'],
  );
  assert.deepEqual(
    tree.byId.get('root')?.children.map((n) => n.call.id),
    ['a', 'b'],
  );
  assert.equal(tree.byId.get('a1')?.depth, 2);
  assert.deepEqual(tree.ancestorIds('a1'), ['a', 'root']);
  assert.deepEqual(tree.parentIds().sort(), ['a', 'root']);
  assert.deepEqual(tree.runningIds(), ['orphan']);
  assert.equal(tree.startMs, 0);
  assert.equal(tree.endMs, 10_000);
});

test('visible rows follow the expanded set, depth first', () => {
  const tree = CallTree.build(calls);
  const ids = (expanded: string[]) => tree.visibleRows(new Set(expanded)).map((n) => n.call.id);
  assert.deepEqual(ids([]), ['root', 'orphan']);
  assert.deepEqual(ids(['root']), ['root', 'a', 'b', 'orphan']);
  assert.deepEqual(ids(['root', 'a']), ['root', 'a', 'a1', 'b', 'orphan']);
  assert.deepEqual(ids(['a']), ['root', 'orphan'], 'a closed parent hides open children');
});

test('a deep chain of 5 000 calls builds without overflowing the stack', () => {
  const chain = Array.from({ length: 5000 }, (_, i) => call(`c${i}`, i === 0 ? null : `c${i - 1}`, i, i + 1));
  const tree = CallTree.build(chain.reverse());
  assert.equal(tree.byId.get('c4999')?.depth, 4999);
  const all = new Set(tree.parentIds());
  assert.equal(tree.visibleRows(all).length, 5000);
});

test('a parent cycle does not hang: those calls are simply not reachable from a root', () => {
  const tree = CallTree.build([call('x', 'y', 0, 1), call('y', 'x', 0, 1), call('r', null, 0, 1)]);
  assert.deepEqual(
    tree.visibleRows(new Set(['x', 'y', 'r'])).map((n) => n.call.id),
    ['r'],
  );
});

test('waterfall bars are fractions of the trace span; running calls reach now', () => {
  const tree = CallTree.build(calls);
  const bar = (id: string, now = 10_000) => waterfallBar(tree.byId.get(id)!, 0, 10_000, now);
  assert.deepEqual(bar('root'), { left: 0, width: 1 });
  assert.deepEqual(bar('a'), { left: 0.1, width: 0.1 });
  assert.deepEqual(bar('orphan', 7_500), { left: 0.5, width: 0.25 });
});
