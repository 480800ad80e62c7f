import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { init, op } from '../src/index.js';
import { launchBrowser, openPage, screenshot } from './helpers/browser.js';
import { WeftServer } from './helpers/weft-server.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const P = 'acme/secure';

let keyed: WeftServer;
let empty: WeftServer;
let browser: Browser;
let key: string;

before(async () => {
  keyed = new WeftServer();
  key = execFileSync(process.execPath, [CLI, 'keys', 'create', '--project', P, '--db', keyed.db], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
  await keyed.start();
  empty = await new WeftServer().start();
  const client = await init({ project: P, serverUrl: keyed.url, apiKey: key, logger: { warn: () => {} } });
  await op(async function hello(name: string) {
    return `Hello, ${name}!`;
  })('world');
  await client.finish({ pairingTimeoutMs: 1000 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await keyed?.dispose();
  await empty?.dispose();
});

test('with API keys the UI still loads, asks for a key, and sends it as Bearer', async () => {
  const { page } = await openPage(browser, keyed.url);
  page.setDefaultTimeout(10_000);
  await page.goto(keyed.url);
  const dialog = page.getByRole('form', { name: 'API key' });
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /missing API key/);
  await screenshot(page, '14-api-key');
  await dialog.getByRole('textbox', { name: 'API key' }).fill(key);
  const request = page.waitForRequest(
    (r) => r.url().endsWith('/api/projects') && r.headers().authorization !== undefined,
  );
  await dialog.getByRole('button', { name: 'Save' }).click();
  assert.equal((await request).headers().authorization, `Bearer ${key}`);
  await page.locator('[data-testid=projects-table] tbody tr', { hasText: 'secure' }).waitFor();
  const stored = await page.evaluate(() =>
    (globalThis as { localStorage?: { getItem(k: string): string | null } }).localStorage?.getItem(
      'weft.apiKey',
    ),
  );
  assert.equal(stored, key);
});

test('a server without traces says how to send the first one', async () => {
  const { page, problems } = await openPage(browser, empty.url);
  page.setDefaultTimeout(10_000);
  await page.goto(empty.url);
  const state = page.getByTestId('empty-state');
  await state.waitFor();
  const code = await state.locator('code').innerText();
  assert.ok(code.includes(`serverUrl: "${empty.url}"`), code);
  assert.match(code, /^import \{ init, op \} from 'weft';/);
  await screenshot(page, '15-no-projects');
  assert.deepEqual(problems, []);
});
