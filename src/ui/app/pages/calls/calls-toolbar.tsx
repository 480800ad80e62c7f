import { useEffect, useState } from 'react';
import type { CallsViewState, StatusFilter, TimeRange } from '../../../lib/calls-view-state.js';
import { opShortName } from '../../../lib/call-format.js';
import { RefreshIcon, SearchIcon } from '../../components/icons.js';

/** Defaults of the calls toolbar. */
export const DEFAULTS = {
  /** The search applies this long after the last keystroke (ms). @default 400 */
  searchDebounceMs: 400,
};

const RANGES: [TimeRange, string][] = [
  ['all', 'All time'],
  ['1h', 'Last hour'],
  ['24h', 'Last 24 hours'],
  ['7d', 'Last 7 days'],
  ['30d', 'Last 30 days'],
  ['custom', 'Custom range…'],
];

interface ToolbarProps {
  view: CallsViewState;
  opNames: string[];
  loading: boolean;
  onChange: (changes: Partial<CallsViewState>) => void;
  onRefresh: () => void;
}

/** Roots / all calls, op, status, time range and text search. */
export function CallsToolbar({ view, opNames, loading, onChange, onRefresh }: ToolbarProps) {
  const [text, setText] = useState(view.search);
  useEffect(() => setText(view.search), [view.search]);
  useEffect(() => {
    if (text === view.search) return;
    const timer = window.setTimeout(() => onChange({ search: text }), DEFAULTS.searchDebounceMs);
    return () => window.clearTimeout(timer);
    // Only typing schedules a search; a new view resets the text above.
  }, [text]);
  const filtered = view.op !== '' || view.status !== '' || view.range !== 'all' || view.search !== '';
  const ops = view.op !== '' && !opNames.includes(view.op) ? [view.op, ...opNames] : opNames;
  return (
    <div className="toolbar" role="toolbar" aria-label="Filters">
      <div className="segmented" role="group" aria-label="Rows">
        <button
          type="button"
          className={view.rootsOnly ? 'active' : ''}
          aria-pressed={view.rootsOnly}
          onClick={() => onChange({ rootsOnly: true })}
        >
          Traces
        </button>
        <button
          type="button"
          className={view.rootsOnly ? '' : 'active'}
          aria-pressed={!view.rootsOnly}
          onClick={() => onChange({ rootsOnly: false })}
        >
          All calls
        </button>
      </div>
      <select
        className="input"
        aria-label="Op"
        data-testid="filter-op"
        value={view.op}
        onChange={(e) => onChange({ op: e.target.value })}
      >
        <option value="">All ops</option>
        {ops.map((op) => (
          <option key={op} value={op}>
            {opShortName(op)}
          </option>
        ))}
      </select>
      <select
        className="input"
        aria-label="Status"
        data-testid="filter-status"
        value={view.status}
        onChange={(e) => onChange({ status: e.target.value as StatusFilter })}
      >
        <option value="">Any status</option>
        <option value="success">Success</option>
        <option value="error">Error</option>
        <option value="running">Running</option>
      </select>
      <select
        className="input"
        aria-label="Time range"
        data-testid="filter-range"
        value={view.range}
        onChange={(e) => onChange({ range: e.target.value as TimeRange })}
      >
        {RANGES.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      {view.range === 'custom' && (
        <>
          <DateInput label="From" value={view.from} onChange={(from) => onChange({ from })} />
          <DateInput label="To" value={view.to} onChange={(to) => onChange({ to })} />
        </>
      )}
      <label className="search">
        <SearchIcon />
        <input
          type="search"
          placeholder="Search ops, ids, inputs, outputs…"
          aria-label="Search"
          data-testid="filter-search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') onChange({ search: text });
          }}
        />
      </label>
      {filtered && (
        <button
          type="button"
          className="btn btn-ghost"
          onClick={() => onChange({ op: '', status: '', range: 'all', from: '', to: '', search: '' })}
        >
          Clear filters
        </button>
      )}
      <button
        type="button"
        className="btn btn-ghost"
        onClick={onRefresh}
        title="Refresh"
        aria-label="Refresh"
      >
        <RefreshIcon className={loading ? 'spin' : ''} />
      </button>
    </div>
  );
}

/** A local date-time input holding an ISO (UTC) value. */
function DateInput({
  label,
  value,
  onChange,
}: {
  label: string;
  value: string;
  onChange: (iso: string) => void;
}) {
  const local = value === '' ? '' : toLocalInput(new Date(value));
  return (
    <input
      type="datetime-local"
      className="input"
      aria-label={label}
      value={local}
      onChange={(e) => onChange(e.target.value === '' ? '' : new Date(e.target.value).toISOString())}
    />
  );
}

function toLocalInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
