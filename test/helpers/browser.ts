import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

/**
 * Headless Chromium for the UI tests, driven by playwright-core (which never downloads a browser).
 * Screenshots go to `test-artifacts/ui/` at the repository root.
 */

/** A system Chromium used when present (Debian's package). */
const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/**
 * The browser binary: `WEFT_CHROMIUM` when set, else a system Chromium, else the one shipped inside the
 * `@sparticuz/chromium` devDependency (unpacked to the temp dir on first use, ~2 s), so a machine with
 * Node alone runs the browser tests. `scripts/run-tests.mjs` resolves it once and passes `WEFT_CHROMIUM`
 * to every test process, so parallel test files never unpack it at the same time.
 */
export async function chromiumPath(): Promise<string> {
  const fromEnv = process.env.WEFT_CHROMIUM;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!existsSync(fromEnv)) throw new Error(`WEFT_CHROMIUM=${fromEnv}: no such file`);
    return fromEnv;
  }
  if (existsSync(SYSTEM_CHROMIUM)) return SYSTEM_CHROMIUM;
  const { default: packaged } = await import('@sparticuz/chromium');
  return packaged.executablePath();
}

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--no-zygote',
];

/** Repository root, from the compiled file (`dist/test/helpers/browser.js` or another build folder). */
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const ARTIFACTS_DIR = join(REPO_ROOT, 'test-artifacts', 'ui');

/** The built UI next to this compiled test (`dist/ui/index.html`), which the server under test serves. */
export const BUILT_UI = fileURLToPath(new URL('../../ui/index.html', import.meta.url));

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(BUILT_UI))
    throw new Error(`the web UI is not built (${BUILT_UI} missing): run npm run build`);
  return chromium.launch({ executablePath: await chromiumPath(), args: CHROMIUM_ARGS });
}

/** A page of a fresh context; records page errors, console errors and requests that leave `origin`. */
export async function openPage(
  browser: Browser,
  origin: string,
): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith(origin) && !url.startsWith('data:'))
      problems.push(`request outside the server: ${url}`);
  });
  return { page, problems };
}

/** Saves a full-window screenshot as `test-artifacts/ui/<name>.png` and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/**
 * Polls until `locator` matches exactly `n` elements, failing after `timeoutMs` with the last count (a
 * deadline, not a sleep: it returns as soon as the count is right).
 */
export async function waitForCount(locator: Locator, n: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const count = await locator.count();
    if (count === n) return;
    if (Date.now() > deadline)
      throw new Error(`expected ${n} elements for ${locator.toString()}, found ${count}`);
    await locator.page().waitForTimeout(50);
  }
}
