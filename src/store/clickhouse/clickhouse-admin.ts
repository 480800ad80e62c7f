import { randomUUID } from 'node:crypto';
import { ValidationError } from '../../shared/errors.js';
import { microsToIso, nowMicros } from '../../shared/time.js';
import type { ApiKeyRecord, ProjectSummary, StoreStats } from '../trace-store.js';
import { liveRowsSql } from './call-merge-sql.js';
import type { ClickHouseConnection } from './clickhouse-connection.js';
import { sqlString } from './sql-literal.js';

/**
 * API keys, projects and store-wide counts, all read from ClickHouse (nothing cached in the process,
 * so every server sharing the database sees the same).
 *
 * - Keys: only the sha256 hex of a key is stored; a hash registers once. Two servers racing to
 *   register the same hash may both insert; reads take the earliest row, so both agree afterwards.
 * - Projects: listed once they received a call (`project_activity`, kept by a materialized view at the
 *   latest start or end seen); `call_count` counts the live calls now (a project whose calls were all
 *   deleted stays listed with 0), as in the SQLite store.
 */
export class ClickHouseAdmin {
  constructor(private readonly conn: ClickHouseConnection) {}

  async createApiKey(projectId: string, keyHash: string): Promise<ApiKeyRecord> {
    if (typeof projectId !== 'string' || projectId === '')
      throw new ValidationError('project_id', 'expected a project id');
    if (typeof keyHash !== 'string' || keyHash === '')
      throw new ValidationError('key_hash', 'expected the hash of the key');
    if (await this.findApiKey(keyHash))
      throw new ValidationError('key_hash', 'this key is already registered');
    const createdAtUs = nowMicros();
    const record: ApiKeyRecord = {
      id: randomUUID(),
      project_id: projectId,
      key_hash: keyHash,
      created_at: microsToIso(createdAtUs),
    };
    await this.conn.insert(
      'api_keys',
      [{ key_hash: keyHash, id: record.id, project_id: projectId, created_at: createdAtUs }],
      'create API key',
    );
    return record;
  }

  async findApiKey(keyHash: string): Promise<ApiKeyRecord | null> {
    const [row] = await this.conn.rows<{ id: string; project_id: string; created_at: number }>(
      `SELECT id, project_id, created_at FROM api_keys WHERE key_hash = ${sqlString(keyHash)} ORDER BY created_at, id LIMIT 1`,
      'find API key',
    );
    if (!row) return null;
    return {
      id: row.id,
      project_id: row.project_id,
      key_hash: keyHash,
      created_at: microsToIso(Number(row.created_at)),
    };
  }

  async hasApiKeys(): Promise<boolean> {
    return (await this.conn.rows('SELECT 1 FROM api_keys LIMIT 1', 'look for API keys')).length > 0;
  }

  async listProjects(): Promise<ProjectSummary[]> {
    const rows = await this.conn.rows<{ project_id: string; call_count: number; last_activity_us: number }>(
      `SELECT a.project_id AS project_id, c.n AS call_count, a.last_activity_us AS last_activity_us FROM (
         SELECT project_id, max(last_activity_us) AS last_activity_us FROM project_activity GROUP BY project_id
       ) AS a ANY LEFT JOIN (${this.liveCountsSql()}) AS c USING (project_id)
       ORDER BY project_id`,
      'list projects',
    );
    return rows.map((r) => ({
      project_id: r.project_id,
      call_count: Number(r.call_count ?? 0),
      last_activity: microsToIso(Number(r.last_activity_us)),
    }));
  }

  async stats(): Promise<StoreStats> {
    const [calls] = await this.conn.rows<{ n: number }>(
      `SELECT sum(n) AS n FROM (${this.liveCountsSql()})`,
      'count calls',
    );
    const [projects] = await this.conn.rows<{ n: number }>(
      'SELECT uniqExact(project_id) AS n FROM project_activity',
      'count projects',
    );
    return { calls: Number(calls?.n ?? 0), projects: Number(projects?.n ?? 0) };
  }

  /** Live calls per project: distinct ids with a live start or end row. */
  private liveCountsSql(): string {
    return `SELECT project_id, uniqExact(id) AS n FROM call_parts
      WHERE (has_start = 1 OR has_end = 1) AND ${liveRowsSql(undefined)} GROUP BY project_id`;
  }
}
