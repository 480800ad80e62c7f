/**
 * Time to first render of the web UI, measured in Chromium against a real server: the calls table of a
 * project of 1 000 000 calls against the same table of a 1 000-call project (the baseline), and a
 * 5 000-call trace view against a 10-call trace, all in one store and one run.
 *
 *   node dist/bench/ui-render.js [--calls 1000000] [--trace 5000] [--rounds 5] [--db FILE]
 *
 * The store is generated with `SqliteStore.ingest` (generate-calls, 10 calls per trace); `--db` keeps it
 * between runs (it is reused when it already holds the expected calls). The server (`startServer`, as
 * `weft serve`) runs in its own process and serves the built UI (`npm run build`). Each round opens a
 * fresh browser context (cold cache) and measures, inside the page, the time from navigation start to
 * the moment the rows are in the DOM (a MutationObserver), and the duration of the data request(s).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { generateCallBatches, traceIdOf } from '../src/store/testing/generate-calls.js';
import { launchBrowser } from '../test/helpers/browser.js';
import { numberArg, stringArg } from './lib/cli-args.js';
import { ServerProcess } from './lib/server-process.js';
import { fmt, int, median, percentile, printHeader, printTable } from './lib/stats.js';

const CALLS = numberArg('calls', 1_000_000);
const TRACE = numberArg('trace', 5000);
const ROUNDS = numberArg('rounds', 5);
const DB = stringArg('db', path.join(os.tmpdir(), `weft-ui-bench-${CALLS}-${TRACE}.db`));
const BIG = 'bench/big';
const SMALL = 'bench/small';
const SMALL_CALLS = 1000;
const TRACE_PREFIX = 'tr';

interface Scenario {
  name: string;
  /** Calls behind the view (project or trace size). */
  size: number;
  url: string;
  /**
   * CSS selector of the rows and how many must be in the DOM for the view to count as rendered (one is
   * enough for a table: React commits all rows of an answer at once).
   */
  selector: string;
  rows: number;
  /** Resource URLs whose timing is the "API" column. */
  api: RegExp;
  kind: 'table' | 'trace';
  /** Set on the views compared with the baseline of their kind (the first scenario of that kind). */
  baseline?: boolean;
}

async function generate(): Promise<void> {
  if (fs.existsSync(DB)) {
    const store = SqliteStore.open(DB);
    const { calls } = await store.stats();
    await store.close();
    if (calls === CALLS + SMALL_CALLS + TRACE) return console.log(`reusing ${DB} (${int(calls)} calls)`);
    fs.rmSync(DB, { force: true });
  }
  const t0 = performance.now();
  const store = SqliteStore.open(DB);
  const sets = [
    { projectId: BIG, count: CALLS },
    { projectId: SMALL, count: SMALL_CALLS },
    { projectId: BIG, count: TRACE, callsPerTrace: TRACE, idPrefix: TRACE_PREFIX, seed: 7 },
  ];
  for (const set of sets)
    for (const batch of generateCallBatches({ batchSize: 5000, ...set })) await store.ingest(batch);
  await store.close();
  console.log(
    `generated ${int(CALLS + SMALL_CALLS + TRACE)} calls in ${fmt((performance.now() - t0) / 1000)} s`,
  );
}

/** Installs a MutationObserver that records when `rows` elements match `selector` (ms since navigation start). */
function observerScript(selector: string, rows: number): string {
  return `(() => {
    const done = (t) => { globalThis.__weftRendered = t; observer.disconnect(); };
    const observer = new MutationObserver(() => {
      if (document.querySelectorAll(${JSON.stringify(selector)}).length >= ${rows}) done(performance.now());
    });
    observer.observe(document, { childList: true, subtree: true });
  })();`;
}

interface Sample {
  render: number;
  api: number;
  /** Trace views: "Expand all" until every row is laid out (ms, measured from the driver). */
  expand: number | null;
}

async function measure(browser: Browser, s: Scenario): Promise<Sample> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    const page = await context.newPage();
    await page.addInitScript(observerScript(s.selector, s.rows));
    await page.goto(s.url);
    const rendered = () => (globalThis as { __weftRendered?: number }).__weftRendered;
    await page.waitForFunction(rendered, undefined, { timeout: 120_000 });
    const render = (await page.evaluate(rendered)) as number;
    const api = await page.evaluate(
      (source) =>
        performance
          .getEntriesByType('resource')
          .filter((e) => new RegExp(source).test(e.name))
          .reduce((m, e) => Math.max(m, e.duration), 0),
      s.api.source,
    );
    let expand: number | null = null;
    if (s.kind === 'trace') {
      const t0 = performance.now();
      await page.getByRole('button', { name: 'Expand all' }).click();
      await page.locator(`.tree-body[style*="height: ${s.size * 28}px"]`).waitFor();
      expand = performance.now() - t0;
    }
    // Let the page's other requests (counts, op names) finish, so they do not delay the next round.
    await page.waitForLoadState('networkidle');
    return { render, api, expand };
  } finally {
    await context.close();
  }
}

async function main(): Promise<void> {
  printHeader('ui-render', [
    `store: ${int(CALLS)} calls in ${BIG} (10 per trace) + ${int(SMALL_CALLS)} in ${SMALL} + one ${int(TRACE)}-call trace; ` +
      `${ROUNDS} rounds per view (cold browser context), medians`,
  ]);
  await generate();
  const server = await ServerProcess.start(DB);
  const browser = await launchBrowser();
  try {
    const calls = (project: string, query = '') => `${server.url}/projects/${project}/calls${query}`;
    const trace = (id: string) => `${server.url}/projects/${BIG}/traces/${id}`;
    const tableRows = '[data-testid=calls-table] tbody tr[data-call-id]';
    const details = '[data-testid=json-inputs]';
    const callsApi = /\/calls\/query$/;
    const traceApi = /\/calls\/stream_query$/;
    const bigTrace = traceIdOf(0, TRACE_PREFIX);
    const smallTrace = traceIdOf(Math.floor(CALLS / 20), '');
    const scenarios: Scenario[] = [
      {
        name: `calls table, ${int(SMALL_CALLS)}-call project (baseline)`,
        size: SMALL_CALLS,
        url: calls(SMALL),
        selector: tableRows,
        rows: 1,
        api: callsApi,
        kind: 'table',
      },
      {
        name: 'calls table, newest traces',
        size: CALLS,
        url: calls(BIG),
        selector: tableRows,
        rows: 1,
        api: callsApi,
        kind: 'table',
        baseline: true,
      },
      {
        name: 'calls table, one op + errors',
        size: CALLS,
        url: calls(BIG, `?op=${encodeURIComponent('weave:///bench/project/op/op_3:v1')}&status=error`),
        selector: tableRows,
        rows: 1,
        api: callsApi,
        kind: 'table',
        baseline: true,
      },
      {
        name: 'calls table, all calls by latency',
        size: CALLS,
        url: calls(BIG, '?all=1&sort=latency_ms:desc'),
        selector: tableRows,
        rows: 1,
        api: callsApi,
        kind: 'table',
        baseline: true,
      },
      {
        name: 'trace view, 10-call trace (baseline)',
        size: 10,
        url: trace(smallTrace),
        selector: details,
        rows: 1,
        api: traceApi,
        kind: 'trace',
      },
      {
        name: `trace view, ${int(TRACE)}-call trace`,
        size: TRACE,
        url: trace(bigTrace),
        selector: details,
        rows: 1,
        api: traceApi,
        kind: 'trace',
        baseline: true,
      },
    ];
    // Round-robin over the views (after one warm-up pass), so that drift hits every view alike.
    const results = new Map<Scenario, Sample[]>(scenarios.map((s) => [s, []]));
    for (let round = -1; round < ROUNDS; round++) {
      process.stderr.write(`round ${round < 0 ? 'warm-up' : round + 1} of ${ROUNDS}\n`);
      for (const s of scenarios) {
        const sample = await measure(browser, s);
        if (round >= 0) results.get(s)!.push(sample);
      }
    }
    const med = (s: Scenario, key: keyof Sample) => median(results.get(s)!.map((x) => x[key] ?? Number.NaN));
    const baseOf = (s: Scenario) => scenarios.find((b) => b.kind === s.kind && !b.baseline)!;
    printTable(
      'Time to first render (navigation start to rows in the DOM), Chromium headless',
      ['view', 'calls', 'first render ms (median)', 'p95', 'data request ms', 'x baseline'],
      scenarios.map((s) => [
        s.name,
        int(s.size),
        fmt(med(s, 'render'), 0),
        fmt(
          percentile(
            results.get(s)!.map((x) => x.render),
            95,
          ),
          0,
        ),
        fmt(med(s, 'api'), 0),
        fmt(med(s, 'render') / med(baseOf(s), 'render'), 2),
      ]),
    );
    const traces = scenarios.filter((s) => s.kind === 'trace');
    printTable(
      'Trace view: "Expand all" until every row is laid out (virtualised tree)',
      ['view', 'calls', 'expand all ms (median)', 'x baseline'],
      traces.map((s) => [
        s.name,
        int(s.size),
        fmt(med(s, 'expand'), 0),
        fmt(med(s, 'expand') / med(baseOf(s), 'expand'), 2),
      ]),
    );
  } finally {
    await browser.close();
    await server.stop();
  }
}

await main();
