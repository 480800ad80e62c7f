import type { JsonObject } from '../../shared/call-types.js';
import type { CallsFilter, QueryOperand, SortBy } from '../../shared/query-types.js';

/**
 * The calls table's view (filters, sort, page) as it lives in the URL, so that a view can be shared and
 * reloaded, and the `/calls/query` request it stands for.
 */

export type StatusFilter = '' | 'success' | 'error' | 'running';
/** Relative ranges are resolved against `anchor` (the time the view was first loaded), or a custom range. */
export type TimeRange = 'all' | '1h' | '24h' | '7d' | '30d' | 'custom';

export interface CallsViewState {
  /** Root calls only (one row per trace), or every call. */
  rootsOnly: boolean;
  /** Exact op name, '' for any. */
  op: string;
  status: StatusFilter;
  range: TimeRange;
  /** ISO bounds of a custom range ('' for open). */
  from: string;
  to: string;
  /** Case-insensitive substring of op name, display name, id, inputs, output or exception. */
  search: string;
  sort: SortBy;
  pageSize: number;
  /** The server's cursor of the page shown; '' for the first page. */
  cursor: string;
  /** Epoch ms relative ranges are measured from while paging (a cursor belongs to one exact query). */
  anchor: number | null;
}

/** Defaults of the calls view. */
export const DEFAULTS: CallsViewState = {
  /** @default true */
  rootsOnly: true,
  /** @default '' */
  op: '',
  /** @default '' */
  status: '',
  /** @default 'all' */
  range: 'all',
  /** @default '' */
  from: '',
  /** @default '' */
  to: '',
  /** @default '' */
  search: '',
  /** Newest first. @default { field: 'started_at', direction: 'desc' } */
  sort: { field: 'started_at', direction: 'desc' },
  /** @default 50 */
  pageSize: 50,
  /** @default '' */
  cursor: '',
  /** @default null */
  anchor: null,
};

/** Fields the table can sort by (column id -> `sort_by` field). */
export const SORTABLE_FIELDS = [
  'op_name',
  'display_name',
  'status',
  'started_at',
  'latency_ms',
  'inputs',
  'output',
] as const;

export const PAGE_SIZES = [25, 50, 100, 200] as const;

const RANGE_MS: Record<Exclude<TimeRange, 'all' | 'custom'>, number> = {
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};

/** Record fields the table reads (everything but attributes, which can be large). */
export const TABLE_COLUMNS = [
  'id',
  'trace_id',
  'parent_id',
  'op_name',
  'display_name',
  'started_at',
  'ended_at',
  'inputs',
  'output',
  'exception',
  'summary',
];

/** The view a query string describes; unknown or malformed values fall back to the defaults. */
export function parseCallsViewState(params: URLSearchParams): CallsViewState {
  const state: CallsViewState = { ...DEFAULTS, sort: { ...DEFAULTS.sort } };
  if (params.get('all') === '1') state.rootsOnly = false;
  state.op = params.get('op') ?? '';
  const status = params.get('status');
  if (status === 'success' || status === 'error' || status === 'running') state.status = status;
  const range = params.get('range');
  if (range !== null && (range === 'custom' || range in RANGE_MS)) state.range = range as TimeRange;
  state.from = validIso(params.get('from'));
  state.to = validIso(params.get('to'));
  if (state.range === 'custom' && state.from === '' && state.to === '') state.range = 'all';
  state.search = params.get('q') ?? '';
  const sort = params.get('sort');
  if (sort !== null) {
    const [field, direction] = sort.split(':');
    if (
      (SORTABLE_FIELDS as readonly string[]).includes(field ?? '') &&
      (direction === 'asc' || direction === 'desc')
    ) {
      state.sort = { field: field as string, direction };
    }
  }
  const size = Number(params.get('size'));
  if ((PAGE_SIZES as readonly number[]).includes(size)) state.pageSize = size;
  state.cursor = params.get('cursor') ?? '';
  const anchor = Number(params.get('at'));
  if (params.get('at') !== null && Number.isSafeInteger(anchor) && anchor > 0) state.anchor = anchor;
  return state;
}

/** The query string of a view: only what differs from the defaults, in a stable order. */
export function callsViewStateToSearch(state: CallsViewState): string {
  const p = new URLSearchParams();
  if (!state.rootsOnly) p.set('all', '1');
  if (state.op !== '') p.set('op', state.op);
  if (state.status !== '') p.set('status', state.status);
  if (state.range !== 'all') p.set('range', state.range);
  if (state.range === 'custom') {
    if (state.from !== '') p.set('from', state.from);
    if (state.to !== '') p.set('to', state.to);
  }
  if (state.search !== '') p.set('q', state.search);
  if (state.sort.field !== DEFAULTS.sort.field || state.sort.direction !== DEFAULTS.sort.direction) {
    p.set('sort', `${state.sort.field}:${state.sort.direction}`);
  }
  if (state.pageSize !== DEFAULTS.pageSize) p.set('size', String(state.pageSize));
  if (state.cursor !== '') {
    p.set('cursor', state.cursor);
    if (state.anchor !== null && state.range !== 'all' && state.range !== 'custom')
      p.set('at', String(state.anchor));
  }
  const s = p.toString();
  return s === '' ? '' : `?${s}`;
}

/** A new view with `changes` applied; any change but the cursor goes back to the first page. */
export function updateView(state: CallsViewState, changes: Partial<CallsViewState>): CallsViewState {
  const next = { ...state, ...changes };
  if (!('cursor' in changes)) {
    next.cursor = '';
    next.anchor = null;
  }
  return next;
}

/** The `/calls/query` body of a view. `now` (epoch ms) resolves relative ranges when there is no anchor. */
export function buildCallsQuery(projectId: string, state: CallsViewState, now: number): JsonObject {
  const filter: CallsFilter = {};
  if (state.rootsOnly) filter.trace_roots_only = true;
  if (state.op !== '') filter.op_names = [state.op];
  const terms: QueryOperand[] = [];
  if (state.status !== '') terms.push({ $eq: [{ $getField: 'status' }, { $literal: state.status }] });
  const { from, to } = timeBounds(state, now);
  if (from !== undefined) terms.push({ $gte: [{ $getField: 'started_at' }, { $literal: from }] });
  if (to !== undefined) terms.push({ $lt: [{ $getField: 'started_at' }, { $literal: to }] });
  const text = state.search.trim();
  if (text !== '') {
    terms.push({
      $or: ['op_name', 'display_name', 'id', 'inputs', 'output', 'exception'].map((field) => ({
        $contains: { input: { $getField: field }, substr: { $literal: text }, case_insensitive: true },
      })),
    });
  }
  const body: JsonObject = {
    project_id: projectId,
    filter,
    sort_by: [state.sort],
    limit: state.pageSize,
    columns: TABLE_COLUMNS,
  };
  if (terms.length === 1) body.query = { $expr: terms[0] };
  else if (terms.length > 1) body.query = { $expr: { $and: terms } };
  if (state.cursor !== '') body.cursor = state.cursor;
  return body;
}

/** ISO bounds of the view's time range. */
export function timeBounds(state: CallsViewState, now: number): { from?: string; to?: string } {
  if (state.range === 'all') return {};
  if (state.range === 'custom') {
    const bounds: { from?: string; to?: string } = {};
    if (state.from !== '') bounds.from = state.from;
    if (state.to !== '') bounds.to = state.to;
    return bounds;
  }
  return { from: new Date((state.anchor ?? now) - RANGE_MS[state.range]).toISOString() };
}

function validIso(value: string | null): string {
  if (value === null || value === '') return '';
  const t = Date.parse(value);
  return Number.isNaN(t) ? '' : new Date(t).toISOString();
}
