import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { parseCompleteBatch } from '../validation/write-requests.js';
import { completeCall } from '../test-app.test-helper.js';
import { gatedWrites } from './gated-writes.js';

const dir = mkdtempSync(join(tmpdir(), 'weft-gated-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('writes wait for the gate, reads do not', async () => {
  const store = SqliteStore.open(join(dir, 'w.db'));
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const gated = gatedWrites(store, () => gate);
  try {
    const call = completeCall();
    let written = false;
    const write = gated.ingest(parseCompleteBatch({ batch: [call] })).then(() => (written = true));
    const feedback = gated.createFeedback({
      project_id: call.project_id,
      weave_ref: `weave:///${call.project_id}/call/${call.id}`,
      feedback_type: 'note',
      payload: { note: 'x' },
    });
    assert.equal(await gated.readCall(call.project_id, call.id), null, 'a read answers at once');
    assert.equal(gated.kind, 'sqlite');
    assert.equal(written, false);
    open();
    await write;
    await feedback;
    assert.equal((await gated.readCall(call.project_id, call.id))?.id, call.id);
  } finally {
    await store.close();
  }
});
