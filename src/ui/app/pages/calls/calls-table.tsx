import type { ReactNode } from 'react';
import type { CallRecord } from '../../../../shared/call-types.js';
import type { SortBy } from '../../../../shared/query-types.js';
import {
  callLabel,
  formatCount,
  formatDuration,
  formatTimestamp,
  latencyMs,
  opShortName,
  tokenUsage,
  formatCost,
  type TokenUsage,
} from '../../../lib/call-format.js';
import { tracePath } from '../../../lib/ui-routes.js';
import { StatusBadge } from '../../components/status-badge.js';
import { ValuePeek } from '../../components/value-peek.js';
import { useNow } from '../../hooks/use-interval.js';
import { Link } from '../../router/link.js';
import { navigate } from '../../router/navigation.js';

interface Column {
  id: string;
  label: string;
  /** The `sort_by` field; absent: not sortable. */
  sortField?: string;
  /** Direction of the first click on the header. */
  firstDirection?: 'asc' | 'desc';
  className?: string;
  /** `usage`: the call's own, or for a root without any, its trace's (see `traceUsages`). */
  render: (call: CallRecord, projectId: string, now: number, usage: TokenUsage | null) => ReactNode;
}

const COLUMNS: Column[] = [
  {
    id: 'status',
    label: 'Status',
    sortField: 'status',
    className: 'col-status',
    render: (c) => <StatusBadge status={c.status} />,
  },
  {
    id: 'name',
    label: 'Name',
    sortField: 'op_name',
    firstDirection: 'asc',
    className: 'col-name',
    render: (c, projectId) => (
      <Link to={tracePath(projectId, c.trace_id ?? c.id, c.id)} className="call-name" title={c.op_name ?? ''}>
        {callLabel(c)}
        {c.display_name && <span className="op-name">{opShortName(c.op_name)}</span>}
      </Link>
    ),
  },
  {
    id: 'started',
    label: 'Started',
    sortField: 'started_at',
    className: 'col-time',
    render: (c) => <span title={c.started_at ?? ''}>{formatTimestamp(c.started_at)}</span>,
  },
  {
    id: 'latency',
    label: 'Latency',
    sortField: 'latency_ms',
    firstDirection: 'desc',
    className: 'col-num',
    render: (c, _p, now) =>
      c.status === 'running' && c.started_at ? (
        <span className="live">{formatDuration(now - Date.parse(c.started_at))}</span>
      ) : (
        formatDuration(latencyMs(c))
      ),
  },
  {
    id: 'tokens',
    label: 'Tokens',
    className: 'col-num',
    render: (_c, _p, _n, usage) => {
      if (!usage) return <span className="muted">–</span>;
      return (
        <span title={`${usage.prompt} prompt + ${usage.completion} completion (${usage.models.join(', ')})`}>
          {formatCount(usage.total)}
        </span>
      );
    },
  },
  {
    id: 'cost',
    label: 'Cost',
    className: 'col-num',
    render: (_c, _p, _n, usage) => {
      const cost = usage?.costUsd ?? null;
      if (cost === null) return <span className="muted">–</span>;
      return <span title="Estimated cost of the call and its children">{formatCost(cost)}</span>;
    },
  },
  {
    id: 'inputs',
    label: 'Inputs',
    sortField: 'inputs',
    firstDirection: 'asc',
    className: 'col-peek',
    render: (c, projectId) => <ValuePeek call={c} field="inputs" projectId={projectId} />,
  },
  {
    id: 'output',
    label: 'Output',
    sortField: 'output',
    firstDirection: 'asc',
    className: 'col-peek',
    render: (c, projectId) =>
      c.exception ? (
        <span className="peek peek-error">{c.exception.split('\n')[0]}</span>
      ) : (
        <ValuePeek call={c} field="output" projectId={projectId} />
      ),
  },
];

interface TableProps {
  projectId: string;
  calls: CallRecord[] | undefined;
  sort: SortBy;
  rootsOnly: boolean;
  onSort: (sort: SortBy) => void;
  /**
   * Usage of whole traces, by trace id, for root calls that report none themselves (spans ingested
   * over OTLP: each reports only its own LLM call; see use-trace-usages.ts).
   */
  traceUsages?: ReadonlyMap<string, TokenUsage>;
}

/** One row per call; a click opens its trace with the call selected. Headers sort. */
export function CallsTable({ projectId, calls, sort, rootsOnly, onSort, traceUsages }: TableProps) {
  const now = useNow(1000, calls?.some((c) => c.status === 'running') ?? false);
  const clickHeader = (col: Column) => {
    if (!col.sortField) return;
    if (sort.field === col.sortField)
      onSort({ field: col.sortField, direction: sort.direction === 'asc' ? 'desc' : 'asc' });
    else onSort({ field: col.sortField, direction: col.firstDirection ?? 'desc' });
  };
  return (
    <div className="table-wrap calls-table-wrap">
      <table className="data-table calls-table" data-testid="calls-table">
        <thead>
          <tr>
            {COLUMNS.map((col) => {
              const active = col.sortField !== undefined && sort.field === col.sortField;
              return (
                <th
                  key={col.id}
                  className={`${col.className ?? ''} ${col.sortField ? 'sortable' : ''} ${active ? 'sorted' : ''}`}
                  onClick={() => clickHeader(col)}
                  aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined}
                  data-testid={`col-${col.id}`}
                >
                  {col.label}
                  {active && <span className="sort-arrow">{sort.direction === 'asc' ? '▲' : '▼'}</span>}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {calls?.map((c) => (
            <tr
              key={c.id}
              className="clickable"
              data-call-id={c.id}
              onClick={(e) => {
                if ((e.target as HTMLElement).closest('a')) return;
                navigate(tracePath(projectId, c.trace_id ?? c.id, c.id));
              }}
            >
              {COLUMNS.map((col) => (
                <td key={col.id} className={col.className}>
                  {col.render(c, projectId, now, usageOf(c, traceUsages))}
                </td>
              ))}
            </tr>
          ))}
          {calls && calls.length === 0 && (
            <tr>
              <td colSpan={COLUMNS.length} className="no-rows">
                No {rootsOnly ? 'traces' : 'calls'} match these filters.
              </td>
            </tr>
          )}
          {!calls && (
            <tr>
              <td colSpan={COLUMNS.length} className="no-rows">
                Loading…
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

/** A call's own usage; for a root reporting none, its trace's when known. */
function usageOf(
  call: CallRecord,
  traceUsages: ReadonlyMap<string, TokenUsage> | undefined,
): TokenUsage | null {
  const own = tokenUsage(call.summary);
  if (own || call.parent_id !== null || !traceUsages) return own;
  return traceUsages.get(call.trace_id ?? call.id) ?? null;
}
