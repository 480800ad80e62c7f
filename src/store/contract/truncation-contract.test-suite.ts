import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isTruncatedValue, previewChars, type TruncatedValue } from '../../shared/api-types.js';
import { ValidationError } from '../../shared/errors.js';
import type { TraceStore } from '../trace-store.js';
import { collect, completePart, uniqueProject } from './contract-fixtures.test-suite.js';

/** `truncate_values_over`: big JSON values come back as markers, cut by the store; small ones intact. */
export function truncationContract(open: () => Promise<TraceStore>): void {
  describe('truncated values', () => {
    let store: TraceStore;
    const project = uniqueProject();
    // Quotes, backslashes and non-ASCII in the part the preview keeps, so that its quoting is checked.
    const text = 'say "hi" \\ é ' + 'y'.repeat(5000);
    const inputs = { text };
    before(async () => {
      store = await open();
      await store.ingest([completePart(project, 'big', { inputs }, { output: { ok: true } })]);
    });
    after(async () => {
      await store.close();
    });

    test('a value over the cap is a marker with its byte size and first characters', async () => {
      const over = 1024;
      const [call] = await collect(store.queryCalls({ project_id: project, truncate_values_over: over }));
      assert.ok(call && isTruncatedValue(call.inputs), JSON.stringify(call?.inputs).slice(0, 100));
      const marker = call.inputs as unknown as TruncatedValue;
      const json = JSON.stringify(inputs);
      assert.equal(marker.bytes, Buffer.byteLength(json));
      assert.equal(marker.preview, json.slice(0, previewChars(over)));
      assert.deepEqual(call.output, { ok: true }, 'a value under the cap is intact');
      assert.deepEqual(call.attributes, {});
    });

    test('the JSON text stream carries the same marker; without a cap values are whole', async () => {
      if (store.queryCallsJson) {
        const [line] = await collect(
          store.queryCallsJson({ project_id: project, truncate_values_over: 1024 }),
        );
        assert.ok(isTruncatedValue((JSON.parse(line!) as { inputs: unknown }).inputs));
      }
      const [full] = await collect(store.queryCalls({ project_id: project }));
      assert.deepEqual(full?.inputs, inputs);
      assert.deepEqual((await store.readCall(project, 'big'))?.inputs, inputs);
    });

    test('a capped page keeps the order, limit and offset of the same page uncapped', async () => {
      const paged = uniqueProject();
      const base = 1_700_000_000_000_000;
      // Start times out of id order, some values over the cap, so the page is chosen by the sort.
      await store.ingest(
        Array.from({ length: 12 }, (_, i) =>
          completePart(
            paged,
            `p${String(i).padStart(2, '0')}`,
            {
              startedAtUs: base + ((i * 7) % 12) * 1000,
              inputs: { text: i % 3 === 0 ? text : `small ${i}` },
            },
            { output: { i } },
          ),
        ),
      );
      for (const direction of ['asc', 'desc'] as const) {
        const query = {
          project_id: paged,
          sort_by: [{ field: 'started_at', direction }],
          limit: 5,
          offset: 3,
        };
        const uncapped = await collect(store.queryCalls(query));
        const capped = await collect(store.queryCalls({ ...query, truncate_values_over: 1024 }));
        assert.equal(uncapped.length, 5);
        assert.deepEqual(
          capped.map((c) => c.id),
          uncapped.map((c) => c.id),
          direction,
        );
        assert.deepEqual(
          capped.map((c) => c.output),
          uncapped.map((c) => c.output),
        );
        if (store.queryCallsJson) {
          const lines = await collect(store.queryCallsJson({ ...query, truncate_values_over: 1024 }));
          assert.deepEqual(
            lines.map((l) => (JSON.parse(l) as { id: string }).id),
            uncapped.map((c) => c.id),
          );
        }
      }
    });

    test('a cap below the minimum is a ValidationError naming truncate_values_over', async () => {
      await assert.rejects(
        async () => collect(store.queryCalls({ project_id: project, truncate_values_over: 10 })),
        (err) => err instanceof ValidationError && err.path === 'truncate_values_over',
      );
    });
  });
}
