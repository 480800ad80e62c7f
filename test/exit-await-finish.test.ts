import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { Receiver } from './helpers/receiver.js';

const script = fileURLToPath(new URL('./fixtures/await-finish-child.js', import.meta.url));

interface ChildResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  ms: number;
}

/** Runs the fixture in its own node process; kills it (and fails) if it outlives `deadlineMs`. */
async function runChild(mode: string, serverUrl: string, deadlineMs = 40_000): Promise<ChildResult> {
  const startedAt = Date.now();
  const child = spawn(process.execPath, [script, mode], {
    env: { ...process.env, WEFT_SERVER_URL: serverUrl },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const killer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  clearTimeout(killer);
  return { code, signal, stdout, ms: Date.now() - startedAt };
}

/** A loopback port nothing listens on (bound, then closed). */
async function closedPortUrl(): Promise<string> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

test('await finish() with a never-ending call keeps the process alive (no exit 13): code after it runs', async () => {
  const r = await new Receiver().start();
  try {
    const res = await runChild('finish-never-ending', r.url);
    assert.equal(res.signal, null);
    assert.equal(res.code, 0, `exit code (13 = unsettled top-level await); stdout: ${res.stdout}`);
    const line = res.stdout.split('\n').find((l) => l.startsWith('after '));
    assert.ok(line, `"after" printed; stdout: ${res.stdout}`);
    const report = JSON.parse(line.slice('after '.length)) as { timedOut: boolean; undeliverable: number };
    assert.equal(report.undeliverable, 0);
    assert.equal(r.starts.length, 1, 'the never-ending call went out as a start once pairing gave up');
    assert.equal(r.starts[0]!.op_name, 'never');
  } finally {
    await r.close();
  }
});

test('await flush({ timeoutMs }) during an outage keeps the process alive until the record is on disk, not its timeout', async () => {
  const res = await runChild('flush-outage', await closedPortUrl());
  assert.equal(res.signal, null);
  assert.equal(res.code, 0, `exit code (13 = unsettled top-level await); stdout: ${res.stdout}`);
  const line = res.stdout.split('\n').find((l) => l.startsWith('after '));
  assert.ok(line, `"after" printed; stdout: ${res.stdout}`);
  const report = JSON.parse(line.slice('after '.length)) as { timedOut: boolean; spooled: number };
  assert.equal(report.timedOut, false, 'resolved once the record was spooled (its timeout is 60 s)');
  assert.equal(report.spooled, 1);
  assert.ok(res.ms < 30_000, `exited after ${res.ms} ms (its timeout is 60 s)`);
});

test('an idle init() (nothing awaited, batch timer far off) still exits by itself, promptly', async () => {
  const r = await new Receiver().start();
  try {
    const res = await runChild('idle', r.url, 15_000);
    assert.equal(res.signal, null, 'not killed at the deadline: nothing held the process');
    assert.equal(res.code, 0);
    assert.equal(res.stdout, 'idle\n');
    assert.ok(res.ms < 10_000, `exited after ${res.ms} ms`);
    assert.equal(r.completes.length, 1, 'beforeExit delivered the call');
  } finally {
    await r.close();
  }
});

test('the beforeExit drain during an outage does not keep the process alive for its timeout', async () => {
  const res = await runChild('exit-outage', await closedPortUrl(), 30_000);
  assert.equal(res.signal, null, 'not killed at the deadline');
  assert.equal(res.code, 0);
  assert.ok(res.ms < 10_000, `exited after ${res.ms} ms (the drain's timeout is 60 s)`);
});
