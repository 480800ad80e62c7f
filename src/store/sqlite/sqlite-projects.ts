import type { Database, Statement } from 'better-sqlite3';
import { microsToIso } from '../../shared/time.js';
import type { ProjectSummary, StoreStats } from '../trace-store.js';

/**
 * Projects and store-wide counts. A project is listed once it has received a call (the `projects`
 * table, whose `last_activity_us` ingest keeps at the latest start or end seen); `call_count` counts
 * the calls stored now, so a project whose calls were all deleted stays listed with 0 calls.
 */
export class SqliteProjects {
  private readonly list: Statement;
  private readonly counts: Statement;

  constructor(db: Database) {
    this.list = db.prepare(
      `SELECT p.project_id, coalesce(c.n, 0) AS call_count, p.last_activity_us FROM projects p
       LEFT JOIN (SELECT project_id, count(*) AS n FROM calls GROUP BY project_id) c USING (project_id)
       ORDER BY p.project_id`,
    );
    this.counts = db.prepare(
      'SELECT (SELECT count(*) FROM calls) AS calls, (SELECT count(*) FROM projects) AS projects',
    );
  }

  listProjects(): ProjectSummary[] {
    const rows = this.list.all() as {
      project_id: string;
      call_count: number;
      last_activity_us: number | null;
    }[];
    return rows.map((r) => ({
      project_id: r.project_id,
      call_count: r.call_count,
      last_activity: r.last_activity_us === null ? null : microsToIso(r.last_activity_us),
    }));
  }

  stats(): StoreStats {
    return this.counts.get() as StoreStats;
  }
}
