import type { CallsFilter, CallsQuery } from '../../store/trace-store.js';
import { FieldReader } from './field-reader.js';
import { LIST_FILTERS, type ListFilterName } from '../../shared/call-field-table.js';
import { checkProjectId } from './project-id.js';
import { parseQueryExpr } from './query-expr.js';
import { parseSortBy } from './sort-by.js';

/** Weave filter fields weft does not implement: accepted when empty, refused otherwise (never ignored). */
const UNSUPPORTED_FILTERS = new Set(['input_refs', 'output_refs', 'wb_user_ids', 'wb_run_ids']);

export interface ParsedCallsQuery {
  query: CallsQuery;
  /** The opaque paging cursor of `/calls/query`, if the request has one. */
  cursor: string | undefined;
}

/**
 * Validates the body of `/calls/stream_query`, `/calls/query` and `/calls/query_stats`. Unknown top-level
 * fields (`expand_columns`, `include_costs`, ...) are ignored; unknown filter fields are refused.
 */
export function parseCallsQuery(
  body: unknown,
  options: { minLimit?: number; maxLimit?: number } = {},
): ParsedCallsQuery {
  const r = FieldReader.of(body, '');
  const query: CallsQuery = { project_id: checkProjectId(r.string('project_id'), 'project_id') };
  const filter = parseFilter(r);
  if (filter) query.filter = filter;
  if (r.has('query')) query.query = parseQueryExpr(r.any('query'), 'query');
  const sortBy = parseSortBy(r);
  if (sortBy) query.sort_by = sortBy;
  const limit = r.optionalInteger('limit', options.minLimit ?? 0, options.maxLimit);
  if (limit !== undefined) query.limit = limit;
  const offset = r.optionalInteger('offset', 0);
  if (offset !== undefined) query.offset = offset;
  const columns = r.optionalStringArray('columns');
  if (columns) query.columns = columns;
  r.optionalStringArray('expand_columns');
  return { query, cursor: r.optionalString('cursor') };
}

function parseFilter(r: FieldReader): CallsFilter | undefined {
  const f = r.optionalChild('filter');
  if (!f) return undefined;
  const filter: CallsFilter = {};
  for (const [key, value] of Object.entries(f.value)) {
    if (LIST_FILTERS.has(key as ListFilterName)) {
      const list = f.optionalStringArray(key);
      if (list) filter[key as ListFilterName] = list;
    } else if (key === 'trace_roots_only') {
      const b = f.optionalBoolean(key);
      if (b !== undefined) filter.trace_roots_only = b;
    } else if (UNSUPPORTED_FILTERS.has(key)) {
      const list = f.optionalStringArray(key);
      if (list && list.length > 0) f.fail(key, 'is not supported by weft (use query.$expr instead)');
    } else if (value !== undefined && value !== null) {
      f.fail(key, 'is not a known filter field');
    }
  }
  return filter;
}
