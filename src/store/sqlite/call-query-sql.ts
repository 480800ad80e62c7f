import type { CallsQuery, SortBy } from '../trace-store.js';
import { LIST_FILTERS, type ListFilterName } from '../../shared/call-field-table.js';
import { ValidationError } from '../../shared/errors.js';
import { jsonLineSelect, resolveCallField, selectList, selectedFields } from './call-fields.js';
import type { SqlFragment } from './sql-fragment.js';
import { inList, optionalCount } from './sql-fragment.js';
import { compileExpr, compileSort } from './sqlite-query.js';
import { callsFilterOf, opNamePatterns, stringList, truncateOver } from '../query-operands.js';

/**
 * Builds the SQL of `queryCalls` and `countCalls` from a CallsQuery: `project_id` + `filter` + `$expr`
 * become the WHERE clause, `sort_by` the ORDER BY (default `started_at asc`, then `id`).
 *
 * Filter semantics: each list filter (`op_names`, `trace_ids`, `call_ids`, `parent_ids`, `thread_ids`,
 * `turn_ids`) keeps calls whose field is in the list; an empty or absent list does not filter. An
 * `op_names` entry ending in `:*` (`weave:///e/p/op/name:*`) matches every version of that op ref.
 * `trace_roots_only` keeps calls with no parent (a call whose start never arrived has no known
 * parent and counts as a root). All filters and `$expr` are ANDed. `limit` / `offset` apply after the
 * sort; `countCalls` counts the matches, capped at `limit` when one is given.
 */

export const DEFAULT_SORT: SortBy[] = [{ field: 'started_at', direction: 'asc' }];

/** List filters with a form of their own below; the others keep calls whose field is in the list. */
const OWN_FORM: ReadonlySet<ListFilterName> = new Set(['op_names']);

/** The WHERE clause (without the keyword) of a calls query. */
export function compileCallsWhere(query: Pick<CallsQuery, 'project_id' | 'filter' | 'query'>): SqlFragment {
  if (typeof query.project_id !== 'string' || query.project_id === '') {
    throw new ValidationError('project_id', 'expected a project id');
  }
  const terms: SqlFragment[] = [{ sql: 'project_id = ?', params: [query.project_id] }];
  const filter = callsFilterOf(query.filter);
  if (filter.op_names !== undefined) {
    const { exact, prefixes } = opNamePatterns(filter.op_names);
    const alternatives: SqlFragment[] = [];
    if (exact.length > 0) alternatives.push(inList('op_name', exact));
    for (const prefix of prefixes) {
      alternatives.push({ sql: '(op_name >= ? AND op_name < ?)', params: [prefix, `${prefix}\u{10FFFF}`] });
    }
    if (alternatives.length > 0) {
      terms.push({
        sql: `(${alternatives.map((a) => a.sql).join(' OR ')})`,
        params: alternatives.flatMap((a) => a.params),
      });
    }
  }
  for (const [key, column] of LIST_FILTERS) {
    const value = filter[key];
    if (value === undefined || OWN_FORM.has(key)) continue;
    const list = stringList(value, `filter.${key}`);
    if (list.length > 0) terms.push(inList(column, list));
  }
  if (filter.trace_roots_only !== undefined && typeof filter.trace_roots_only !== 'boolean') {
    throw new ValidationError('filter.trace_roots_only', 'expected a boolean');
  }
  if (filter.trace_roots_only) terms.push({ sql: 'parent_id IS NULL', params: [] });
  if (query.query !== undefined) {
    if (typeof query.query !== 'object' || query.query === null || !('$expr' in query.query)) {
      throw new ValidationError('query', 'expected { $expr: ... }');
    }
    terms.push(compileExpr(query.query.$expr, resolveCallField, 'query.$expr'));
  }
  return { sql: terms.map((t) => t.sql).join(' AND '), params: terms.flatMap((t) => t.params) };
}

/** The full SELECT of `queryCalls`. */
export function compileCallsSelect(query: CallsQuery, as: 'row' | 'json' = 'row'): SqlFragment {
  const where = compileCallsWhere(query);
  const order = compileSort(query.sort_by, resolveCallField, DEFAULT_SORT);
  const fields = selectedFields(query.columns);
  const limit = optionalCount(query.limit, 'limit');
  const offset = optionalCount(query.offset, 'offset');
  const over = truncateOver(query.truncate_values_over);
  const select = as === 'json' ? jsonLineSelect(fields, over) : selectList(fields, over);
  const params = [...where.params, ...order.params];
  const paged = limit !== undefined || offset !== undefined;
  if (paged) params.push(limit ?? -1, offset ?? 0);
  const page = `FROM calls WHERE ${where.sql} ORDER BY ${order.sql}${paged ? ' LIMIT ? OFFSET ?' : ''}`;
  if (over !== undefined && paged) {
    // A page with size-capped values: the page's ids are chosen first, then each row's columns are
    // built as it is stepped. Sorting the full select list would build every row's (truncated) JSON
    // before returning the first, and `substr` loads a big value whole: one long stall for a page of
    // large calls. The subquery is the outer loop (CROSS JOIN), so its order is the page's order.
    return {
      sql:
        `SELECT ${select} FROM (SELECT id AS page_id ${page}) AS page ` +
        'CROSS JOIN calls ON calls.project_id = ? AND calls.id = page.page_id',
      params: [...params, query.project_id],
    };
  }
  return { sql: `SELECT ${select} ${page}`, params };
}

/** `SELECT count(*)` of `countCalls`; a `limit` caps the count. */
export function compileCallsCount(query: Omit<CallsQuery, 'sort_by' | 'offset' | 'columns'>): SqlFragment {
  const where = compileCallsWhere(query);
  const limit = optionalCount(query.limit, 'limit');
  if (limit === undefined)
    return { sql: `SELECT count(*) AS n FROM calls WHERE ${where.sql}`, params: where.params };
  return {
    sql: `SELECT count(*) AS n FROM (SELECT 1 FROM calls WHERE ${where.sql} LIMIT ?)`,
    params: [...where.params, limit],
  };
}
