import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { Receiver } from './helpers/receiver.js';

/** Runs a fixture script against a fresh receiver; resolves with its exit code and stdout. */
async function runFixture(
  name: string,
  args: string[] = [],
): Promise<{ code: number | null; stdout: string; r: Receiver }> {
  const r = await new Receiver().start();
  const script = fileURLToPath(new URL(`./fixtures/${name}.js`, import.meta.url));
  const child = spawn(process.execPath, [script, ...args], {
    env: { ...process.env, WEFT_SERVER_URL: r.url },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, r };
}

test('await finish() with a call that never ends: the code after it runs, exit code 0', async () => {
  const { code, stdout, r } = await runFixture('await-finish-running', ['finish']);
  try {
    assert.equal(code, 0, 'not 13 (unsettled top-level await)');
    assert.match(stdout, /^after /m);
    assert.equal(r.completes.length, 1, 'the finished call paired');
    assert.equal(r.starts.length, 1, 'the running call is sent as a start');
  } finally {
    await r.close();
  }
});

test('await flush({ timeoutMs }) with a call that never ends: the code after it runs', async () => {
  const { code, stdout, r } = await runFixture('await-finish-running', ['flush']);
  try {
    assert.equal(code, 0);
    assert.match(stdout, /^after \{"accepted":1\}/m);
  } finally {
    await r.close();
  }
});

test('an idle client never keeps the process alive: it exits by itself, its call delivered', async () => {
  const { code, r } = await runFixture('idle-client');
  try {
    assert.equal(code, 0);
    assert.equal(r.completes.length, 1);
  } finally {
    await r.close();
  }
});
