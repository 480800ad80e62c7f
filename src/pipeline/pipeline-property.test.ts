import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Receiver } from '../../test/helpers/receiver.js';
import { init } from '../sdk/init.js';
import { op } from '../sdk/op.js';
import { mulberry32 } from '../shared/mulberry32.js';

/**
 * Property: random trees of sync, async and generator ops, with random throws, concurrency and eager
 * flags, always reach the server as exactly one record per call (complete, or start + end for eager)
 * with the right parent and trace ids.
 */
type Kind = 'sync' | 'gen' | 'async' | 'agen';
interface Node {
  label: string;
  kind: Kind;
  eager: boolean;
  throws: boolean;
  concurrent: boolean;
  children: Node[];
  parent: Node | undefined;
}

function makeTree(rand: () => number, nodes: Map<string, Node>, prefix: string): Node {
  let n = 0;
  const grow = (parent: Node | undefined, depth: number): Node => {
    const syncOnly = parent !== undefined && (parent.kind === 'sync' || parent.kind === 'gen');
    const kinds: Kind[] = syncOnly ? ['sync', 'gen'] : ['sync', 'gen', 'async', 'agen'];
    const node: Node = {
      label: `${prefix}-${n++}`,
      kind: kinds[Math.floor(rand() * kinds.length)]!,
      eager: rand() < 0.2,
      throws: rand() < 0.15,
      concurrent: rand() < 0.5,
      children: [],
      parent,
    };
    nodes.set(node.label, node);
    const width = depth >= 4 ? 0 : Math.floor(rand() * 4);
    for (let i = 0; i < width && n < 40; i++) node.children.push(grow(node, depth + 1));
    return node;
  };
  return grow(undefined, 0);
}

let nodes = new Map<string, Node>();
const ops = new Map<string, (label: string) => unknown>();

function runSync(child: Node): void {
  try {
    const out = ops.get(`${child.kind}:${child.eager}`)!(child.label);
    if (child.kind === 'gen') for (const _ of out as Iterable<unknown>);
  } catch {
    // recorded; the tree goes on
  }
}

async function runAny(child: Node): Promise<void> {
  if (child.kind === 'sync' || child.kind === 'gen') return runSync(child);
  try {
    const out = ops.get(`${child.kind}:${child.eager}`)!(child.label);
    if (child.kind === 'agen') for await (const _ of out as AsyncIterable<unknown>);
    else await out;
  } catch {
    // recorded
  }
}

for (const eager of [false, true]) {
  const options = { name: eager ? 'node_eager' : 'node', eagerCallStart: eager };
  ops.set(
    `sync:${eager}`,
    op(function syncNode(label: string) {
      const node = nodes.get(label)!;
      for (const c of node.children) runSync(c);
      if (node.throws) throw new Error(label);
      return label;
    }, options),
  );
  ops.set(
    `gen:${eager}`,
    op(function* genNode(label: string) {
      const node = nodes.get(label)!;
      for (const c of node.children) {
        runSync(c);
        yield c.label;
      }
      if (node.throws) throw new Error(label);
    }, options),
  );
  ops.set(
    `async:${eager}`,
    op(async function asyncNode(label: string) {
      const node = nodes.get(label)!;
      if (node.concurrent) await Promise.all(node.children.map(runAny));
      else for (const c of node.children) await runAny(c);
      await new Promise((res) => setImmediate(res));
      if (node.throws) throw new Error(label);
      return label;
    }, options),
  );
  ops.set(
    `agen:${eager}`,
    op(async function* agenNode(label: string) {
      const node = nodes.get(label)!;
      for (const c of node.children) {
        await runAny(c);
        yield c.label;
      }
      if (node.throws) throw new Error(label);
    }, options),
  );
}

let r: Receiver;
before(async () => (r = await new Receiver().start()));
after(() => r.close());

test('random op trees reach the server as exactly one record per call with correct ids', async () => {
  const client = await init({
    project: 'acme/prop',
    serverUrl: r.url,
    maxBatchSize: 50,
    batchIntervalMs: 5,
    logger: { warn: () => {} },
  });
  let total = 0;
  for (let seed = 1; seed <= 40; seed++) {
    const rand = mulberry32(seed);
    nodes = new Map();
    r.completes.length = r.starts.length = r.ends.length = 0;
    const roots = Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, i) =>
      makeTree(rand, nodes, `s${seed}t${i}`),
    );
    await Promise.all(roots.map(runAny));
    const report = await client.flush();
    assert.equal(report.undeliverable, 0);
    assert.equal(report.pendingCalls, 0);

    const records = new Map<string, Record<string, unknown>>();
    const add = (rec: Record<string, unknown>, kind: string): void => {
      const label = (rec.inputs as { label: string } | undefined)?.label;
      const key = `${kind}:${label ?? rec.id}`;
      assert.ok(!records.has(key), `seed ${seed}: duplicate ${key}`);
      records.set(key, rec);
    };
    for (const c of r.completes) add(c, 'complete');
    for (const s of r.starts) add(s, 'start');
    const endsById = new Map(r.ends.map((e) => [e.id, e]));
    assert.equal(endsById.size, r.ends.length, `seed ${seed}: duplicate end`);
    assert.equal(r.completes.length + r.starts.length, nodes.size, `seed ${seed}: one record per call`);

    const idOf = (n: Node): Record<string, unknown> => {
      const rec = n.eager ? records.get(`start:${n.label}`) : records.get(`complete:${n.label}`);
      assert.ok(rec, `seed ${seed}: ${n.label} (${n.kind}, eager=${n.eager}) missing`);
      return rec;
    };
    for (const n of nodes.values()) {
      const rec = idOf(n);
      let root = n;
      while (root.parent) root = root.parent;
      assert.equal(rec.parent_id, n.parent ? idOf(n.parent).id : null, `seed ${seed}: parent of ${n.label}`);
      assert.equal(rec.trace_id, idOf(root).trace_id, `seed ${seed}: trace of ${n.label}`);
      const end = n.eager ? endsById.get(rec.id) : rec;
      assert.ok(end, `seed ${seed}: eager ${n.label} has its end`);
      assert.equal(end.exception !== null, n.throws, `seed ${seed}: exception of ${n.label}`);
      if (!n.eager) assert.ok(!endsById.has(rec.id), `seed ${seed}: ${n.label} split`);
    }
    assert.equal(r.ends.length, r.starts.length, `seed ${seed}: every eager start has one end`);
    total += nodes.size;
  }
  assert.ok(total > 200, `exercised ${total} calls`);
});
