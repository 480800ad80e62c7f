import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { WeftServer } from './helpers/weft-server.js';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/exit-after-burst.js', import.meta.url));

let server: WeftServer;
const spool = mkdtempSync(join(tmpdir(), 'weft-spool-cli-'));
before(async () => (server = await new WeftServer().start()));
after(async () => {
  await server.dispose();
  rmSync(spool, { recursive: true, force: true });
});

async function count(): Promise<number> {
  const res = await server.post('/calls/query_stats', { project_id: 'acme/exit-burst' });
  return ((await res.json()) as { count: number }).count;
}

test('process.exit() after a burst: the records wait in the spool; `weft spool replay` delivers them once', async () => {
  const env = { ...process.env, WEFT_SERVER_URL: server.url, WEFT_SPOOL_DIR: spool, BURST: '500' };
  await run(process.execPath, [FIXTURE], { env });
  assert.equal(await count(), 0, 'nothing was sent before exit');

  const status = await run(process.execPath, [CLI, 'spool', 'status', '--dir', spool]);
  assert.match(
    status.stdout,
    new RegExp(`acme/exit-burst\\s+${server.url.replace(/[.]/g, '\\.')}\\s+500\\s`),
  );

  const replay = await run(process.execPath, [CLI, 'spool', 'replay', '--dir', spool]);
  assert.match(replay.stdout, /sent 500 records/);
  assert.equal(await count(), 500);
  const calls = await server.post('/calls/query', { project_id: 'acme/exit-burst', limit: 1000 });
  const body = (await calls.json()) as { calls: { status: string; parent_id: string | null; id: string }[] };
  const ids = new Set(body.calls.map((c) => c.id));
  assert.equal(ids.size, 500, 'no duplicates');
  assert.ok(body.calls.every((c) => c.status === 'success'));
  assert.ok(
    body.calls.every((c) => c.parent_id === null || ids.has(c.parent_id)),
    'no missing parents',
  );

  const after = await run(process.execPath, [CLI, 'spool', 'status', '--dir', spool]);
  assert.doesNotMatch(after.stdout, /\s500\s/);
  const again = await run(process.execPath, [CLI, 'spool', 'replay', '--dir', spool]);
  assert.doesNotMatch(again.stdout, /sent [1-9]/, 'nothing is sent twice');
  assert.equal(await count(), 500);
});

test('the next init() for the same project and server sends what an exited process left', async () => {
  const spool2 = mkdtempSync(join(tmpdir(), 'weft-spool-cli-'));
  try {
    const env = { ...process.env, WEFT_SERVER_URL: server.url, WEFT_SPOOL_DIR: spool2, BURST: '200' };
    const before = await count();
    await run(process.execPath, [FIXTURE], { env });
    // A second run exits the same way; its init() first adopts and sends the first run's records.
    const { init } = await import('../src/index.js');
    const client = await init({ project: 'acme/exit-burst', serverUrl: server.url, spoolDir: spool2 });
    const report = await client.flush({ timeoutMs: 20_000 });
    assert.equal(report.timedOut, false);
    assert.equal(await count(), before + 200);
  } finally {
    rmSync(spool2, { recursive: true, force: true });
  }
});
