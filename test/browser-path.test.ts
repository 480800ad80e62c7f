import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { chromiumPath } from './helpers/browser.js';

/** Which browser the UI tests launch: `WEFT_CHROMIUM`, else a system Chromium, else @sparticuz/chromium's. */
test('WEFT_CHROMIUM wins when set, and a missing file is named', async () => {
  const saved = process.env.WEFT_CHROMIUM;
  try {
    process.env.WEFT_CHROMIUM = process.execPath; // any existing file: the preference, not a launch
    assert.equal(await chromiumPath(), process.execPath);
    process.env.WEFT_CHROMIUM = '/nonexistent/chromium';
    await assert.rejects(chromiumPath(), /WEFT_CHROMIUM=\/nonexistent\/chromium: no such file/);
  } finally {
    if (saved === undefined) delete process.env.WEFT_CHROMIUM;
    else process.env.WEFT_CHROMIUM = saved;
  }
});

test('without WEFT_CHROMIUM: the system Chromium when present, else the packaged one', async () => {
  const saved = process.env.WEFT_CHROMIUM;
  try {
    delete process.env.WEFT_CHROMIUM;
    const path = await chromiumPath();
    if (existsSync('/usr/bin/chromium')) assert.equal(path, '/usr/bin/chromium');
    else assert.notEqual(path, '/usr/bin/chromium');
    assert.ok(existsSync(path), `${path} exists`);
  } finally {
    if (saved !== undefined) process.env.WEFT_CHROMIUM = saved;
  }
});
