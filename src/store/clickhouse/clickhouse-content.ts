import { ValidationError } from '../../shared/errors.js';
import { nowMicros } from '../../shared/time.js';
import { canonicalJson, digestTable, sha256Digest } from '../../shared/digest.js';
import { optionalCount } from './call-query-sql.js';
import type { ClickHouseConnection } from './clickhouse-connection.js';
import { NO_LIMIT, sqlCount, sqlString, sqlStringList } from './sql-literal.js';

/**
 * Content-addressed tables (datasets) and files, as in the SQLite store (digest.ts: rows by the digest
 * of their canonical JSON, a table by the digest of its row digests, a file by the digest of its bytes).
 *
 * Tables: rows, then the table's entries, then its `tables` row are inserted, in that order: a table is
 * visible only once complete, whatever fails in between. Re-creating a table writes identical rows,
 * which ReplacingMergeTree folds and reads ignore (`any` per key). Files: content is stored as base64
 * text (JSONEachRow carries only text); the same content twice is kept under its first name.
 */
export class ClickHouseContent {
  constructor(private readonly conn: ClickHouseConnection) {}

  async createTable(projectId: string, rows: unknown[]): Promise<{ digest: string; row_digests: string[] }> {
    if (typeof projectId !== 'string' || projectId === '')
      throw new ValidationError('project_id', 'expected a project id');
    if (!Array.isArray(rows)) throw new ValidationError('rows', 'expected an array');
    const canonical = rows.map((row, i) => canonicalJson(row, `rows[${i}]`));
    const rowDigests = canonical.map((text) => sha256Digest(text));
    const digest = digestTable(rowDigests);
    const known = await this.conn.rows(
      `SELECT 1 FROM tables WHERE project_id = ${sqlString(projectId)} AND digest = ${sqlString(digest)} LIMIT 1`,
      'find table',
    );
    if (known.length > 0) return { digest, row_digests: rowDigests };
    const unique = new Map<string, string>();
    rowDigests.forEach((d, i) => unique.set(d, canonical[i] as string));
    await this.conn.insert(
      'table_rows',
      [...unique].map(([rowDigest, val]) => ({ project_id: projectId, digest: rowDigest, val })),
      'create table rows',
    );
    await this.conn.insert(
      'table_entries',
      rowDigests.map((rowDigest, idx) => ({
        project_id: projectId,
        table_digest: digest,
        idx,
        row_digest: rowDigest,
      })),
      'create table entries',
    );
    await this.conn.insert(
      'tables',
      [{ project_id: projectId, digest, row_count: rows.length }],
      'create table',
    );
    return { digest, row_digests: rowDigests };
  }

  /** The rows of a table in order, or null if there is no such table. */
  async queryTable(
    projectId: string,
    digest: string,
    options: { limit?: number; offset?: number } = {},
  ): Promise<{ digest: string; val: unknown }[] | null> {
    const project = sqlString(projectId);
    const table = sqlString(digest);
    const known = await this.conn.rows(
      `SELECT 1 FROM tables WHERE project_id = ${project} AND digest = ${table} LIMIT 1`,
      'find table',
    );
    if (known.length === 0) return null;
    const offset = optionalCount(options.offset, 'offset') ?? 0;
    const limit = optionalCount(options.limit, 'limit');
    const entries = await this.conn.rows<{ row_digest: string }>(
      `SELECT idx, any(row_digest) AS row_digest FROM table_entries
       WHERE project_id = ${project} AND table_digest = ${table}
       GROUP BY idx ORDER BY idx
       LIMIT ${sqlCount(offset)}, ${limit === undefined ? NO_LIMIT : sqlCount(limit)}`,
      'read table entries',
    );
    if (entries.length === 0) return [];
    const digests = [...new Set(entries.map((e) => e.row_digest))];
    const rows = await this.conn.rows<{ digest: string; val: string }>(
      `SELECT digest, any(val) AS val FROM table_rows
       WHERE project_id = ${project} AND digest IN ${sqlStringList(digests)} GROUP BY digest`,
      'read table rows',
    );
    const vals = new Map(rows.map((r) => [r.digest, r.val]));
    return entries.map((e) => ({
      digest: e.row_digest,
      val: JSON.parse(vals.get(e.row_digest) ?? 'null') as unknown,
    }));
  }

  async createFile(projectId: string, name: string, content: Buffer): Promise<string> {
    if (typeof projectId !== 'string' || projectId === '')
      throw new ValidationError('project_id', 'expected a project id');
    if (!Buffer.isBuffer(content)) throw new ValidationError('content', 'expected a Buffer');
    const digest = sha256Digest(content);
    const known = await this.conn.rows(
      `SELECT 1 FROM files WHERE project_id = ${sqlString(projectId)} AND digest = ${sqlString(digest)} LIMIT 1`,
      'find file',
    );
    if (known.length > 0) return digest;
    await this.conn.insert(
      'files',
      [
        {
          project_id: projectId,
          digest,
          name: String(name ?? ''),
          content_base64: content.toString('base64'),
          created_at: nowMicros(),
        },
      ],
      'create file',
    );
    return digest;
  }

  async readFile(projectId: string, digest: string): Promise<Buffer | null> {
    const [row] = await this.conn.rows<{ content: string }>(
      `SELECT content_base64 AS content FROM files
       WHERE project_id = ${sqlString(projectId)} AND digest = ${sqlString(digest)} ORDER BY created_at LIMIT 1`,
      'read file',
    );
    return row ? Buffer.from(row.content, 'base64') : null;
  }
}
