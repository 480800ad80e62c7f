import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { previewChars } from '../../shared/api-types.js';
import { parseCompleteBatch } from '../../server/validation/write-requests.js';
import { SqliteStore } from './sqlite-store.js';
import { HEAD_CHARS, HEAD_OVER, headOf } from './value-head.js';

const dir = mkdtempSync(join(tmpdir(), 'weft-value-head-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('headOf', () => {
  test('short texts and null have no head', () => {
    assert.equal(headOf(null), null);
    assert.equal(headOf('x'.repeat(HEAD_OVER)), null);
  });

  test('a long text keeps its first HEAD_CHARS code points, never half a surrogate pair', () => {
    assert.equal(headOf('x'.repeat(HEAD_OVER + 1)), 'x'.repeat(HEAD_CHARS));
    const astral = '😀'.repeat(HEAD_OVER);
    assert.equal(headOf(astral), '😀'.repeat(HEAD_CHARS));
    const mixed = `a${'😀'.repeat(HEAD_OVER)}`;
    assert.equal(headOf(mixed), `a${'😀'.repeat(HEAD_CHARS - 1)}`);
  });
});

describe('the calls page preview of a large value', () => {
  test('is cut from the stored head, the same characters as cut from the value', async () => {
    const store = SqliteStore.open(join(dir, 'w.db'));
    try {
      const id = '0190b3a0-0000-7000-8000-000000000001';
      const inputs = { text: `é${'😀'.repeat(HEAD_OVER)}` };
      const [part] = parseCompleteBatch({
        batch: [
          {
            project_id: 'a/b',
            id,
            trace_id: id,
            op_name: 'big',
            started_at: '2026-12-07T00:00:00Z',
            ended_at: '2026-12-07T00:00:01Z',
            inputs,
            output: 'ok',
          },
        ],
      });
      await store.ingest([part!]);
      const over = 4096;
      const lines: string[] = [];
      for await (const line of store.queryCallsJson({
        project_id: 'a/b',
        limit: 10,
        offset: 0,
        truncate_values_over: over,
      })) {
        lines.push(line);
      }
      assert.equal(lines.length, 1);
      const call = JSON.parse(lines[0]!) as { inputs: { preview: string; bytes: number } };
      const text = JSON.stringify(inputs);
      assert.equal(call.inputs.bytes, Buffer.byteLength(text));
      assert.equal(call.inputs.preview, [...text].slice(0, previewChars(over)).join(''));
    } finally {
      await store.close();
    }
  });
});
