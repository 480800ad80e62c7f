import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CLICKHOUSE_SKIP, CLICKHOUSE_URL } from '../src/store/clickhouse/test-databases.test-helper.js';
import { WeftServer, type WeftServerStore } from './helpers/weft-server.js';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

const stores: { name: string; store: WeftServerStore; skip: string | false }[] = [
  { name: 'sqlite', store: { kind: 'sqlite' }, skip: false },
  {
    name: 'clickhouse',
    store: { kind: 'clickhouse', clickhouseUrl: CLICKHOUSE_URL ?? '' },
    skip: CLICKHOUSE_SKIP,
  },
];

for (const { name, store, skip } of stores) {
  describe(`weft keys create on the ${name} store`, { skip }, () => {
    test('a key created by the CLI in the store the server uses locks the server to it', async () => {
      const server = new WeftServer([], store);
      try {
        const storeArgs =
          store.kind === 'clickhouse'
            ? [
                '--store',
                'clickhouse',
                '--clickhouse-url',
                store.clickhouseUrl,
                '--clickhouse-database',
                server.clickhouseDatabase,
              ]
            : ['--db', server.db];
        const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WEFT_')));
        const { stdout } = await run(
          process.execPath,
          [CLI, 'keys', 'create', '--project', 'acme/keys', ...storeArgs],
          {
            env,
          },
        );
        const key = stdout.trim();
        assert.match(key, /^\S{20,}$/);
        await server.start();
        const body = { project_id: 'acme/keys' };
        assert.equal((await server.post('/calls/query_stats', body)).status, 401);
        const ok = await server.post('/calls/query_stats', body, { authorization: `Bearer ${key}` });
        assert.equal(ok.status, 200);
        const other = await server.post(
          '/calls/query_stats',
          { project_id: 'acme/other' },
          { authorization: `Bearer ${key}` },
        );
        assert.equal(other.status, 403);
      } finally {
        await server.dispose();
      }
    });
  });
}
