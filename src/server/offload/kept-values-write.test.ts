import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { parseJsonObject } from '../read-body.js';
import { writeCalls, type CallWriteJob } from '../routes/call-writes.js';
import { parseKeepingRaw } from './parse-keeping-raw.js';

const dir = mkdtempSync(join(tmpdir(), 'weft-kept-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const job: CallWriteJob = { kind: 'complete', pathProject: 'e/p', principal: { kind: 'anonymous' } };
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
const call = (id: string, extra: object) => ({
  id,
  trace_id: 't',
  op_name: 'op',
  started_at: at(1),
  ended_at: at(2),
  ...extra,
});

/** Everything the store gives back for the project, as its JSON lines (stored text spliced in). */
async function lines(store: SqliteStore): Promise<string[]> {
  const out: string[] = [];
  for await (const line of store.queryCallsJson({
    project_id: 'e/p',
    sort_by: [{ field: 'id', direction: 'asc' }],
  })) {
    out.push(line);
  }
  return out;
}

test('large values kept as text are stored as the parsed values would be, in batch order, the body let go first', async () => {
  let releases = 0;
  const kept = SqliteStore.open(join(dir, 'kept.db'), { releaseMemory: () => releases++ });
  const parsed = SqliteStore.open(join(dir, 'parsed.db'));
  const big = { text: 'é'.repeat(40_000), list: [1, 2.5, -3e-7, { k: null }] };
  const body = JSON.stringify({
    batch: [
      call('a', { inputs: big, output: ['x'.repeat(70_000)], attributes: { small: 1 } }),
      call('b', { inputs: { small: true }, output: 'small' }),
      // The same call again, later in the batch: it wins, as it does written one by one.
      call('a', { inputs: { again: 1 }, output: { big }, summary: { usage: { m: { total_tokens: 3 } } } }),
      call('c', { inputs: big }),
    ],
  });
  await writeCalls(kept, job, parseKeepingRaw(Buffer.from(body)));
  await writeCalls(parsed, job, parseJsonObject(Buffer.from(body)));
  assert.equal(releases, 1, 'one release per batch holding kept values');
  const keptLines = await lines(kept);
  assert.equal(keptLines.length, 3);
  assert.deepEqual(keptLines, await lines(parsed));
  const a = JSON.parse(keptLines[0]!) as { inputs: unknown; output: unknown };
  assert.deepEqual(a.inputs, { again: 1 });
  assert.deepEqual(a.output, { big });
  // A batch without kept values runs as it binds: no release.
  await writeCalls(kept, job, parseKeepingRaw(Buffer.from(JSON.stringify({ batch: [call('d', {})] }))));
  assert.equal(releases, 1);
  await kept.close();
  await parsed.close();
});
