import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * The README begins with the two commands a new user runs; CI (`.ci/run`) must run exactly the test one,
 * and install nothing a fresh machine with Node alone would not get from it (no browser from apt).
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string): string => readFileSync(ROOT + path, 'utf8');

/** The commands of the README's first fenced block, comments stripped. */
function readmeCommands(): string[] {
  const block = /```sh\n([\s\S]*?)```/.exec(read('README.md'));
  assert.ok(block?.[1], 'README.md has no ```sh block');
  return block[1]
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line !== '');
}

/** `.ci/run`'s command lines, comments and shell plumbing stripped. */
function ciCommands(): string[] {
  return read('.ci/run')
    .split('\n')
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('set ') && !line.startsWith('cd '));
}

test('the README begins with `npm ci && npm start` and `npm ci && npm test`', () => {
  assert.deepEqual(readmeCommands(), ['npm ci && npm start', 'npm ci && npm test']);
  const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
  assert.ok(scripts.start, 'package.json has a start script');
  assert.ok(scripts.test, 'package.json has a test script');
});

test(".ci/run runs the README's test command, and installs no browser", () => {
  const [, testCommand] = readmeCommands();
  const ci = ciCommands();
  const [install, run] = (testCommand ?? '').split(' && ');
  const installAt = ci.indexOf(install ?? '');
  const runAt = ci.indexOf(run ?? '');
  assert.ok(installAt >= 0, `.ci/run runs "${install}": ${JSON.stringify(ci)}`);
  assert.ok(runAt > installAt, `.ci/run runs "${run}" after "${install}": ${JSON.stringify(ci)}`);
  const between = ci.slice(installAt + 1, runAt);
  assert.ok(
    between.every((line) => !/\bnpm (test|run|install|i)\b/.test(line)),
    `nothing between the two changes what npm test means: ${JSON.stringify(between)}`,
  );
  assert.ok(
    ci.every((line) => !/chromium|playwright install/.test(line)),
    `.ci/run must not install a browser (the fresh-machine path uses @sparticuz/chromium): ${JSON.stringify(ci)}`,
  );
});

test('.ci/run starts ClickHouse for the ClickHouse suites before npm test, and their skip says how to run them', () => {
  const ci = ciCommands();
  const startAt = ci.findIndex((line) => /WEFT_CLICKHOUSE_URL=.*scripts\/ci-clickhouse\.sh/.test(line));
  assert.ok(
    startAt >= 0,
    `.ci/run sets WEFT_CLICKHOUSE_URL from scripts/ci-clickhouse.sh: ${JSON.stringify(ci)}`,
  );
  assert.ok(
    ci.slice(startAt).some((line) => /export WEFT_CLICKHOUSE_URL/.test(line)) &&
      ci.indexOf('npm test') > startAt,
    `.ci/run exports WEFT_CLICKHOUSE_URL before npm test: ${JSON.stringify(ci)}`,
  );
  // Without the variable the suites skip with a reason that names the command to run them.
  const helper = new URL('../src/store/clickhouse/test-databases.test-helper.js', import.meta.url).href;
  const env = { ...process.env };
  delete env.WEFT_CLICKHOUSE_URL;
  const out = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(helper)}); console.log(m.CLICKHOUSE_SKIP);`,
    ],
    { env, encoding: 'utf8' },
  );
  assert.match(out, /WEFT_CLICKHOUSE_URL="\$\(bash scripts\/ci-clickhouse\.sh\)" && npm test/);
});
