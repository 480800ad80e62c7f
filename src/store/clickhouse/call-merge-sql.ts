import type { MergedColumn } from './call-fields.js';
import { END_COLUMNS, JSON_COLUMNS, START_COLUMNS } from './call-fields.js';
import { sqlString } from './sql-literal.js';

/**
 * Read-time merge of `call_parts` rows into calls (schema in migrations.ts). For each (project_id, id):
 *
 * - `has_start` / `has_end`: whether any live row carries that half;
 * - the start fields all come from the one start-carrying row of highest version (argMax over a tuple,
 *   since argMax skips NULLs of a Nullable argument), the end fields from the end-carrying row of
 *   highest version: re-sent halves, duplicates and any arrival order give the same call, whether or
 *   not ClickHouse has merged the parts;
 * - a call with no start takes trace_id / started_at from its latest v2 end that has them;
 * - `display_name` is the latest rename row's name (`''` = none) if there is one, else the start's;
 * - rows at or below a tombstone's version (`call_deletes`) are ignored, so a deleted call disappears
 *   and parts written after the delete start a new call, as in the SQLite store;
 * - groups made only of rename rows are not calls.
 *
 * {@link mergedCallsSql} gives a subquery whose columns are named like the fields (trace_id, inputs,
 * inputs_paths, ...), so that the same compiled `$expr` works over merged calls and over raw rows.
 */

const JSON_SUFFIXES = ['', '_paths', '_kinds', '_num', '_off', '_len'];

function rawColumns(column: MergedColumn): string[] {
  return JSON_COLUMNS.has(column) ? JSON_SUFFIXES.map((s) => `${column}${s}`) : [column];
}

/**
 * `(id NOT IN deleted) OR (id, version) IN (rows written after their call's tombstone)`, for one
 * project (or, with `projectSql` undefined, every project, keyed by (project_id, id)).
 */
export function liveRowsSql(projectSql: string | undefined): string {
  if (projectSql === undefined) {
    return `((project_id, id) NOT IN (SELECT project_id, id FROM call_deletes)
      OR (project_id, id, version) IN (
        SELECT project_id, id, version FROM (
          SELECT project_id, id, version FROM call_parts
          WHERE (project_id, id) IN (SELECT project_id, id FROM call_deletes)
        ) ANY INNER JOIN (
          SELECT project_id, id, max(deleted_version) AS dv FROM call_deletes GROUP BY project_id, id
        ) USING (project_id, id) WHERE version > dv))`;
  }
  const deleted = `SELECT id FROM call_deletes WHERE project_id = ${projectSql}`;
  return `(id NOT IN (${deleted})
    OR (id, version) IN (
      SELECT id, version FROM (
        SELECT id, version FROM call_parts WHERE project_id = ${projectSql} AND id IN (${deleted})
      ) ANY INNER JOIN (
        SELECT id, max(deleted_version) AS dv FROM call_deletes WHERE project_id = ${projectSql} GROUP BY id
      ) USING (id) WHERE version > dv))`;
}

export interface MergeOptions {
  /** Already-escaped project id literal. */
  projectSql: string;
  /** Merged columns to build (besides project_id, id, has_start, has_end). */
  columns: Iterable<MergedColumn>;
  /** Extra conditions on the raw rows (e.g. `id IN (...)`), ANDed. */
  rowConditions?: string[];
}

/** `(SELECT ... merged calls ...)`: a subquery of merged calls with the requested columns. */
export function mergedCallsSql(options: MergeOptions): string {
  const wanted = new Set(options.columns);
  const start = START_COLUMNS.filter((c) => wanted.has(c));
  const end = END_COLUMNS.filter((c) => wanted.has(c));
  const aggregates = ['max(has_start) AS m_has_start', 'max(has_end) AS m_has_end'];
  const outer = ['project_id', 'id', 'm_has_start AS has_start', 'm_has_end AS has_end'];

  const tuple = (name: string, columns: MergedColumn[], condition: string) => {
    if (columns.length === 0) return;
    const raw = columns.flatMap(rawColumns);
    aggregates.push(`argMaxIf(tuple(${raw.join(', ')}), version, ${condition}) AS ${name}`);
    let position = 0;
    for (const column of columns) {
      for (const rawName of rawColumns(column)) {
        position++;
        const element = `tupleElement(${name}, ${position})`;
        if (rawName === 'trace_id' || rawName === 'started_at') {
          aggregates.push(
            `tupleElement(argMaxIf(tuple(${rawName}), version, has_start = 0 AND isNotNull(${rawName})), 1) AS m_v2_${rawName}`,
          );
          outer.push(`if(has_start = 1, ${element}, m_v2_${rawName}) AS ${rawName}`);
        } else if (rawName === 'display_name') {
          aggregates.push('max(is_rename) AS m_has_rename');
          aggregates.push('argMaxIf(display_name_override, version, is_rename = 1) AS m_rename');
          outer.push(`if(m_has_rename = 1, nullIf(m_rename, ''), ${element}) AS display_name`);
        } else {
          outer.push(`${element} AS ${rawName}`);
        }
      }
    }
  };
  tuple('m_start', start, 'has_start = 1');
  tuple('m_end', end, 'has_end = 1');

  const where = [
    `project_id = ${options.projectSql}`,
    ...(options.rowConditions ?? []),
    liveRowsSql(options.projectSql),
  ];
  return `(SELECT ${outer.join(', ')} FROM (
    SELECT project_id, id, ${aggregates.join(', ')}
    FROM call_parts
    WHERE ${where.join('\n      AND ')}
    GROUP BY project_id, id
    HAVING m_has_start = 1 OR m_has_end = 1))`;
}

/** `id IN (...)` over string literals (`0` for an empty list). */
export function idInList(column: string, ids: readonly string[]): string {
  return ids.length === 0 ? '0' : `${column} IN (${ids.map(sqlString).join(', ')})`;
}
