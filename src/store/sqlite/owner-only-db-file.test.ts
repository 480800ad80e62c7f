import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { completePart } from '../contract/contract-fixtures.test-suite.js';
import { SqliteStore } from './sqlite-store.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-sqlite-modes-'));
const modeOf = (file: string) => (fs.statSync(file).mode & 0o777).toString(8);
let umask = 0;
before(() => {
  umask = process.umask(0o022);
});
after(() => {
  process.umask(umask);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('SQLite store files owner-only', () => {
  test('weft.db and its -wal/-shm are created 0600 (new folders 0700) under umask 022', async () => {
    const file = path.join(dir, 'new', 'nested', 'weft.db');
    const store = SqliteStore.open(file);
    try {
      await store.ingest([completePart('e/p', 'a')]);
      const stream = store.queryCalls({ project_id: 'e/p' }); // opens a read connection too
      for await (const call of stream) assert.equal(call.id, 'a');
      for (const f of [file, `${file}-wal`, `${file}-shm`]) assert.equal(modeOf(f), '600', f);
      assert.equal(modeOf(path.join(dir, 'new')), '700');
      assert.equal(modeOf(path.dirname(file)), '700');
    } finally {
      await store.close();
    }
  });

  test('-wal/-shm left more open than the database are restricted when the store opens', async () => {
    const file = path.join(dir, 'leftover.db');
    const first = SqliteStore.open(file);
    try {
      await first.ingest([completePart('e/p', 'b')]);
      fs.chmodSync(`${file}-wal`, 0o644);
      fs.chmodSync(`${file}-shm`, 0o666);
      const second = SqliteStore.open(file);
      try {
        assert.equal((await second.readCall('e/p', 'b'))?.status, 'success');
        for (const f of [file, `${file}-wal`, `${file}-shm`]) assert.equal(modeOf(f), '600', f);
      } finally {
        await second.close();
      }
    } finally {
      await first.close();
    }
  });

  test('an existing database keeps its permissions', async () => {
    const file = path.join(dir, 'shared.db');
    await SqliteStore.open(file).close();
    fs.chmodSync(file, 0o640);
    const store = SqliteStore.open(file);
    try {
      await store.ingest([completePart('e/p', 'c')]);
      assert.equal(modeOf(file), '640');
    } finally {
      await store.close();
    }
  });
});
