import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SeqRuns } from './seq-runs.js';
import { releaseOwnDir } from './spool-layout.js';
import { Spool, type SpoolConfig } from './spool.js';

const roots: string[] = [];
after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

function config(overrides: Partial<SpoolConfig> = {}): SpoolConfig {
  const root = mkdtempSync(join(tmpdir(), 'weft-spool-'));
  roots.push(root);
  return {
    root,
    projectId: 'acme/spool',
    serverUrl: 'http://127.0.0.1:1',
    maxBytes: 1 << 30,
    segmentBytes: 1 << 20,
    fsyncIntervalMs: 10,
    ...overrides,
  };
}

const rec = (i: number): string =>
  JSON.stringify({ project_id: 'acme/spool', id: `c${i}`, n: i, text: 'é'.repeat(i % 7) });

/** Drains a spool, committing every batch; returns the ids in order. */
function drain(spool: Spool, batch = 7): string[] {
  const ids: string[] = [];
  for (let b = spool.read(batch, 1 << 20); b; b = spool.read(batch, 1 << 20)) {
    for (const item of b.items) ids.push((JSON.parse(item.json) as { id: string }).id);
    spool.commit(b);
  }
  return ids;
}

/** Makes a writer folder look like it belongs to a dead process. */
function kill(spool: Spool): void {
  for (const name of readdirSync(spool.dir)) {
    if (!name.startsWith('p')) continue;
    writeFileSync(join(spool.dir, name, 'lock'), '999999999');
    releaseOwnDir(join(spool.dir, name));
  }
}

test('append, read and commit across segment rotation, in order, without losing a record', () => {
  const spool = new Spool(config({ segmentBytes: 2000 }));
  for (let i = 0; i < 500; i++) assert.ok(spool.append('complete', i + 1, rec(i)));
  assert.equal(spool.ownPending, 500);
  assert.equal(spool.oldestSeq(), 1);
  const ids = drain(spool);
  assert.deepEqual(
    ids,
    Array.from({ length: 500 }, (_, i) => `c${i}`),
  );
  assert.equal(spool.ownPending, 0);
  assert.equal(spool.oldestSeq(), Infinity);
  spool.close();
  assert.equal(
    readdirSync(spool.dir).filter((n) => n.startsWith('p')).length,
    0,
    'empty writer folder removed',
  );
});

test("a new process adopts a dead one's records and resumes after what the server acknowledged", () => {
  const cfg = config({ segmentBytes: 1500 });
  const first = new Spool(cfg);
  for (let i = 0; i < 100; i++) first.append(i % 3 === 0 ? 'start' : 'complete', i + 1, rec(i));
  for (let acked = 0; acked < 40;) {
    const b = first.read(40 - acked, 1 << 20)!; // a batch never spans two segments
    first.commit(b); // the server accepted it
    acked += b.items.length;
  }
  assert.ok(first.read(10, 1 << 20)); // in flight when the process died: not acknowledged
  first.syncNow();
  kill(first);

  const second = new Spool(cfg);
  assert.equal(second.recover(), true);
  assert.equal(second.oldestSeq(), 0, 'adopted records count as older than anything of this process');
  const ids = drain(second);
  assert.deepEqual(
    ids,
    Array.from({ length: 60 }, (_, i) => `c${i + 40}`),
  );
  second.close();
  assert.equal(new Spool(cfg).recover(), false, 'nothing left for a third process');
});

test("a live process's folder is never adopted", () => {
  const cfg = config();
  const live = new Spool(cfg);
  live.append('complete', 1, rec(1));
  const other = new Spool(cfg);
  assert.equal(other.recover(), false);
  assert.deepEqual(drain(live), ['c1']);
});

test('a torn last line of a dead writer is skipped; the lines before it are replayed', () => {
  const cfg = config();
  const first = new Spool(cfg);
  for (let i = 0; i < 5; i++) first.append('complete', i + 1, rec(i));
  first.close();
  const folder = readdirSync(first.dir).find((n) => n.startsWith('p'))!;
  const seg = readdirSync(join(first.dir, folder)).find((n) => n.startsWith('seg-'))!;
  appendFileSync(join(first.dir, folder, seg), 'c6\t{"project_id":"acme/spool","id":"c');
  kill(first);
  const second = new Spool(cfg);
  assert.equal(second.recover(), true);
  assert.deepEqual(drain(second), ['c0', 'c1', 'c2', 'c3', 'c4']);
});

test('appends past maxBytes are refused', () => {
  const spool = new Spool(config({ maxBytes: 1000 }));
  let accepted = 0;
  for (let i = 0; i < 100; i++) if (spool.append('complete', i + 1, rec(i))) accepted++;
  assert.ok(accepted > 5 && accepted < 100, `accepted ${accepted}`);
  assert.ok(spool.bytes <= 1000);
  assert.equal(drain(spool).length, accepted);
});

test('nothing touches the disk until something is spooled', () => {
  const cfg = config();
  const spool = new Spool(cfg);
  assert.equal(spool.recover(), false);
  spool.close();
  assert.equal(existsSync(spool.dir), false);
});

test('SeqRuns stores consecutive sequence numbers as runs', () => {
  const runs = new SeqRuns();
  for (let i = 10; i < 20; i++) runs.push(i);
  runs.push(40);
  assert.equal(runs.first(), 10);
  runs.shift(9);
  assert.equal(runs.first(), 19);
  runs.shift(1);
  assert.equal(runs.first(), 40);
  runs.shift(1);
  assert.equal(runs.first(), Infinity);
});
