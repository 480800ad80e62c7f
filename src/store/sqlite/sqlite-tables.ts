import type { Database, Statement } from 'better-sqlite3';
import { ValidationError } from '../../shared/errors.js';
import { canonicalJson, digestTable, sha256Digest } from '../../shared/digest.js';
import { optionalCount } from './sql-fragment.js';

/**
 * Content-addressed tables (datasets). Each row is stored once per project under the digest of its
 * canonical JSON; a table is the ordered list of its row digests, addressed by the digest of that
 * list (digest.ts). Creating the same rows again gives the same digest and writes nothing new.
 */
export class SqliteTables {
  private readonly insertRow: Statement;
  private readonly insertTable: Statement;
  private readonly insertEntry: Statement;
  private readonly findTable: Statement;
  private readonly readRows: Statement;
  private readonly create: (projectId: string, rows: unknown[]) => { digest: string; row_digests: string[] };

  constructor(db: Database) {
    this.insertRow = db.prepare(
      'INSERT OR IGNORE INTO table_rows (project_id, digest, val) VALUES (?, ?, ?)',
    );
    this.insertTable = db.prepare(
      'INSERT OR IGNORE INTO tables (project_id, digest, row_count) VALUES (?, ?, ?)',
    );
    this.insertEntry = db.prepare(
      'INSERT OR IGNORE INTO table_entries (project_id, table_digest, idx, row_digest) VALUES (?, ?, ?, ?)',
    );
    this.findTable = db.prepare('SELECT row_count FROM tables WHERE project_id = ? AND digest = ?');
    this.readRows = db.prepare(
      `SELECT r.digest, r.val FROM table_entries e
       JOIN table_rows r ON r.project_id = e.project_id AND r.digest = e.row_digest
       WHERE e.project_id = ? AND e.table_digest = ? ORDER BY e.idx LIMIT ? OFFSET ?`,
    );
    this.create = db.transaction((projectId: string, rows: unknown[]) => this.write(projectId, rows));
  }

  createTable(projectId: string, rows: unknown[]): { digest: string; row_digests: string[] } {
    if (typeof projectId !== 'string' || projectId === '') {
      throw new ValidationError('project_id', 'expected a project id');
    }
    if (!Array.isArray(rows)) throw new ValidationError('rows', 'expected an array');
    return this.create(projectId, rows);
  }

  private write(projectId: string, rows: unknown[]): { digest: string; row_digests: string[] } {
    const rowDigests = rows.map((row, i) => {
      const canonical = canonicalJson(row, `rows[${i}]`);
      const digest = sha256Digest(canonical);
      this.insertRow.run(projectId, digest, canonical);
      return digest;
    });
    const digest = digestTable(rowDigests);
    if (this.insertTable.run(projectId, digest, rows.length).changes > 0) {
      rowDigests.forEach((rowDigest, idx) => this.insertEntry.run(projectId, digest, idx, rowDigest));
    }
    return { digest, row_digests: rowDigests };
  }

  /** The rows of a table in order, or null if there is no such table. */
  queryTable(
    projectId: string,
    digest: string,
    options: { limit?: number; offset?: number } = {},
  ): { digest: string; val: unknown }[] | null {
    if (!this.findTable.get(projectId, digest)) return null;
    const limit = optionalCount(options.limit, 'limit') ?? -1;
    const offset = optionalCount(options.offset, 'offset') ?? 0;
    const rows = this.readRows.all(projectId, digest, limit, offset) as { digest: string; val: string }[];
    return rows.map((r) => ({ digest: r.digest, val: JSON.parse(r.val) as unknown }));
  }
}
