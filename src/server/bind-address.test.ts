import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { checkLoopbackBind, resolveBindAddress } from './bind-address.js';
import { isLoopbackAddress } from './loopback.js';
import { ServerStartError } from './server-start-error.js';
import { startServer } from './start-server.js';

const dir = mkdtempSync(join(tmpdir(), 'weft-bind-address-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const refusal = (host: string, address: string) => (e: unknown) =>
  e instanceof ServerStartError &&
  e.code === 'INSECURE_BIND' &&
  e.message.includes(host) &&
  e.message.includes(address) &&
  /--insecure/.test(e.message);

describe('binding: a loopback name must resolve to loopback addresses', () => {
  test('--host x.localhost resolving to a non-loopback address is refused, naming host and address', () => {
    assert.throws(
      () => checkLoopbackBind('x.localhost', ['10.1.2.3'], false),
      refusal('x.localhost', '10.1.2.3'),
    );
    assert.throws(
      () => checkLoopbackBind('evil.localhost', ['127.0.0.1', '2001:db8::5'], false),
      refusal('evil.localhost', '2001:db8::5'),
    );
    assert.throws(
      () => checkLoopbackBind('localhost', ['192.168.1.9'], false),
      refusal('localhost', '192.168.1.9'),
    );
    // The explicit opt-in: served, but not as loopback (keyless requests are then anyone's, as --insecure says).
    assert.equal(checkLoopbackBind('x.localhost', ['10.1.2.3'], true), false);
  });

  test('loopback names resolving to loopback addresses only, and loopback IPs, are loopback binds', () => {
    assert.equal(checkLoopbackBind('localhost', ['127.0.0.1', '::1'], false), true);
    assert.equal(checkLoopbackBind('app.localhost', ['127.0.0.1'], false), true);
    assert.equal(checkLoopbackBind('127.0.0.1', ['127.0.0.1'], false), true);
    assert.equal(checkLoopbackBind('::1', ['::1'], false), true);
    // Not loopback (the usual API-key rule decides), never refused here:
    assert.equal(checkLoopbackBind('0.0.0.0', ['0.0.0.0'], false), false);
    assert.equal(checkLoopbackBind('myhost', ['127.0.1.1'], false), false);
  });

  test('isLoopbackAddress takes IP addresses only', () => {
    for (const a of ['127.0.0.1', '127.9.9.9', '::1', '::ffff:127.0.0.1'])
      assert.equal(isLoopbackAddress(a), true, a);
    for (const a of ['localhost', 'x.localhost', '10.0.0.1', '::', '0.0.0.0', '::ffff:10.0.0.1']) {
      assert.equal(isLoopbackAddress(a), false, a);
    }
  });

  test('a real lookup of localhost yields loopback addresses only; the server binds to one and serves keyless', async () => {
    const bind = await resolveBindAddress('localhost', 0, false);
    assert.ok(bind.addresses.length > 0);
    assert.ok(bind.addresses.every(isLoopbackAddress), bind.addresses.join(', '));
    assert.equal(bind.loopback, true);
    assert.equal(bind.listenOn, bind.addresses[0]);

    const server = await startServer({ host: 'localhost', port: 0, db: join(dir, 'localhost.db') });
    try {
      assert.equal(server.loopback, true);
      assert.match(server.url, /^http:\/\/localhost:\d+$/);
      const res = await fetch(`${server.url}/calls/query_stats`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ project_id: 'a/b' }),
      });
      assert.equal(res.status, 200, 'keyless request on a loopback bind');
    } finally {
      await server.close();
    }
  });

  test('a host that does not resolve is LISTEN_FAILED naming it, and the store is closed', async () => {
    await assert.rejects(
      startServer({ host: 'nothing-here.invalid', port: 0, db: join(dir, 'unresolved.db') }),
      (e: unknown) =>
        e instanceof ServerStartError &&
        e.code === 'LISTEN_FAILED' &&
        e.message.includes('nothing-here.invalid'),
    );
  });
});
