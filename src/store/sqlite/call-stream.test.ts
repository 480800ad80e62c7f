import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { completePart } from '../contract/contract-fixtures.test-suite.js';
import { CallStream } from './call-stream.js';
import { ReadPool } from './read-pool.js';
import { SqliteStore } from './sqlite-store.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-call-stream-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('rows are read only as asked for, at most readAheadChars ahead; return() gives the connection back', async () => {
  const file = path.join(dir, 'rows.db');
  const store = SqliteStore.open(file);
  await store.ingest(
    Array.from({ length: 2000 }, (_, i) => completePart('e/p', `c${String(i).padStart(4, '0')}`)),
  );
  const pool = new ReadPool(file, { maxIdle: 1, busyTimeoutMs: 1000, statementCacheSize: 4 });
  try {
    let mapped = 0;
    const stream = new CallStream<string>(
      pool,
      { sql: 'SELECT id FROM calls WHERE project_id = ? ORDER BY id', params: ['e/p'] },
      {
        chunkRows: 500,
        readAheadChars: 16, // ids are 5 characters: batches of 4 rows
        isClosed: () => false,
        mapRow: (row) => {
          mapped++;
          return row as string;
        },
        pluck: true,
      },
    );
    const first = [await stream.next(), await stream.next(), await stream.next()].map((r) => r.value);
    assert.deepEqual(first, ['c0000', 'c0001', 'c0002']);
    assert.equal(mapped, 4, 'a stalled consumer pins readAheadChars of rows, not a chunk of 500');
    assert.equal(stream.buffered, 1);
    assert.equal(stream.holdsConnection, true);
    await stream.return();
    assert.equal(stream.holdsConnection, false);
    assert.deepEqual(await stream.next(), { value: undefined, done: true });

    // Every row, in order, across several yields to the event loop; the connection is given back.
    const all = new CallStream<string>(
      pool,
      { sql: 'SELECT id FROM calls WHERE project_id = ? ORDER BY id', params: ['e/p'] },
      {
        chunkRows: 500,
        readAheadChars: 64 * 1024,
        isClosed: () => false,
        mapRow: (row) => row as string,
        pluck: true,
      },
    );
    const ids: string[] = [];
    for await (const id of all) ids.push(id);
    assert.equal(ids.length, 2000);
    assert.equal(ids[1999], 'c1999');
    assert.equal(all.holdsConnection, false);
  } finally {
    pool.close();
    await store.close();
  }
});

test('a stream going on after the store closed fails with STORE_CLOSED and lets its connection go', async () => {
  const file = path.join(dir, 'closed.db');
  const store = SqliteStore.open(file);
  await store.ingest([completePart('e/p', 'a'), completePart('e/p', 'b')]);
  const pool = new ReadPool(file, { maxIdle: 1, busyTimeoutMs: 1000, statementCacheSize: 4 });
  let closed = false;
  const stream = new CallStream<string>(
    pool,
    { sql: 'SELECT id FROM calls ORDER BY id', params: [] },
    {
      chunkRows: 500,
      readAheadChars: 1,
      isClosed: () => closed,
      mapRow: (row) => row as string,
      pluck: true,
    },
  );
  assert.equal((await stream.next()).value, 'a');
  closed = true;
  await assert.rejects(stream.next(), (err: unknown) => (err as { code?: string }).code === 'STORE_CLOSED');
  assert.equal(stream.holdsConnection, false);
  pool.close();
  await store.close();
});
