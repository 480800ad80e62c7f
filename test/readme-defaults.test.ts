import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { PIPELINE_DEFAULTS } from '../src/pipeline/pipeline-defaults.js';
import { CLIENT_DEFAULTS } from '../src/sdk/client-options.js';

/**
 * The README's `init(options)` table states each option's default; the defaults objects are the
 * source. This keeps the two from drifting apart (the README once said `retryDeadlineMs` was 60 s
 * while the code used 10 s).
 */
const README = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');

/** Options without a plain value default, documented in words. */
const DOCUMENTED_IN_WORDS = new Set(['project', 'apiKey', 'serialize', 'logger', 'handleSignals', 'prices']);

const UNITS: Record<string, number> = { ms: 1, s: 1000, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };

/** A README default cell value as the code would hold it: `10 MiB` → 10485760, `30 s` → 30000. */
function parseDefault(text: string): unknown {
  const plain = text.replace(/`/g, '').trim();
  const number = /^(\d[\d ]*)(?:\s+(ms|s|KiB|MiB|GiB))?$/.exec(plain);
  if (number?.[1] !== undefined) return Number(number[1].replace(/ /g, '')) * (UNITS[number[2] ?? 'ms'] ?? 1);
  if (plain === 'true' || plain === 'false') return plain === 'true';
  return plain;
}

/** option name → default cell text, from the table under `### init(options)`. */
function readmeDefaults(): Map<string, string> {
  const section = README.split('### `init(options)`')[1]?.split('\n### ')[0];
  assert.ok(section, 'README has an `init(options)` section');
  const out = new Map<string, string>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const [, names, , defaults] = cells;
    if (!names?.startsWith('`') || defaults === undefined) continue;
    const nameList = [...names.matchAll(/`([A-Za-z]+)`/g)].map((m) => m[1] ?? '');
    const valueList = nameList.length > 1 ? defaults.split(/\s*(?:\/|,)\s*/) : [defaults];
    assert.equal(valueList.length, nameList.length, `README row ${names}: one default per option`);
    nameList.forEach((name, i) => out.set(name, valueList[i] ?? ''));
  }
  return out;
}

test("the README's option table states every default the code uses", () => {
  const documented = readmeDefaults();
  const defaults: Record<string, unknown> = { ...PIPELINE_DEFAULTS, ...CLIENT_DEFAULTS };
  for (const [name, value] of Object.entries(defaults)) {
    const cell = documented.get(name);
    assert.ok(cell !== undefined, `README's init(options) table lacks \`${name}\``);
    assert.deepEqual(parseDefault(cell), value, `README default of \`${name}\``);
  }
  for (const name of documented.keys()) {
    assert.ok(
      name in defaults || DOCUMENTED_IN_WORDS.has(name),
      `README documents an unknown option \`${name}\``,
    );
  }
});
