import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ValidationError } from '../shared/errors.js';
import { decodeCursor, encodeCursor } from './query-cursor.js';

const query = {
  project_id: 'a/b',
  filter: { op_names: ['x'], trace_ids: ['t'] },
  sort_by: [{ field: 'id', direction: 'asc' as const }],
};

test('a cursor round-trips its offset for the same query, whatever the key order or page size', () => {
  const cursor = encodeCursor(query, 200);
  assert.match(cursor, /^[A-Za-z0-9_-]+$/);
  const reordered = {
    sort_by: query.sort_by,
    limit: 7,
    filter: { trace_ids: ['t'], op_names: ['x'] },
    project_id: 'a/b',
  };
  assert.equal(decodeCursor(cursor, reordered), 200);
});

test('a cursor from another query or a forged one is a 400 on `cursor`', () => {
  const cursor = encodeCursor(query, 200);
  const isCursorError = (e: unknown) => e instanceof ValidationError && e.path === 'cursor';
  assert.throws(() => decodeCursor(cursor, { ...query, project_id: 'a/c' }), isCursorError);
  assert.throws(() => decodeCursor(cursor, { ...query, filter: { op_names: ['y'] } }), isCursorError);
  assert.throws(() => decodeCursor('garbage!', query), isCursorError);
  const forged = Buffer.from(JSON.stringify({ o: -5, q: 'x' })).toString('base64url');
  assert.throws(() => decodeCursor(forged, query), isCursorError);
});
