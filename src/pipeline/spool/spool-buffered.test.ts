import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { LINE_BUFFER_BYTES } from './line-buffer.js';
import { encodeLine } from './spool-line.js';
import { Spool } from './spool.js';
import { config, drain, kill, rec } from './spool-test-kit.js';

/** Every segment file of the spool's writer folders, concatenated in order. */
function onDisk(spool: Spool): string {
  return readdirSync(spool.dir)
    .filter((n) => n.startsWith('p'))
    .flatMap((folder) =>
      readdirSync(join(spool.dir, folder))
        .filter((n) => n.startsWith('seg-'))
        .sort()
        .map((seg) => readFileSync(join(spool.dir, folder, seg), 'utf8')),
    )
    .join('');
}

test('without writeAtOnce a turn’s records reach the file together by the end of the turn, in order', async () => {
  const spool = new Spool(config({ writeAtOnce: false }));
  assert.ok(spool.append('complete', 1, rec(1)));
  assert.ok(spool.append('start', 22, rec(2)));
  assert.ok(spool.append('end', 333, rec(3)));
  assert.equal(onDisk(spool), '', 'nothing written during the turn');
  assert.equal(spool.ownPending, 3);
  await nextTurn();
  const expected =
    encodeLine('complete', 1, rec(1)) + encodeLine('start', 22, rec(2)) + encodeLine('end', 333, rec(3));
  assert.equal(onDisk(spool), expected, 'the same lines, byte for byte, as written one by one');
  assert.deepEqual(drain(spool), ['c1', 'c2', 'c3']);
  spool.close();
});

test('a burst larger than the buffer, with multi-byte text and a record larger than the buffer, stays in order', () => {
  const spool = new Spool(config({ writeAtOnce: false, segmentBytes: 256 * 1024 }));
  const huge = JSON.stringify({ id: 'huge', text: 'ü'.repeat(LINE_BUFFER_BYTES) });
  const ids: string[] = [];
  for (let i = 0; i < 3000; i++) {
    if (i === 1234) {
      assert.ok(spool.append('complete', i + 1, huge));
      ids.push('huge');
    } else {
      assert.ok(spool.append('complete', i + 1, rec(i)));
      ids.push(`c${i}`);
    }
  }
  // A read in the same turn sees everything: reading writes what waits first.
  assert.deepEqual(drain(spool, 100), ids);
  spool.close();
});

test('without writeAtOnce, maxBytes still refuses what does not fit, and close() writes what waits for the next process', () => {
  const full = new Spool(config({ writeAtOnce: false, maxBytes: 1000 }));
  let accepted = 0;
  for (let i = 0; i < 100; i++) if (full.append('complete', i + 1, rec(i))) accepted++;
  assert.ok(accepted > 5 && accepted < 100, `accepted ${accepted}`);
  assert.ok(full.bytes <= 1000);
  assert.equal(drain(full).length, accepted);
  full.close();

  const cfg = config({ writeAtOnce: false });
  const first = new Spool(cfg);
  for (let i = 0; i < 10; i++) first.append('complete', i + 1, rec(i));
  first.close(); // process exit: no later turn
  kill(first);
  const second = new Spool(cfg);
  assert.equal(second.recover(), true);
  assert.deepEqual(
    drain(second),
    Array.from({ length: 10 }, (_, i) => `c${i}`),
  );
  second.close();
});

test('with writeAtOnce (durability spool) each record is in the file when append returns', () => {
  const spool = new Spool(config({ writeAtOnce: true }));
  spool.append('complete', 7, rec(7));
  assert.equal(onDisk(spool), encodeLine('complete', 7, rec(7)));
  spool.append('complete', 8, rec(8));
  assert.equal(onDisk(spool), encodeLine('complete', 7, rec(7)) + encodeLine('complete', 8, rec(8)));
  spool.close();
});
