import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { init, op, type WeftClient } from '../src/index.js';
import { launchBrowser, openPage, screenshot } from './helpers/browser.js';
import { WeftServer } from './helpers/weft-server.js';

const P = 'acme/big';
const BATCHES = 50;
const STEPS = 99;
const TOTAL = 1 + BATCHES + BATCHES * STEPS; // 5 001 calls

let server: WeftServer;
let client: WeftClient;
let browser: Browser;
let traceId: string;

before(async () => {
  server = await new WeftServer().start();
  client = await init({ project: P, serverUrl: server.url, logger: { warn: () => {} } });
  const step = op(async function step(i: number) {
    return { i, ok: i % 7 !== 0 };
  });
  const batch = op(async function batch(b: number) {
    for (let i = 0; i < STEPS; i++) await step(b * STEPS + i);
    return b;
  });
  const bigJob = op(async function big_job(batches: number) {
    for (let b = 0; b < batches; b++) await batch(b);
    return 'done';
  });
  await bigJob(BATCHES);
  await client.flush();
  const res = await server.post('/calls/query', { project_id: P, filter: { trace_roots_only: true } });
  const { calls } = (await res.json()) as { calls: { trace_id: string }[] };
  traceId = calls[0]!.trace_id;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await client?.finish({ pairingTimeoutMs: 1000 });
  await server?.dispose();
});

test('a 5 000-call trace renders only the rows in view and stays responsive', async () => {
  const { page, problems } = await openPage(browser, server.url);
  page.setDefaultTimeout(15_000);
  await page.goto(`${server.url}/projects/${P}/traces/${traceId}`);
  await page.getByTestId('trace-title').filter({ hasText: 'big_job' }).waitFor();
  await page.locator('.meta-item', { hasText: `${TOTAL.toLocaleString('en-US')} calls` }).waitFor();

  const t0 = Date.now();
  await page.getByRole('button', { name: 'Expand all' }).click();
  await page.waitForFunction(`document.querySelector('.tree-body')?.style.height === '${TOTAL * 28}px'`);
  const expandMs = Date.now() - t0;
  const inDom = await page.locator('[data-testid=trace-tree] [role=treeitem]').count();
  assert.ok(inDom < 120, `only the visible rows are rendered (${inDom} of ${TOTAL})`);

  await page.getByTestId('trace-tree').focus();
  const t1 = Date.now();
  await page.keyboard.press('End');
  const last = page.locator('[data-testid=trace-tree] [role=treeitem][aria-selected=true]', {
    hasText: 'step',
  });
  await last.waitFor();
  await page
    .getByTestId('json-inputs')
    .filter({ hasText: String(BATCHES * STEPS - 1) })
    .waitFor();
  const endMs = Date.now() - t1;
  for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowUp');
  await page
    .getByTestId('json-inputs')
    .filter({ hasText: String(BATCHES * STEPS - 11) })
    .waitFor();
  await screenshot(page, '16-large-trace');

  assert.ok(expandMs < 3000, `expanding 5 000 calls took ${expandMs} ms`);
  assert.ok(endMs < 3000, `jumping to the last call took ${endMs} ms`);
  assert.deepEqual(problems, []);
});
