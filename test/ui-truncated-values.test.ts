import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage, screenshot } from './helpers/browser.js';
import { WeftServer } from './helpers/weft-server.js';

/**
 * The calls page with a call too big for a page (issue #11): the server truncates its inputs to a
 * marker (DEFAULTS.pageValueBytes, 64 KiB), the table shows the preview, the size and "show full",
 * and a click reads the whole call without leaving the page.
 */

const P = 'acme/huge';
const TEXT = 'needle-at-the-start ' + 'z'.repeat(300 * 1024);

let server: WeftServer;
let browser: Browser;

before(async () => {
  server = await new WeftServer().start();
  const call = {
    project_id: P,
    id: 'huge-call',
    trace_id: 'huge-trace',
    parent_id: null,
    op_name: 'ingest_document',
    started_at: '2026-01-01T00:00:00Z',
    ended_at: '2026-01-01T00:00:01Z',
    attributes: {},
    inputs: { document: TEXT },
    output: 'indexed',
    summary: {},
  };
  const res = await server.post(`/v2/${P}/calls/complete`, { batch: [call] });
  assert.equal(res.status, 200, await res.text());
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.dispose();
});

test('a truncated value shows its size, and "show full" loads it in place', async () => {
  const { page, problems } = await openPage(browser, server.url);
  page.setDefaultTimeout(10_000);
  await page.goto(`${server.url}/projects/${P}/calls`);
  const cell = page.getByTestId('truncated-inputs');
  await cell.waitFor();
  assert.match(await cell.innerText(), /needle-at-the-start/);
  assert.match(await cell.innerText(), /truncated, 300\.\d KiB — show full/);
  const row = page.locator('tr[data-call-id=huge-call]');
  assert.match(await row.innerText(), /indexed/, 'the small output is shown as it is');
  await screenshot(page, 'truncated-value');

  const reads = page.waitForRequest((req) => req.url().endsWith('/call/read'));
  await cell.getByRole('button').click();
  await reads;
  await cell.waitFor({ state: 'detached' });
  assert.match(await row.innerText(), /needle-at-the-start z+/);
  assert.match(page.url(), /\/calls$/, 'the click did not open the trace');
  assert.deepEqual(problems, []);
});
