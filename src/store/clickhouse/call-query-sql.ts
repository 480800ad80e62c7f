import type { CallsQuery, SortBy } from '../trace-store.js';
import { callsFilterOf, opNamePatterns, stringList, truncateOver } from '../query-operands.js';
import { LIST_FILTERS, type ListFilterName } from '../../shared/call-field-table.js';
import { ValidationError, describeValue } from '../../shared/errors.js';
import type { FieldUse, MergedColumn } from './call-fields.js';
import { callFieldResolver, newFieldUse, outputColumns, outputSql, selectedFields } from './call-fields.js';
import { idInList, mergedCallsSql } from './call-merge-sql.js';
import { compilePredicate, compileSort } from './expr-compiler.js';
import { NO_LIMIT, sqlCount, sqlString } from './sql-literal.js';

/**
 * Builds the SQL of `queryCalls` / `countCalls` (same semantics as the SQLite store's
 * call-query-sql.ts: list filters with empty lists not filtering, `op_names` `:*` prefixes,
 * `trace_roots_only` counting calls without a start as roots, AND of everything, default order
 * `started_at asc` then id, count capped by `limit`).
 *
 * Plan: merging a whole project at read time is the expensive part, so the calls to merge are first
 * narrowed on the raw rows. A condition that reads fields of one half only (start or end) holds for a
 * merged call only if it holds for the winning row of that half (call-merge-sql.ts), so
 * `id IN (SELECT id FROM call_parts WHERE <condition on rows>)` is a superset of the matches: top-level
 * AND terms of the filter and `$expr` are grouped by half into at most two such subqueries (`status = X`
 * has a row form too); terms that mix halves are only applied after the merge. `call_ids` restrict the
 * rows directly. The exact conditions always run again on the merged calls.
 *
 * With a limit or offset, the ids of the page are found first with only the columns the conditions and
 * sort need, then only those calls are merged in full.
 */

export const DEFAULT_SORT: SortBy[] = [{ field: 'started_at', direction: 'asc' }];

/** List filters with a form of their own below; the others keep calls whose field is in the list. */
const OWN_FORM: ReadonlySet<ListFilterName> = new Set(['op_names', 'call_ids']);

/** Columns of `call_starts` (migrations.ts) that start-half row conditions may use there. */
const STARTS_COLUMNS: ReadonlySet<MergedColumn> = new Set(['trace_id', 'parent_id', 'op_name', 'started_at']);

/** Extra, already-safe narrowing of a query (call-latest-sql.ts). */
export interface QueryHints {
  /** Conditions on raw rows that hold for every row of every call that can be in the result. */
  narrow?: string[];
  /** Extra conditions on the merged calls. */
  merged?: string[];
}

export interface CompiledWhere {
  projectSql: string;
  /**
   * Start-half conditions valid on `call_starts` rows: a matching call's winning start-carrying row
   * satisfies them (on its start row; rows without a start are not narrowed by them).
   */
  starts: string[];
  /** Whether `starts` are all the conditions (no other filter needs the merged call or another table). */
  startsOnly: boolean;
  /** Exact conditions on merged calls. */
  merged: string[];
  /** Conditions on raw rows (call_ids, candidate subqueries). */
  rows: string[];
  use: FieldUse;
}

/** Compiles project, filter and `$expr`; throws ValidationErrors naming the offending field. */
export function compileCallsWhere(
  query: Pick<CallsQuery, 'project_id' | 'filter' | 'query'>,
  hints: QueryHints = {},
): CompiledWhere {
  if (typeof query.project_id !== 'string' || query.project_id === '') {
    throw new ValidationError('project_id', 'expected a project id');
  }
  const projectSql = sqlString(query.project_id);
  const use = newFieldUse();
  const merged: string[] = [];
  const rows: string[] = [];
  const narrow: string[] = [...(hints.narrow ?? [])];
  const starts: string[] = [];
  let startsOnly = true;
  const pushed: Record<'start' | 'end', string[]> = { start: [], end: [] };
  /** A term over merged columns that is also valid, as is, on the raw rows of one half. */
  const onHalf = (half: 'start' | 'end', sql: string, onStarts = false) => {
    merged.push(sql);
    pushed[half].push(sql);
    if (onStarts) starts.push(sql);
    else startsOnly = false;
  };
  const filter = callsFilterOf(query.filter);
  if (filter.op_names !== undefined) {
    const { exact, prefixes } = opNamePatterns(filter.op_names);
    const alternatives: string[] = [];
    if (exact.length > 0) alternatives.push(`ifNull(${idInList('op_name', exact)}, 0)`);
    for (const prefix of prefixes) alternatives.push(`ifNull(startsWith(op_name, ${sqlString(prefix)}), 0)`);
    if (alternatives.length > 0) onHalf('start', `(${alternatives.join(' OR ')})`, true);
    use.columns.add('op_name');
  }
  for (const [key, column] of LIST_FILTERS) {
    const value = filter[key];
    if (value === undefined || OWN_FORM.has(key)) continue;
    const list = stringList(value, `filter.${key}`);
    if (list.length > 0) {
      onHalf('start', `ifNull(${idInList(column, list)}, 0)`, STARTS_COLUMNS.has(column as MergedColumn));
      use.columns.add(column as MergedColumn);
      // A call of these traces has a row carrying its trace id: call_traces finds them by its key.
      if (column === 'trace_id') {
        narrow.push(
          `id IN (SELECT id FROM call_traces WHERE project_id = ${projectSql} AND ${idInList('trace_id', list)})`,
        );
      }
    }
  }
  if (filter.call_ids !== undefined) {
    const list = stringList(filter.call_ids, 'filter.call_ids');
    if (list.length > 0) rows.push(idInList('id', list));
    if (list.length > 0) startsOnly = false;
  }
  if (filter.trace_roots_only !== undefined && typeof filter.trace_roots_only !== 'boolean') {
    throw new ValidationError('filter.trace_roots_only', 'expected a boolean');
  }
  if (filter.trace_roots_only) {
    onHalf('start', 'isNull(parent_id)', true);
    use.columns.add('parent_id');
  }
  if (query.query !== undefined) {
    if (typeof query.query !== 'object' || query.query === null || !('$expr' in query.query)) {
      throw new ValidationError('query', 'expected { $expr: ... }');
    }
    const expr = query.query.$expr;
    merged.push(compilePredicate(expr, callFieldResolver('merged', use), 'query.$expr'));
    for (const term of conjuncts(expr)) {
      const termUse = newFieldUse();
      let sql: string;
      try {
        sql = compilePredicate(term, callFieldResolver('row', termUse), 'query.$expr');
      } catch {
        startsOnly = false;
        continue; // validated above; a term that does not compile per row is only applied merged
      }
      const halves = termUse.halves;
      if (halves.has('mixed') || (halves.has('start') && halves.has('end'))) {
        startsOnly = false;
        continue;
      }
      pushed[halves.has('end') ? 'end' : 'start'].push(sql);
      const onStarts = halves.size === 1 && halves.has('start');
      if (onStarts && [...termUse.columns].every((c) => STARTS_COLUMNS.has(c))) starts.push(sql);
      else startsOnly = false;
    }
  }
  merged.push(...(hints.merged ?? []));
  // Cheap narrowing first: it also restricts the candidate subqueries (by call_parts' primary key).
  rows.unshift(...narrow);
  for (const half of ['start', 'end'] as const) {
    if (pushed[half].length === 0) continue;
    const conditions = [`project_id = ${projectSql}`, ...narrow, ...pushed[half]];
    rows.push(`id IN (SELECT id FROM call_parts WHERE ${conditions.join(' AND ')})`);
  }
  return { projectSql, starts, startsOnly, merged, rows, use };
}

/** The top-level AND terms of an expression (nested `$and`s flattened). */
function conjuncts(expr: unknown): unknown[] {
  if (typeof expr === 'object' && expr !== null && !Array.isArray(expr) && Object.keys(expr).length === 1) {
    const and = (expr as { $and?: unknown }).$and;
    if (Array.isArray(and)) return and.flatMap(conjuncts);
  }
  return [expr];
}

/** The full SELECT of `queryCalls`; rows have the selected record fields (see rowToCall). */
export function compileCallsSelect(query: CallsQuery, hints: QueryHints = {}): string {
  const where = compileCallsWhere(query, hints);
  const sortUse = newFieldUse();
  const order = compileSort(query.sort_by, callFieldResolver('merged', sortUse), DEFAULT_SORT);
  const fields = selectedFields(query.columns);
  const limit = optionalCount(query.limit, 'limit');
  const offset = optionalCount(query.offset, 'offset');
  const filterColumns = [...where.use.columns, ...sortUse.columns];
  const over = truncateOver(query.truncate_values_over);
  const output = fields.map((f) => outputSql(f, over)).join(', ');
  const conditions = where.merged.length > 0 ? where.merged.join(' AND ') : '1';
  if (limit === undefined && offset === undefined) {
    const calls = mergedCallsSql({
      projectSql: where.projectSql,
      columns: [...filterColumns, ...outputColumns(fields)],
      rowConditions: where.rows,
    });
    return `SELECT ${output} FROM ${calls} WHERE ${conditions} ORDER BY ${order}`;
  }
  const page = `LIMIT ${sqlCount(offset ?? 0)}, ${limit === undefined ? NO_LIMIT : sqlCount(limit)}`;
  const candidates = mergedCallsSql({
    projectSql: where.projectSql,
    columns: filterColumns,
    rowConditions: where.rows,
  });
  const pageIds = `SELECT id FROM ${candidates} WHERE ${conditions} ORDER BY ${order} ${page}`;
  const calls = mergedCallsSql({
    projectSql: where.projectSql,
    columns: [...sortUse.columns, ...outputColumns(fields)],
    rowConditions: [`id IN (${pageIds})`],
  });
  return `SELECT ${output} FROM ${calls} ORDER BY ${order}`;
}

/** `SELECT count() AS n` of `countCalls`; a `limit` caps the count. */
export function compileCallsCount(query: Omit<CallsQuery, 'sort_by' | 'offset' | 'columns'>): string {
  const where = compileCallsWhere(query);
  const limit = optionalCount(query.limit, 'limit');
  const calls = mergedCallsSql({
    projectSql: where.projectSql,
    columns: where.use.columns,
    rowConditions: where.rows,
  });
  const conditions = where.merged.length > 0 ? where.merged.join(' AND ') : '1';
  const capped = limit === undefined ? '' : ` LIMIT ${sqlCount(limit)}`;
  return `SELECT count() AS n FROM (SELECT id FROM ${calls} WHERE ${conditions}${capped})`;
}

export function optionalCount(value: unknown, where: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ValidationError(where, `expected a non-negative integer, got ${describeValue(value)}`);
  }
  return value;
}
