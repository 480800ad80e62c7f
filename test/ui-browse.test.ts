import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page, Route } from 'playwright-core';
import { init, op, type WeftClient } from '../src/index.js';
import { launchBrowser, openPage, screenshot, waitForCount } from './helpers/browser.js';
import { seedEvaluations, seedTraces, startRunningAgent } from './helpers/ui-seed.js';
import { WeftServer } from './helpers/weft-server.js';
import { formatCount } from '../src/ui/lib/call-format.js';
import { tracePath } from '../src/ui/lib/ui-routes.js';

const P = 'acme/chatbot';
const quiet = { warn: () => {} };

let server: WeftServer;
let client: WeftClient;
let browser: Browser;
let page: Page;
let problems: string[];
let agent: Awaited<ReturnType<typeof startRunningAgent>>;

before(async () => {
  server = await new WeftServer().start();
  client = await init({ project: P, serverUrl: server.url, logger: quiet });
  await seedTraces(client);
  agent = await startRunningAgent(client);
  await seedEvaluations(client);
  browser = await launchBrowser();
  ({ page, problems } = await openPage(browser, server.url));
  page.setDefaultTimeout(10_000);
});

after(async () => {
  agent?.release();
  await browser?.close();
  await client?.finish({ pairingTimeoutMs: 1000 });
  await server?.dispose();
});

const rows = (p: Page) => p.locator('[data-testid=calls-table] tbody tr[data-call-id]');
const treeRow = (p: Page, label: string) =>
  p.locator('[data-testid=trace-tree] [role=treeitem]', { hasText: label });

/** Waits until the calls table shows exactly `n` rows. */
const expectRows = (p: Page, n: number) => waitForCount(rows(p), n);

describe('the web UI in a real browser', () => {
  test('the projects page lists the project with its call count', async () => {
    await page.goto(server.url);
    const row = page.locator('[data-testid=projects-table] tbody tr', { hasText: 'chatbot' });
    await row.waitFor();
    assert.match(await row.innerText(), /acme\s*\/\s*chatbot/);
    await screenshot(page, '01-projects');
  });

  test('the calls table shows root calls; filters and search live in the URL', async () => {
    await page.locator('a.project-link', { hasText: 'chatbot' }).click();
    await page.waitForURL(/\/projects\/acme\/chatbot\/calls$/);
    // 4 RAG traces, the running agent, 2 evaluations.
    await expectRows(page, 7);
    await page.getByTestId('calls-count').filter({ hasText: '7 traces' }).waitFor();
    await page.locator('tr', { hasText: 'agent_loop' }).locator('[data-status=running]').waitFor();
    await screenshot(page, '02-calls');

    await page.getByTestId('filter-status').selectOption('error');
    await page.waitForURL(/status=error/);
    await expectRows(page, 1);
    assert.match(await rows(page).first().innerText(), /model timeout/);

    await page.reload();
    await expectRows(page, 1);
    assert.equal(
      await page.getByTestId('filter-status').inputValue(),
      'error',
      'the filter survives a reload',
    );

    await page.getByTestId('filter-status').selectOption('');
    await page.getByTestId('filter-op').selectOption('answer');
    await page.waitForURL(/op=answer/);
    await expectRows(page, 4);
    await page.getByTestId('filter-search').fill('flush');
    await page.waitForURL(/q=flush/);
    await expectRows(page, 1);
    await screenshot(page, '03-calls-filtered');

    await page.getByTestId('col-latency').click();
    await page.waitForURL(/sort=latency_ms%3Adesc|sort=latency_ms:desc/);
    await expectRows(page, 1);
  });

  test('the calls table shows tokens and estimated cost per trace', async () => {
    const row = rows(page).filter({ hasText: 'How do I flush pending calls?' });
    await row.locator('td', { hasText: '$0.0015' }).waitFor();
    const header = await page.locator('[data-testid=calls-table] thead').innerText();
    assert.match(header, /Tokens[\s\S]*Cost/);
  });

  test('a trace: expand the tree, select calls with the mouse and the keyboard, read inputs', async () => {
    await rows(page).first().click();
    await page.waitForURL(/\/traces\//);
    await page.getByTestId('trace-title').filter({ hasText: 'answer' }).waitFor();
    await treeRow(page, 'generate').waitFor();
    assert.equal(await treeRow(page, 'rerank').count(), 0, 'deeper levels start folded');
    await treeRow(page, 'retrieve').getByRole('button', { name: 'Expand' }).click();
    await treeRow(page, 'rerank').waitFor();

    await treeRow(page, 'generate').click();
    const details = page.getByTestId('call-details');
    await details.locator('h2', { hasText: 'generate' }).waitFor();
    await page.getByTestId('json-inputs').filter({ hasText: 'How do I flush pending calls?' }).waitFor();
    await page.getByTestId('json-output').filter({ hasText: 'gpt-x' }).waitFor();
    await details.getByTestId('call-cost').filter({ hasText: '$0.0015' }).waitFor();
    await page.getByTestId('trace-cost').filter({ hasText: '$0.0015' }).waitFor();
    await screenshot(page, '04-trace');

    await page.getByTestId('trace-tree').focus();
    await page.keyboard.press('ArrowUp');
    await details.locator('h2', { hasText: 'rerank' }).waitFor();
    await page.keyboard.press('ArrowLeft'); // a leaf: to its parent
    await details.locator('h2', { hasText: 'retrieve' }).waitFor();
    await page.keyboard.press('ArrowLeft'); // open: closes
    await treeRow(page, 'rerank').waitFor({ state: 'detached' });
    await page.keyboard.press('Enter'); // toggles open again
    await treeRow(page, 'rerank').waitFor();
    await page.keyboard.press('ArrowRight'); // open: to the first child
    await details.locator('h2', { hasText: 'rerank' }).waitFor();
    await page.keyboard.press('ArrowDown');
    await details.locator('h2', { hasText: 'generate' }).waitFor();
    assert.match(page.url(), /call=/, 'the selection is in the URL');
  });

  test('all calls, paged with the server cursor; the page survives a reload', async () => {
    // 50 calls: 4 RAG traces of 4, the agent and its plan, two evaluations of 15 and 17 calls.
    await page.goto(`${server.url}/projects/acme/chatbot/calls?all=1&size=25`);
    await expectRows(page, 25);
    await page.getByTestId('pager-range').filter({ hasText: '1–25 of 50' }).waitFor();
    const firstOfPage1 = await rows(page).first().getAttribute('data-call-id');
    await page.getByTestId('next-page').click();
    await page.waitForURL(/cursor=/);
    await page.getByTestId('pager-range').filter({ hasText: '26–50 of 50' }).waitFor();
    // The range can change before the second page's rows replace the first's: wait for the rows.
    await rows(page)
      .first()
      .and(page.locator(`[data-call-id]:not([data-call-id="${firstOfPage1}"])`))
      .waitFor();
    await expectRows(page, 25);
    const firstOfPage2 = await rows(page).first().getAttribute('data-call-id');
    assert.notEqual(firstOfPage2, firstOfPage1);
    assert.equal(await page.getByTestId('next-page').isDisabled(), true, 'the last page has no next');

    await page.reload();
    await expectRows(page, 25);
    assert.equal(await rows(page).first().getAttribute('data-call-id'), firstOfPage2);
    await page.getByRole('button', { name: /First|Previous/ }).click();
    await page.waitForURL((url) => !url.search.includes('cursor'));
    // The URL changes before the first page's rows replace the second's: wait for the table itself.
    await rows(page)
      .first()
      .and(page.locator(`[data-call-id="${firstOfPage1}"]`))
      .waitFor();
    await expectRows(page, 25);
    assert.equal(await rows(page).first().getAttribute('data-call-id'), firstOfPage1);
  });

  test('a failed call shows its exception with the stack', async () => {
    await page.goto(`${server.url}/projects/acme/chatbot/calls?status=error`);
    await expectRows(page, 1);
    await rows(page).first().click();
    await page.waitForURL(/\/traces\//);
    await treeRow(page, 'generate').click();
    const exception = page.getByTestId('exception');
    await exception.waitFor();
    const text = await exception.innerText();
    assert.match(text, /Error: model timeout after 30 s/);
    assert.match(text, /\n\s+at /, 'the stack is shown');
    await screenshot(page, '05-trace-error');
  });

  test('a running eager call is shown live and turns finished without a reload', async () => {
    await page.goto(`${server.url}/projects/acme/chatbot/calls`);
    await page.locator('[data-testid=calls-table] tbody tr', { hasText: 'agent_loop' }).click();
    await page.waitForURL(/\/traces\//);
    const details = page.getByTestId('call-details');
    await details.locator('h2', { hasText: 'agent_loop' }).waitFor();
    assert.equal(await details.getAttribute('data-status'), 'running');
    await treeRow(page, 'agent_loop').locator('.live-tag').waitFor();
    await screenshot(page, '06-trace-running');

    const navigations: string[] = [];
    page.on('framenavigated', (frame) => navigations.push(frame.url()));
    agent.release();
    await agent.done;
    await page.locator('[data-testid=call-details][data-status=success]').waitFor();
    await page.getByTestId('json-output').filter({ hasText: 'done' }).waitFor();
    assert.equal(await treeRow(page, 'agent_loop').locator('.live-tag').count(), 0);
    assert.deepEqual(navigations, [], 'no reload');
    await screenshot(page, '07-trace-finished');
  });

  test('from one trace straight to another: the new tree opens unfolded and the old poll never lands', async () => {
    const second = await startRunningAgent(client);
    let held: Route | undefined;
    const pollHeld = new Promise<Route>((resolve) => {
      void page.route('**/calls/stream_query', async (route) => {
        const columns = (route.request().postDataJSON() as { columns?: string[] }).columns;
        if (held === undefined && columns?.join() === 'id,ended_at') {
          held = route; // the live trace's poll: answered only after the page has moved on
          resolve(route);
          return;
        }
        await route.continue();
      });
    });
    try {
      await page.goto(`${server.url}/projects/acme/chatbot/calls?status=success`);
      await rows(page).filter({ hasText: 'What is weft?' }).click();
      await treeRow(page, 'generate').waitFor();
      const otherTrace = new URL(page.url()).pathname;
      await page.goto(`${server.url}/projects/acme/chatbot/calls?status=running`);
      await rows(page).filter({ hasText: 'agent_loop' }).click();
      await treeRow(page, 'agent_loop').locator('.live-tag').waitFor();
      const poll = await pollHeld;
      // From one trace straight to another (a link or a history step), never leaving the trace page.
      await page.evaluate(
        `history.pushState(null, '', ${JSON.stringify(otherTrace)}); dispatchEvent(new PopStateEvent('popstate'))`,
      );
      await treeRow(page, 'generate').waitFor();
      second.release(); // the previous trace changes: a stale poll would now fetch and show it
      await second.done;
      await poll.continue().catch(() => undefined); // already aborted when the page left the trace
      await treeRow(page, 'generate').waitFor();
      assert.equal(await treeRow(page, 'agent_loop').count(), 0, 'the previous trace is not shown');
    } finally {
      second.release();
      await page.unroute('**/calls/stream_query');
    }
  });

  test('feedback: a reaction and a note are stored through the feedback API', async () => {
    const callId = await page.getByTestId('call-details').getAttribute('data-call-id');
    assert.ok(callId);
    await page.getByRole('button', { name: 'Thumbs up' }).click();
    await page.getByTestId('reaction-count-Thumbs up').filter({ hasText: '1' }).waitFor();
    await page.getByRole('textbox', { name: 'Note' }).fill('Booked the wrong city; check the planner.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByTestId('notes').filter({ hasText: 'Booked the wrong city' }).waitFor();
    await screenshot(page, '08-feedback');

    const res = await server.post('/feedback/query', { project_id: P });
    const { result } = (await res.json()) as {
      result: { weave_ref: string; feedback_type: string; payload: unknown }[];
    };
    const mine = result.filter((f) => f.weave_ref === `weave:///${P}/call/${callId}`);
    assert.deepEqual(mine.map((f) => [f.feedback_type, f.payload]).sort(), [
      ['wandb.note.1', { note: 'Booked the wrong city; check the planner.' }],
      ['wandb.reaction.1', { emoji: '👍' }],
    ]);
  });

  test('evaluations: the list, one evaluation, and two side by side', async () => {
    await page.getByRole('link', { name: 'Evaluations' }).click();
    await page.waitForURL(/\/evaluations$/);
    const table = page.getByTestId('evaluations-table');
    await table.locator('tbody tr').nth(1).waitFor();
    assert.equal(await table.locator('tbody tr').count(), 2);
    await screenshot(page, '09-evaluations');

    await table.getByRole('link', { name: 'trivia-baseline' }).click();
    await page.getByTestId('evaluation-title').filter({ hasText: 'trivia-baseline' }).waitFor();
    const exact = page.locator('[data-testid=score-cards] [data-metric=exact_match]');
    await exact.waitFor();
    assert.match(await exact.innerText(), /66\.7%/);
    const examples = page.locator('[data-testid=examples-table] tbody tr');
    await examples.nth(3).waitFor();
    assert.equal(await examples.count(), 4);
    assert.match(await examples.nth(3).innerText(), /no answer for Largest planet/);
    await screenshot(page, '10-evaluation');

    await page.goBack();
    await table.getByRole('checkbox', { name: 'Select trivia-baseline' }).check();
    await table.getByRole('checkbox', { name: 'Select trivia-improved' }).check();
    await page.getByTestId('compare-button').click();
    await page.waitForURL(/\/compare\?id=/);
    const exactRow = page.locator('[data-testid=compare-summary] tr[data-metric=exact_match]');
    await exactRow.waitFor();
    const cells = await exactRow.locator('td').allInnerTexts();
    assert.deepEqual(cells.slice(1), ['66.7%', '100.0%', '+33.3 pts']);
    assert.equal(await page.locator('[data-testid=compare-examples] tbody tr').count(), 4);
    await screenshot(page, '11-compare');
  });

  test('the JSON viewer folds large values until asked', async () => {
    const blobs = await init({ project: 'acme/blobs', serverUrl: server.url, logger: quiet });
    const chunkText = op(async function chunk_text(text: string, chunks: string[]) {
      return { chunks: chunks.length, chars: text.length };
    });
    await chunkText(
      'lorem ipsum '.repeat(500),
      Array.from({ length: 60 }, (_, i) => `chunk ${i}`),
    );
    await blobs.flush();
    await page.goto(`${server.url}/projects/acme/blobs/calls`);
    await rows(page).first().click();
    const inputs = page.getByTestId('json-inputs');
    await inputs.waitFor();
    const showAll = inputs.getByRole('button', { name: 'show all 6,000 chars' });
    await showAll.waitFor();
    assert.ok((await inputs.innerText()).length < 1000, 'the long string starts cut');
    const chunks = inputs.locator('[role=button][aria-expanded]', { hasText: '[60 items]' });
    assert.equal(await chunks.getAttribute('aria-expanded'), 'false', 'a 60-item array starts folded');
    await chunks.click();
    await inputs.getByText('"chunk 59"').waitFor();
    await screenshot(page, '12-json-viewer');
    await showAll.click();
    await inputs.getByRole('button', { name: 'show less' }).waitFor();
    assert.ok((await inputs.innerText()).length > 6000, 'the whole string is shown');
  });

  test('an empty project shows the three-line snippet with this server and project', async () => {
    await page.goto(`${server.url}/projects/acme/empty/calls`);
    const empty = page.getByTestId('empty-state');
    await empty.waitFor();
    const code = await empty.locator('code').innerText();
    assert.equal(code.split('\n').length, 3);
    assert.ok(code.includes(`serverUrl: "${server.url}"`), code);
    assert.ok(code.includes('project: "acme/empty"'), code);
    await screenshot(page, '13-empty-project');
  });

  test('an OTLP trace: tokens and cost of the trace (view and calls table) are its LLM spans summed', async () => {
    const traceId = 'a1'.repeat(16);
    const nano = (ms: number) => String(BigInt(Date.now() - 60_000 + ms) * 1_000_000n);
    const attr = (key: string, value: string | number) => ({
      key,
      value: typeof value === 'string' ? { stringValue: value } : { intValue: String(value) },
    });
    const span = (spanId: string, parentSpanId: string, name: string, tokens?: [number, number]) => ({
      traceId,
      spanId,
      parentSpanId,
      name,
      kind: 1,
      startTimeUnixNano: nano(0),
      endTimeUnixNano: nano(500),
      attributes: tokens
        ? [
            attr('gen_ai.request.model', 'gpt-4o-mini'),
            attr('gen_ai.usage.input_tokens', tokens[0]),
            attr('gen_ai.usage.output_tokens', tokens[1]),
          ]
        : [],
    });
    const spans = [
      span('b1'.repeat(8), '', 'otel_agent'),
      span('b2'.repeat(8), 'b1'.repeat(8), 'chat gpt-4o-mini', [1000, 500]),
      span('b3'.repeat(8), 'b1'.repeat(8), 'chat gpt-4o-mini', [1000, 500]),
    ];
    const res = await fetch(`${server.url}/otel/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-weft-project': 'acme/otel' },
      body: JSON.stringify({ resourceSpans: [{ resource: {}, scopeSpans: [{ scope: {}, spans }] }] }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    await page.goto(server.url + tracePath('acme/otel', traceId));
    await page.getByTestId('trace-title').filter({ hasText: 'otel_agent' }).waitFor();
    await page.locator('.trace-header .meta-item', { hasText: `${formatCount(3000)} tokens` }).waitFor();
    const cost = await page.getByTestId('trace-cost').innerText();
    assert.match(cost, /^\$\d/, 'a price from the built-in table');
    await screenshot(page, '14-otlp-trace');
    // The calls table totals the trace for its root row too.
    await page.goto(`${server.url}/projects/acme/otel/calls`);
    const row = page.locator('[data-testid=calls-table] tbody tr', { hasText: 'otel_agent' });
    await row.locator('td', { hasText: formatCount(3000) }).waitFor();
    await row.locator('td', { hasText: cost }).waitFor();
  });

  test('nothing was fetched from another origin and the page logged no errors', () => {
    assert.deepEqual(problems, []);
  });
});
