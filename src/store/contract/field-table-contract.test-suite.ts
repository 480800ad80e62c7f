import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CALL_FIELDS, END_FIELDS, START_FIELDS, type CallFieldSpec } from '../../shared/call-field-table.js';
import type { CompleteCall } from '../../shared/call-types.js';
import { microsToIso } from '../../shared/time.js';
import type { CallPart, TraceStore } from '../trace-store.js';
import { T0, collect, uniqueProject } from './contract-fixtures.test-suite.js';

/**
 * A value for every written field of the table, distinct per field, so that a field a store drops,
 * swaps or maps to the wrong column shows. Built from the table only: a field added there is covered
 * here without editing this file.
 */
export function callFromTable(projectId: string, id: string): { part: CallPart; call: CompleteCall } {
  const call: Record<string, unknown> = { project_id: projectId, id };
  const times = { started_at: T0 + 1_000_001, ended_at: T0 + 3_500_002 };
  [...START_FIELDS, ...END_FIELDS].forEach((f, i) => (call[f.name] = valueFor(f, i + 1, times)));
  const part: CallPart = {
    kind: 'complete',
    call: call as unknown as CompleteCall,
    startedAtUs: times.started_at,
    endedAtUs: times.ended_at,
  };
  return { part, call: call as unknown as CompleteCall };
}

function valueFor(f: CallFieldSpec, n: number, times: Record<string, number>): unknown {
  switch (f.kind) {
    case 'text':
      return `${f.name}-${n}`;
    case 'number':
      return 100 + n;
    case 'time':
      return microsToIso(times[f.name] ?? T0 + n);
    case 'json':
      // `n` at the same path in every JSON field; a summary also carries usage.
      return f.name === 'summary' ? { usage: { m: { prompt_tokens: n } }, n } : { n };
  }
}

/** Every field of the table is stored, read back and queryable by name, in every store. */
export function fieldTableContract(open: () => Promise<TraceStore>): void {
  describe('field table', () => {
    let store: TraceStore;
    const project = uniqueProject();
    const { part, call } = callFromTable(project, 'all-fields');
    before(async () => {
      store = await open();
      await store.ingest([part]);
    });
    after(async () => {
      await store.close();
    });

    test('every record field of the table round-trips through readCall and queryCalls', async () => {
      const read = await store.readCall(project, 'all-fields');
      assert.ok(read);
      const written = call as unknown as Record<string, unknown>;
      const expected: Record<string, unknown> = {};
      for (const f of CALL_FIELDS.filter((g) => g.record)) {
        // The only derived record field is the status: an exception was written, so `error`.
        expected[f.name] = f.half === 'derived' ? 'error' : written[f.name];
      }
      assert.deepEqual({ ...read }, expected);
      const [queried] = await collect(store.queryCalls({ project_id: project }));
      assert.deepEqual({ ...queried }, expected);
    });

    test('every field of the table can be filtered on and sorted by', async () => {
      const written = call as unknown as Record<string, unknown>;
      for (const f of CALL_FIELDS) {
        let operand: unknown;
        if (f.name === 'status') operand = 'error';
        else if (f.name === 'latency_ms') operand = 2500.001;
        else if (f.kind === 'json') operand = (written[f.name] as { n: number }).n;
        else operand = written[f.name];
        const field = f.kind === 'json' ? `${f.name}.n` : f.name;
        const found = await collect(
          store.queryCalls({
            project_id: project,
            query: { $expr: { $eq: [{ $getField: field }, { $literal: operand as string }] } },
            sort_by: [{ field, direction: 'desc' }],
            columns: ['id'],
          }),
        );
        assert.deepEqual(
          found.map((c) => c.id),
          ['all-fields'],
          `$getField ${field} = ${JSON.stringify(operand)}`,
        );
      }
    });
  });
}
