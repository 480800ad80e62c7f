import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { recordText } from '../record-bytes.js';
import { DeadLetter } from './dead-letter.js';
import { SeqRuns } from './seq-runs.js';
import { Spool } from './spool.js';
import { config, drain, kill, rec, tempRoot } from './spool-test-kit.js';

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

test('reads sized from the last batch: records that grow 100x still come back whole, in order', () => {
  const spool = new Spool(config({ segmentBytes: 8 << 20 }));
  const big = (i: number): string => JSON.stringify({ id: `c${i}`, pad: 'x'.repeat(i < 300 ? 10 : 4000) });
  for (let i = 0; i < 600; i++) assert.ok(spool.append('complete', i + 1, big(i)));
  const sizes: number[] = [];
  const ids: string[] = [];
  for (let b = spool.read(100, 10 << 20); b; b = spool.read(100, 10 << 20)) {
    sizes.push(b.items.length);
    for (const item of b.items) ids.push((JSON.parse(recordText(item)) as { id: string }).id);
    spool.commit(b);
  }
  assert.deepEqual(
    ids,
    Array.from({ length: 600 }, (_, i) => `c${i}`),
  );
  assert.ok(
    sizes.some((n) => n < 100),
    `a read sized for small lines returns fewer of the large ones (${sizes.join(' ')})`,
  );
  spool.close();
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
  assert.equal(second.adoptedPending(), 60, 'counted from the files: what was not acknowledged');
  const batch = second.read(25, 1 << 20)!; // the rest of a segment, at most 25
  second.commit(batch);
  const acked = batch.items.length;
  assert.equal(second.adoptedPending(), 60 - acked, 'then kept up to date as batches are acknowledged');
  const ids = [
    ...batch.items.map((item) => (JSON.parse(recordText(item)) as { id: string }).id),
    ...drain(second),
  ];
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

/** `path` and everything under it, each with its permission bits. */
function modes(path: string): { path: string; dir: boolean; mode: number }[] {
  const st = statSync(path);
  const here = { path, dir: st.isDirectory(), mode: st.mode & 0o777 };
  if (!here.dir) return [here];
  return [here, ...readdirSync(path).flatMap((n) => modes(join(path, n)))];
}

test('files owner-only: spool folders are 0700 and segments, acks, locks, dead letters 0600 under umask 022', () => {
  const previous = process.umask(0o022);
  try {
    const base = tempRoot('weft-spool-modes-');
    const root = join(base, '.weft', 'spool');
    const cfg = config({ root, segmentBytes: 1500 });
    const first = new Spool(cfg);
    for (let i = 0; i < 60; i++) first.append('complete', i + 1, rec(i));
    first.commit(first.read(3, 1 << 20)!); // writes an ack
    new DeadLetter(first.dir).write('complete', rec(1), 400, 'bad');
    first.syncNow();
    kill(first);
    const second = new Spool(cfg);
    assert.equal(second.recover(), true); // an adopted folder inside a new own folder
    second.append('complete', 61, rec(61));

    const all = modes(join(base, '.weft'));
    const names = all.map((e) => e.path.slice(base.length));
    for (const expected of [
      'ack',
      'lock',
      'server.json',
      'dead-letter.ndjson',
      'seg-000001.log',
      'adopted-p',
    ]) {
      assert.ok(
        names.some((n) => n.includes(expected)),
        `${expected} among ${names.join(' ')}`,
      );
    }
    for (const e of all) {
      assert.equal(e.mode, e.dir ? 0o700 : 0o600, `${e.path}: ${e.mode.toString(8)}`);
    }
    second.close();
  } finally {
    process.umask(previous);
  }
});

test('no credentials persisted: server.json holds the server URL without user info, query or fragment', () => {
  const cfg = config({ serverUrl: 'http://api:SECRET-KEY@127.0.0.1:1/weft?api_key=SECRET-Q#SECRET-F' });
  const spool = new Spool(cfg);
  spool.append('complete', 1, rec(1));
  const info = readFileSync(join(spool.dir, 'server.json'), 'utf8');
  assert.deepEqual(JSON.parse(info), { serverUrl: 'http://127.0.0.1:1/weft' });
  assert.doesNotMatch(info, /SECRET|api:/);
  spool.close();

  // A server.json an older version wrote with the key in it is rewritten by the next writer.
  writeFileSync(join(spool.dir, 'server.json'), JSON.stringify({ serverUrl: cfg.serverUrl }) + '\n');
  const next = new Spool(cfg);
  next.append('complete', 2, rec(2));
  assert.equal(readFileSync(join(spool.dir, 'server.json'), 'utf8'), info);
  assert.deepEqual(drain(next), ['c2']);
  next.close();
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

test('SeqRuns out of order (an outage spools a late-failing batch after the queue): min and countUpTo see every run', () => {
  const runs = new SeqRuns();
  for (let i = 1; i <= 10; i++) runs.push(i); // batch A fails first
  for (let i = 21; i <= 30; i++) runs.push(i); // the queue, spilled as the outage begins
  for (let i = 11; i <= 20; i++) runs.push(i); // batch B fails later
  assert.equal(runs.min(), 1);
  assert.equal(runs.countUpTo(20), 20, 'a flush up to 20 covers A and B, not the queue');
  assert.equal(runs.countUpTo(25), 25);
  runs.shift(10); // A sent
  assert.equal(runs.first(), 21);
  assert.equal(runs.min(), 11, 'B still waits: the oldest line is not the lowest sequence number');
  assert.equal(runs.countUpTo(20), 10);
  assert.equal(runs.countUpTo(10), 0);
  runs.shift(20);
  assert.equal(runs.countUpTo(Infinity), 0);
});
