import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { CallRecord } from '../../shared/call-types.js';
import { SqliteStore } from '../sqlite/sqlite-store.js';
import { callId, generateCallBatches } from './generate-calls.js';

describe('generateCallBatches', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-generate-calls-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('is deterministic, batched, with increasing UUID-shaped ids', () => {
    const a = [...generateCallBatches({ projectId: 'e/p', count: 2_500, batchSize: 1_000 })];
    const b = [...generateCallBatches({ projectId: 'e/p', count: 2_500, batchSize: 1_000 })];
    assert.deepEqual(a, b);
    assert.deepEqual(
      a.map((batch) => batch.length),
      [1_000, 1_000, 500],
    );
    const ids = a.flat().map((p) => p.call.id);
    assert.deepEqual([...ids].sort(), ids);
    assert.match(callId(5), /^[0-9a-f]{8}-[0-9a-f]{4}-7000-8000-[0-9a-f]{12}$/);
  });

  test('complete and halves modes store the same calls', async () => {
    const store = SqliteStore.open(path.join(dir, 'gen.db'));
    try {
      for (const mode of ['complete', 'halves'] as const) {
        for (const batch of generateCallBatches({
          projectId: `e/${mode}`,
          count: 300,
          mode,
          errorRate: 0.2,
        })) {
          await store.ingest(batch);
        }
      }
      const read = async (project: string) => {
        const out: Omit<CallRecord, 'project_id'>[] = [];
        for await (const { project_id: _, ...call } of store.queryCalls({ project_id: project }))
          out.push(call);
        return out;
      };
      const complete = await read('e/complete');
      assert.equal(complete.length, 300);
      assert.deepEqual(await read('e/halves'), complete);
      assert.ok(complete.some((c) => c.status === 'error'));
      assert.equal(complete.filter((c) => c.parent_id === null).length, 30);
    } finally {
      await store.close();
    }
  });
});
