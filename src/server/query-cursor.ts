import { createHash } from 'node:crypto';
import { ValidationError } from '../shared/errors.js';
import type { CallsQuery } from '../store/trace-store.js';

/**
 * Opaque paging cursors of `/calls/query`: base64url of `{ o: offset, q: hash of the query }`. The hash
 * covers everything that shapes the result (project, filter, query, sort, columns) but not the page
 * size, so a cursor handed to a different query is refused instead of silently skipping rows.
 */
export function encodeCursor(query: CallsQuery, offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset, q: queryHash(query) })).toString('base64url');
}

/** The absolute offset a cursor points at; 400 (`cursor`) if it is malformed or from another query. */
export function decodeCursor(cursor: string, query: CallsQuery): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new ValidationError('cursor', 'is not a cursor returned by /calls/query');
  }
  const { o, q } = (parsed ?? {}) as { o?: unknown; q?: unknown };
  if (typeof o !== 'number' || !Number.isSafeInteger(o) || o < 0 || typeof q !== 'string') {
    throw new ValidationError('cursor', 'is not a cursor returned by /calls/query');
  }
  if (q !== queryHash(query)) {
    throw new ValidationError(
      'cursor',
      'belongs to a different query (project, filter, query, sort_by or columns changed)',
    );
  }
  return o;
}

function queryHash(query: CallsQuery): string {
  const { project_id, filter, query: expr, sort_by, columns } = query;
  const canonical = canonicalJson({ project_id, filter, query: expr, sort_by, columns });
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 22);
}

/** JSON with object keys sorted, so equal queries hash equally whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
