import type { ClickHouseConnection } from './clickhouse-connection.js';
import { renameRow } from './call-rows.js';
import { idInList, mergedCallsSql } from './call-merge-sql.js';
import { sqlString } from './sql-literal.js';
import type { VersionClock } from './version-clock.js';

/** Ids per `IN (...)` list when walking a call tree (keeps each query small). */
const CHUNK = 2_000;

/**
 * `deleteCalls` and `updateCall` on append-only storage: a delete appends tombstones to `call_deletes`
 * (one per call of the subtrees, versioned above every part of those calls seen now), a rename appends
 * a rename row to `call_parts`; reads apply both (call-merge-sql.ts).
 */
export class CallMutations {
  constructor(
    private readonly conn: ClickHouseConnection,
    private readonly clock: VersionClock,
  ) {}

  /**
   * Deletes the live calls among `ids` and all their descendants; returns how many. The subtrees are
   * walked on raw rows first (cheap: no merge), which finds every call that has or had a row under a
   * parent in the set, a superset; one merged read of those candidates then gives the live calls and
   * their current parents, and the real subtrees are walked on that.
   */
  async deleteCalls(projectId: string, ids: string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const projectSql = sqlString(projectId);
    const candidates = new Set(ids);
    let frontier = [...candidates];
    while (frontier.length > 0) {
      const next: string[] = [];
      for (const chunk of chunks(frontier)) {
        const rows = await this.conn.rows<{ id: string }>(
          `SELECT DISTINCT id FROM call_parts WHERE project_id = ${projectSql} AND ${idInList('parent_id', chunk)}`,
          'find children',
        );
        for (const { id } of rows) {
          if (!candidates.has(id)) {
            candidates.add(id);
            next.push(id);
          }
        }
      }
      frontier = next;
    }
    const parentOf = new Map<string, string | null>();
    for (const chunk of chunks([...candidates])) {
      const calls = mergedCallsSql({
        projectSql,
        columns: ['parent_id'],
        rowConditions: [idInList('id', chunk)],
      });
      const rows = await this.conn.rows<{ id: string; parent_id: string | null }>(
        `SELECT id, parent_id FROM ${calls}`,
        'read calls to delete',
      );
      for (const row of rows) parentOf.set(row.id, row.parent_id);
    }
    const children = new Map<string, string[]>();
    for (const [id, parent] of parentOf) {
      if (parent === null) continue;
      const list = children.get(parent) ?? [];
      list.push(id);
      children.set(parent, list);
    }
    const doomed = new Set<string>();
    const queue = ids.filter((id) => parentOf.has(id));
    while (queue.length > 0) {
      const id = queue.pop() as string;
      if (doomed.has(id)) continue;
      doomed.add(id);
      for (const child of children.get(id) ?? []) queue.push(child);
    }
    if (doomed.size === 0) return 0;
    const all = [...doomed];
    for (const chunk of chunks(all)) {
      const [row] = await this.conn.rows<{ v: number }>(
        `SELECT max(version) AS v FROM call_parts WHERE project_id = ${projectSql} AND ${idInList('id', chunk)}`,
        'read versions',
      );
      this.clock.observe(Number(row?.v ?? 0));
    }
    const version = this.clock.take();
    await this.conn.insert(
      'call_deletes',
      all.map((id) => ({ project_id: projectId, id, deleted_version: version })),
      'delete calls',
    );
    return all.length;
  }

  /** Renames a live call (`''` / null removes the name); false if there is no such call. */
  async updateCall(projectId: string, id: string, displayName: string | null): Promise<boolean> {
    const calls = mergedCallsSql({
      projectSql: sqlString(projectId),
      columns: [],
      rowConditions: [idInList('id', [id])],
    });
    const found = await this.conn.rows(`SELECT id FROM ${calls}`, 'find call to update');
    if (found.length === 0) return false;
    await this.conn.insert(
      'call_parts',
      [renameRow(projectId, id, displayName ?? '', this.clock.take())],
      'update call',
    );
    return true;
  }
}

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}
