import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Receiver } from '../../test/helpers/receiver.js';
import { InvalidOptionError } from '../shared/errors.js';
import { init } from './init.js';
import { op } from './op.js';

test('op works before init (untraced) and records once init() has run', async () => {
  const r = await new Receiver().start();
  try {
    const double = op(async function double(x: number) {
      return x * 2;
    });
    assert.equal(await double(2), 4);
    const client = await init({ project: 'acme/late', serverUrl: r.url, logger: { warn: () => {} } });
    assert.equal(await double(3), 6);
    await client.flush();
    assert.equal(r.completes.length, 1);
    assert.deepEqual(r.completes[0]!.inputs, { x: 3 });
  } finally {
    await r.close();
  }
});

test('invalid options throw a WeftError naming the option and value', async () => {
  await assert.rejects(init({ project: 'no-slash' }), (e: unknown) => {
    assert.ok(e instanceof InvalidOptionError);
    assert.equal(e.option, 'project');
    assert.match(e.message, /project="no-slash"/);
    return true;
  });
  await assert.rejects(init({ project: 'a/b', serverUrl: 'ftp://x' }), /serverUrl="ftp:\/\/x"/);
  await assert.rejects(init({ project: 'a/b', maxBatchSize: 0 }), /maxBatchSize=0/);
  await assert.rejects(init({ project: 'a/b', batchIntervalMs: 1.5 }), /batchIntervalMs=1.5/);
});

test('init rejects project ids the server rejects (acme/a:b, ../.. escaping spoolDir) with InvalidOptionError', async () => {
  for (const project of [
    'acme/a:b',
    '../..',
    'acme/..',
    './x',
    'a b/c',
    'acme/a?b',
    `acme/${'x'.repeat(129)}`,
  ]) {
    await assert.rejects(
      init({ project, spoolDir: false, logger: { warn: () => {} } }),
      (e: unknown) => {
        assert.ok(e instanceof InvalidOptionError, `${project}: ${String(e)}`);
        assert.equal(e.option, 'project');
        assert.equal(e.value, project);
        assert.ok(e.message.includes(`project=${JSON.stringify(project)}`), e.message);
        return true;
      },
      project,
    );
  }
});
