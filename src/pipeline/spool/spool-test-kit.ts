// What the spool's tests share: a config in a fresh folder (removed after the tests), records, a drain.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { recordText } from '../record-bytes.js';
import { releaseOwnDir } from './spool-layout.js';
import type { Spool, SpoolConfig } from './spool.js';

const roots: string[] = [];
after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

/** A fresh temporary folder, removed after the tests. */
export function tempRoot(prefix = 'weft-spool-'): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  roots.push(root);
  return root;
}

export function config(overrides: Partial<SpoolConfig> = {}): SpoolConfig {
  return {
    root: tempRoot(),
    projectId: 'acme/spool',
    serverUrl: 'http://127.0.0.1:1',
    maxBytes: 1 << 30,
    segmentBytes: 1 << 20,
    fsyncIntervalMs: 10,
    writeAtOnce: true,
    ...overrides,
  };
}

export const rec = (i: number): string =>
  JSON.stringify({ project_id: 'acme/spool', id: `c${i}`, n: i, text: 'é'.repeat(i % 7) });

/** Drains a spool, committing every batch; returns the ids in order. */
export function drain(spool: Spool, batch = 7): string[] {
  const ids: string[] = [];
  for (let b = spool.read(batch, 1 << 20); b; b = spool.read(batch, 1 << 20)) {
    for (const item of b.items) ids.push((JSON.parse(recordText(item)) as { id: string }).id);
    spool.commit(b);
  }
  return ids;
}

/** Makes a writer folder look like it belongs to a dead process. */
export function kill(spool: Spool): void {
  for (const name of readdirSync(spool.dir)) {
    if (!name.startsWith('p')) continue;
    writeFileSync(join(spool.dir, name, 'lock'), '999999999');
    releaseOwnDir(join(spool.dir, name));
  }
}
