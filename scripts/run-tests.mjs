// Runs every compiled test file (dist/src/**/*.test.js, dist/test/**/*.test.js) with Node's test runner.
// Usage: node scripts/run-tests.mjs [substring ...]  (only files whose path contains a substring)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function find(dir) {
  let out = [];
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(find(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = [...find('dist/src'), ...find('dist/test')]
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error('no test files found (did the build run?)');
  process.exit(1);
}
// Records a test leaves unsent spill into a temp spool, never into the working tree.
const spoolDir = mkdtempSync(join(tmpdir(), 'weft-test-spool-'));
// The browser tests' Chromium, resolved once here so parallel test files never unpack it together:
// WEFT_CHROMIUM, else a system Chromium, else the binary shipped in the @sparticuz/chromium devDependency.
let chromium = process.env.WEFT_CHROMIUM;
if (!chromium && !existsSync('/usr/bin/chromium') && files.some((f) => f.includes('ui-'))) {
  const { default: packaged } = await import('@sparticuz/chromium');
  chromium = await packaged.executablePath();
  console.log(`# browser tests use the Chromium shipped in @sparticuz/chromium (${chromium})`);
}
const child = spawn(
  process.execPath,
  ['--enable-source-maps', '--test', '--test-concurrency=2', '--test-timeout=600000', ...files],
  {
    stdio: 'inherit',
    env: { ...process.env, WEFT_SPOOL_DIR: spoolDir, ...(chromium ? { WEFT_CHROMIUM: chromium } : {}) },
  },
);
child.on('exit', (code, signal) => {
  rmSync(spoolDir, { recursive: true, force: true });
  process.exit(signal ? 1 : (code ?? 1));
});
