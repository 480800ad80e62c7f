import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

/** The compiled CLI, relative to this compiled file (works in any outDir). */
const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const LISTENING = /^weft serving on (http:\/\/127\.0\.0\.1:(\d+)) \(store: sqlite, db: (.+)\)$/;
const DEADLINE_MS = 20_000;

const dir = mkdtempSync(join(tmpdir(), 'weft-process-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The environment without WEFT_* variables, so the developer's settings do not leak into the tests. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WEFT_')));
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI and collects its output until it exits. */
function run(args: string[]): {
  child: ChildProcess;
  exit: Promise<Exit>;
  stdoutLines: AsyncIterableIterator<string>;
} {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exit = new Promise<Exit>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return { child, exit, stdoutLines: lines };
}

/** Starts `weft serve` and waits for its listening line (or its exit, or a deadline). */
async function serve(args: string[]) {
  const proc = run(['serve', '--port', '0', ...args]);
  const timeout = new Promise<never>((_, reject) => {
    const timer = setTimeout(() => reject(new Error('no listening line before the deadline')), DEADLINE_MS);
    void proc.exit.finally(() => clearTimeout(timer));
  });
  const exited = proc.exit.then((e) => {
    throw new Error(`weft serve exited early (code ${e.code}): ${e.stderr}`);
  });
  const line = await Promise.race([proc.stdoutLines.next(), exited, timeout]);
  const m = LISTENING.exec(String(line.value));
  assert.ok(m, `unexpected first line: ${String(line.value)}`);
  return { ...proc, url: m[1] ?? '', db: m[3] };
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

function call(id: string, project = 'acme/chatbot') {
  return {
    project_id: project,
    id,
    trace_id: `t-${id}`,
    parent_id: null,
    op_name: 'chat',
    started_at: '2026-01-31T12:00:00.000Z',
    ended_at: '2026-01-31T12:00:01.000Z',
    attributes: {},
    inputs: { q: id },
    output: 'ok',
    summary: {},
  };
}

describe('weft serve (real process)', () => {
  test('serves, shuts down cleanly on SIGTERM and SIGINT, and keeps the data across restarts', async () => {
    const db = join(dir, 'restart.db');
    const first = await serve(['--db', db]);
    assert.equal(first.db, db);
    const batch = Array.from({ length: 200 }, (_, i) => call(`c${i}`));
    assert.equal((await post(`${first.url}/v2/acme/chatbot/calls/complete`, { batch })).status, 200);
    first.child.kill('SIGTERM');
    const exit1 = await first.exit;
    assert.equal(exit1.code, 0, exit1.stderr);
    assert.match(exit1.stderr, /SIGTERM received/);

    const second = await serve(['--db', db]);
    const stats = await post(`${second.url}/calls/query_stats`, { project_id: 'acme/chatbot' });
    assert.deepEqual(await stats.json(), { count: 200 });
    const read = await post(`${second.url}/call/read`, { project_id: 'acme/chatbot', id: 'c7' });
    assert.deepEqual(((await read.json()) as { call: { inputs: unknown } }).call.inputs, { q: 'c7' });
    second.child.kill('SIGINT');
    assert.equal((await second.exit).code, 0);
  });

  test('a taken port: exit code 2 and a message naming it', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const { exit } = run(['serve', '--port', String(port), '--db', join(dir, 'port.db')]);
      const result = await exit;
      assert.equal(result.code, 2);
      assert.match(result.stderr, new RegExp(`port ${port} is already in use`));
      assert.equal(result.stdout, '');
    } finally {
      blocker.close();
    }
  });

  test('an unwritable db path: exit code 2 and a clear message', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a directory');
    const result = await run(['serve', '--port', '0', '--db', join(file, 'weft.db')]).exit;
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Cannot open the SQLite store at .*a-file\/weft\.db/);
  });

  test('--host 0.0.0.0 without keys refuses to start', async () => {
    const result = await run(['serve', '--host', '0.0.0.0', '--port', '0', '--db', join(dir, 'open.db')])
      .exit;
    assert.equal(result.code, 2);
    assert.match(result.stderr, /refusing to serve on 0\.0\.0\.0 without API keys/);
    assert.match(result.stderr, /--insecure/);
  });

  test('bad flags and values: exit code 2 naming them; --help and --version', async () => {
    const badPort = await run(['serve', '--port', 'abc']).exit;
    assert.equal(badPort.code, 2);
    assert.match(badPort.stderr, /Invalid option --port="abc"/);
    const unknown = await run(['serve', '--colour', 'red']).exit;
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown option '--colour'/);
    const command = await run(['frobnicate']).exit;
    assert.equal(command.code, 2);
    assert.match(command.stderr, /unknown command "frobnicate"/);
    const help = await run(['--help']).exit;
    assert.equal(help.code, 0);
    assert.match(help.stdout, /weft serve/);
    assert.match(help.stdout, /keys create/);
    const version = await run(['--version']).exit;
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  });

  test('keys create: the printed key works for its project only; keyless requests fail', async () => {
    const db = join(dir, 'keys.db');
    const created = await run(['keys', 'create', '--project', 'acme/chatbot', '--db', db]).exit;
    assert.equal(created.code, 0, created.stderr);
    const key = created.stdout.trim();
    assert.match(key, /^weft_[A-Za-z0-9_-]{43}$/);
    const other = (
      await run(['keys', 'create', '--project', 'other/project', '--db', db]).exit
    ).stdout.trim();
    const badProject = await run(['keys', 'create', '--project', 'nope', '--db', db]).exit;
    assert.equal(badProject.code, 2);

    const server = await serve(['--db', db]);
    try {
      const url = `${server.url}/v2/acme/chatbot/calls/complete`;
      const body = { batch: [call('k1')] };
      assert.equal((await post(url, body)).status, 401);
      assert.equal((await post(url, body, { authorization: 'Bearer weft_wrong' })).status, 401);
      assert.equal((await post(url, body, { authorization: `Bearer ${other}` })).status, 403);
      assert.equal((await post(url, body, { authorization: `Bearer ${key}` })).status, 200);
      const basic = `Basic ${Buffer.from(`api:${key}`).toString('base64')}`;
      const stats = await post(
        `${server.url}/calls/query_stats`,
        { project_id: 'acme/chatbot' },
        { authorization: basic },
      );
      assert.deepEqual(await stats.json(), { count: 1 });
    } finally {
      server.child.kill('SIGTERM');
      assert.equal((await server.exit).code, 0);
    }
  });
});
