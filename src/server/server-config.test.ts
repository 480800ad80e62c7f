import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidOptionError } from '../shared/errors.js';
import { DEFAULTS } from './defaults.js';
import { resolveDbPath, resolveServerConfig, resolveStreamConfig } from './server-config.js';

test('defaults, then environment, then flags', () => {
  assert.deepEqual(resolveServerConfig({}, {}), {
    host: DEFAULTS.host,
    port: DEFAULTS.port,
    db: DEFAULTS.db,
    insecure: false,
  });
  const env = { WEFT_HOST: '::1', WEFT_PORT: '7000', WEFT_DB: '/tmp/env.db' };
  assert.deepEqual(resolveServerConfig({}, env), {
    host: '::1',
    port: 7000,
    db: '/tmp/env.db',
    insecure: false,
  });
  assert.deepEqual(resolveServerConfig({ host: 'localhost', port: '0', db: 'x.db', insecure: true }, env), {
    host: 'localhost',
    port: 0,
    db: 'x.db',
    insecure: true,
  });
  assert.equal(resolveDbPath(undefined, { WEFT_DB: '' }), DEFAULTS.db);
});

test('bad values name the flag or the variable they came from', () => {
  const named = (option: string, value: string) => (e: unknown) =>
    e instanceof InvalidOptionError &&
    e.option === option &&
    e.value === value &&
    e.message.includes(JSON.stringify(value));
  assert.throws(() => resolveServerConfig({ port: 'abc' }, {}), named('--port', 'abc'));
  assert.throws(() => resolveServerConfig({ port: '65536' }, {}), named('--port', '65536'));
  assert.throws(() => resolveServerConfig({ port: '-1' }, {}), named('--port', '-1'));
  assert.throws(() => resolveServerConfig({}, { WEFT_PORT: '80x' }), named('WEFT_PORT', '80x'));
  assert.throws(() => resolveServerConfig({ host: 'a b' }, {}), named('--host', 'a b'));
  assert.throws(() => resolveServerConfig({ db: ' ' }, {}), named('--db', ' '));
});

test('stream caps come from the environment; bad ones name the variable', () => {
  assert.deepEqual(resolveStreamConfig({}), {});
  assert.deepEqual(
    resolveStreamConfig({
      WEFT_MAX_STREAMS: '20',
      WEFT_MAX_STREAMS_PER_KEY: '5',
      WEFT_MAX_STREAMS_PER_CONNECTION: '',
      WEFT_STREAM_IDLE_TIMEOUT_MS: '1500',
    }),
    { maxStreams: 20, maxStreamsPerKey: 5, streamIdleTimeoutMs: 1500 },
  );
  for (const bad of ['0', '-1', '2.5', 'ten']) {
    assert.throws(
      () => resolveStreamConfig({ WEFT_STREAM_IDLE_TIMEOUT_MS: bad }),
      (e: unknown) => e instanceof InvalidOptionError && e.option === 'WEFT_STREAM_IDLE_TIMEOUT_MS',
    );
  }
});
