import type { Database, Statement } from 'better-sqlite3';
import type { ObjectCreate, ObjectRecord, ObjectsQuery } from '../trace-store.js';
import { ValidationError } from '../../shared/errors.js';
import { microsToIso, nowMicros } from '../../shared/time.js';
import { canonicalJson, sha256Digest } from '../../shared/digest.js';
import type { StatementCache } from './read-pool.js';
import type { SqlFragment } from './sql-fragment.js';
import { inList, optionalCount } from './sql-fragment.js';

/**
 * Versioned, content-addressed objects. The digest of a val is the sha256 of its canonical JSON
 * (digest.ts). Each new digest of an `object_id` becomes its next version (`version_index` 0, 1, ...)
 * and the latest; publishing a digest the object already has is a no-op (no new version). A version
 * is read by digest, `latest`, or `v<N>`. `queryObjects` orders by creation, then object id and version.
 */

const SELECT = `SELECT project_id, object_id, digest, base_object_class, val, created_at_us, version_index,
  version_index = (SELECT max(o2.version_index) FROM objects o2
    WHERE o2.project_id = o.project_id AND o2.object_id = o.object_id) AS is_latest
  FROM objects o`;

export class SqliteObjects {
  private readonly findDigest: Statement;
  private readonly nextVersion: Statement;
  private readonly insert: Statement;
  private readonly create: (obj: Parameters<SqliteObjects['createObject']>[0]) => string;

  constructor(
    db: Database,
    private readonly statements: StatementCache,
  ) {
    this.findDigest = db.prepare(
      'SELECT 1 FROM objects WHERE project_id = ? AND object_id = ? AND digest = ?',
    );
    this.nextVersion = db.prepare(
      'SELECT coalesce(max(version_index) + 1, 0) AS v FROM objects WHERE project_id = ? AND object_id = ?',
    );
    this.insert = db.prepare(
      `INSERT INTO objects (project_id, object_id, digest, version_index, base_object_class, val, created_at_us)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.create = db.transaction((obj) => this.write(obj));
  }

  createObject(obj: ObjectCreate): string {
    for (const key of ['project_id', 'object_id'] as const) {
      if (typeof obj[key] !== 'string' || obj[key] === '')
        throw new ValidationError(key, 'expected a non-empty string');
    }
    return this.create(obj);
  }

  private write(obj: ObjectCreate): string {
    const canonical = canonicalJson(obj.val, 'val');
    const digest = sha256Digest(canonical);
    if (this.findDigest.get(obj.project_id, obj.object_id, digest)) return digest;
    const { v } = this.nextVersion.get(obj.project_id, obj.object_id) as { v: number };
    this.insert.run(
      obj.project_id,
      obj.object_id,
      digest,
      v,
      obj.base_object_class ?? null,
      JSON.stringify(obj.val),
      nowMicros(),
    );
    return digest;
  }

  readObject(projectId: string, objectId: string, digest: string): ObjectRecord | null {
    const version = /^v(\d+)$/.exec(digest);
    let sql = `${SELECT} WHERE project_id = ? AND object_id = ?`;
    const params: unknown[] = [projectId, objectId];
    if (digest === 'latest') sql += ' ORDER BY version_index DESC LIMIT 1';
    else if (version) {
      sql += ' AND version_index = ?';
      params.push(Number(version[1]));
    } else {
      sql += ' AND digest = ?';
      params.push(digest);
    }
    const row = this.statements.get(sql).get(...params) as Record<string, unknown> | undefined;
    return row ? toRecord(row) : null;
  }

  queryObjects(query: ObjectsQuery): ObjectRecord[] {
    if (typeof query.project_id !== 'string' || query.project_id === '') {
      throw new ValidationError('project_id', 'expected a project id');
    }
    const terms: SqlFragment[] = [{ sql: 'project_id = ?', params: [query.project_id] }];
    const filter = query.filter ?? {};
    if (filter.object_ids && filter.object_ids.length > 0) terms.push(inList('object_id', filter.object_ids));
    if (filter.base_object_classes && filter.base_object_classes.length > 0) {
      terms.push(inList('base_object_class', filter.base_object_classes));
    }
    let sql = `SELECT * FROM (${SELECT} WHERE ${terms.map((t) => t.sql).join(' AND ')})`;
    if (filter.latest_only) sql += ' WHERE is_latest';
    sql += ' ORDER BY created_at_us, object_id, version_index';
    const params = terms.flatMap((t) => t.params);
    const limit = optionalCount(query.limit, 'limit');
    const offset = optionalCount(query.offset, 'offset');
    if (limit !== undefined || offset !== undefined) {
      sql += ' LIMIT ? OFFSET ?';
      params.push(limit ?? -1, offset ?? 0);
    }
    return (this.statements.get(sql).all(...params) as Record<string, unknown>[]).map(toRecord);
  }
}

function toRecord(row: Record<string, unknown>): ObjectRecord {
  return {
    project_id: row.project_id as string,
    object_id: row.object_id as string,
    digest: row.digest as string,
    base_object_class: (row.base_object_class ?? null) as string | null,
    val: JSON.parse(row.val as string),
    created_at: microsToIso(row.created_at_us as number),
    version_index: row.version_index as number,
    is_latest: row.is_latest === 1,
  };
}
