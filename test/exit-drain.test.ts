import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { Receiver } from './helpers/receiver.js';

test('a script that exits without flush() still delivers its calls (beforeExit)', async () => {
  const r = await new Receiver().start();
  try {
    const script = fileURLToPath(new URL('./fixtures/exit-without-flush.js', import.meta.url));
    const child = spawn(process.execPath, [script], {
      env: { ...process.env, WEFT_SERVER_URL: r.url },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0);
    assert.equal(r.completes.length, 6, 'run + 5 steps as complete records');
    assert.equal(r.starts.length, 1, 'the call that never ended is visible as started');
    assert.equal(r.starts[0]!.op_name, 'never');
    assert.equal(r.ends.length, 0);
  } finally {
    await r.close();
  }
});

test('with handleSignals, SIGTERM sends what is queued, then exits by the signal', async () => {
  const r = await new Receiver().start();
  try {
    const script = fileURLToPath(new URL('./fixtures/signal-finish.js', import.meta.url));
    const child = spawn(process.execPath, [script], {
      env: { ...process.env, WEFT_SERVER_URL: r.url },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
    assert.equal(r.completes.length, 0);
    child.kill('SIGTERM');
    const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
    assert.equal(code, null);
    assert.equal(signal, 'SIGTERM');
    assert.equal(r.completes.length, 100);
  } finally {
    await r.close();
  }
});
