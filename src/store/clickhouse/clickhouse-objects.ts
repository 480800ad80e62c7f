import { ValidationError } from '../../shared/errors.js';
import { microsToIso, nowMicros } from '../../shared/time.js';
import type { ObjectCreate, ObjectRecord, ObjectsQuery } from '../trace-store.js';
import { canonicalJson, sha256Digest } from '../../shared/digest.js';
import { optionalCount } from './call-query-sql.js';
import type { ClickHouseConnection } from './clickhouse-connection.js';
import { sqlString, sqlStringList } from './sql-literal.js';

/**
 * Versioned, content-addressed objects, as in the SQLite store (digest of the canonical JSON; a new
 * digest of an object id becomes its next version and the latest; re-publishing a known digest adds
 * none; read by digest, `latest` or `v<N>`; `queryObjects` ordered by creation, object id, version).
 *
 * No counter is kept: a version's index is its rank among the object's digests ordered by first
 * creation time (then digest), computed at read time, so servers sharing the database agree. A digest
 * written twice by a race counts once (its earliest row wins).
 */

interface Version {
  object_id: string;
  digest: string;
  created_at: number;
  base_object_class: string | null;
  version_index: number;
  is_latest: boolean;
}

export class ClickHouseObjects {
  constructor(private readonly conn: ClickHouseConnection) {}

  async createObject(obj: ObjectCreate): Promise<string> {
    for (const key of ['project_id', 'object_id'] as const) {
      if (typeof obj[key] !== 'string' || obj[key] === '')
        throw new ValidationError(key, 'expected a non-empty string');
    }
    const digest = sha256Digest(canonicalJson(obj.val, 'val'));
    const existing = await this.conn.rows(
      `SELECT 1 FROM objects WHERE project_id = ${sqlString(obj.project_id)} AND object_id = ${sqlString(
        obj.object_id,
      )} AND digest = ${sqlString(digest)} LIMIT 1`,
      'find object',
    );
    if (existing.length > 0) return digest;
    await this.conn.insert(
      'objects',
      [
        {
          project_id: obj.project_id,
          object_id: obj.object_id,
          digest,
          base_object_class: obj.base_object_class ?? null,
          val: JSON.stringify(obj.val),
          created_at: nowMicros(),
        },
      ],
      'create object',
    );
    return digest;
  }

  async readObject(projectId: string, objectId: string, digest: string): Promise<ObjectRecord | null> {
    const versions = await this.versions(projectId, [objectId]);
    const alias = /^v(\d+)$/.exec(digest);
    const found =
      digest === 'latest'
        ? versions.find((v) => v.is_latest)
        : alias
          ? versions.find((v) => v.version_index === Number(alias[1]))
          : versions.find((v) => v.digest === digest);
    if (!found) return null;
    const [record] = await this.withValues(projectId, [found]);
    return record ?? null;
  }

  async queryObjects(query: ObjectsQuery): Promise<ObjectRecord[]> {
    if (typeof query.project_id !== 'string' || query.project_id === '') {
      throw new ValidationError('project_id', 'expected a project id');
    }
    const filter = query.filter ?? {};
    let versions = await this.versions(
      query.project_id,
      filter.object_ids && filter.object_ids.length > 0 ? filter.object_ids : undefined,
    );
    if (filter.base_object_classes && filter.base_object_classes.length > 0) {
      const classes = new Set(filter.base_object_classes);
      versions = versions.filter((v) => v.base_object_class !== null && classes.has(v.base_object_class));
    }
    if (filter.latest_only) versions = versions.filter((v) => v.is_latest);
    versions.sort(
      (a, b) =>
        a.created_at - b.created_at ||
        (a.object_id < b.object_id ? -1 : a.object_id > b.object_id ? 1 : 0) ||
        a.version_index - b.version_index,
    );
    const offset = optionalCount(query.offset, 'offset') ?? 0;
    const limit = optionalCount(query.limit, 'limit');
    const page = versions.slice(offset, limit === undefined ? undefined : offset + limit);
    return this.withValues(query.project_id, page);
  }

  /** Every version of the objects (all of the project's if `objectIds` is undefined), with indexes. */
  private async versions(projectId: string, objectIds: string[] | undefined): Promise<Version[]> {
    const rows = await this.conn.rows<{
      object_id: string;
      digest: string;
      first_at: number;
      cls: string | null;
    }>(
      `SELECT object_id, digest, min(created_at) AS first_at,
        tupleElement(argMin(tuple(base_object_class), created_at), 1) AS cls
       FROM objects WHERE project_id = ${sqlString(projectId)}
       ${objectIds ? `AND object_id IN ${sqlStringList(objectIds)}` : ''}
       GROUP BY object_id, digest`,
      'list object versions',
    );
    rows.sort(
      (a, b) =>
        (a.object_id < b.object_id ? -1 : a.object_id > b.object_id ? 1 : 0) ||
        a.first_at - b.first_at ||
        (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0),
    );
    const out: Version[] = [];
    rows.forEach((row, i) => {
      const previous = out[i - 1];
      const index = previous && previous.object_id === row.object_id ? previous.version_index + 1 : 0;
      const next = rows[i + 1];
      out.push({
        object_id: row.object_id,
        digest: row.digest,
        created_at: Number(row.first_at),
        base_object_class: row.cls ?? null,
        version_index: index,
        is_latest: !next || next.object_id !== row.object_id,
      });
    });
    return out;
  }

  /** The records of these versions, in the same order, with their values. */
  private async withValues(projectId: string, versions: Version[]): Promise<ObjectRecord[]> {
    if (versions.length === 0) return [];
    const pairs = versions.map((v) => `(${sqlString(v.object_id)}, ${sqlString(v.digest)})`).join(', ');
    const rows = await this.conn.rows<{ object_id: string; digest: string; first_val: string }>(
      `SELECT object_id, digest, tupleElement(argMin(tuple(val), created_at), 1) AS first_val FROM objects
       WHERE project_id = ${sqlString(projectId)} AND (object_id, digest) IN (${pairs})
       GROUP BY object_id, digest`,
      'read objects',
    );
    const vals = new Map(rows.map((r) => [`${r.object_id}\u0000${r.digest}`, r.first_val]));
    return versions.map((v) => ({
      project_id: projectId,
      object_id: v.object_id,
      digest: v.digest,
      base_object_class: v.base_object_class,
      val: JSON.parse(vals.get(`${v.object_id}\u0000${v.digest}`) ?? 'null') as unknown,
      created_at: microsToIso(v.created_at),
      version_index: v.version_index,
      is_latest: v.is_latest,
    }));
  }
}
