import { PAGE_SIZES } from '../../../lib/calls-view-state.js';

interface PagerProps {
  pageSize: number;
  /** Zero-based page number, or null when unknown (a reloaded deep link). */
  pageIndex: number | null;
  shown: number;
  /** The formatted total (`1,234`, `10,000+`), once counted. */
  total: string | undefined;
  hasPrev: boolean;
  hasNext: boolean;
  onPrev: () => void;
  onNext: () => void;
  onPageSize: (size: number) => void;
}

/** Rows per page, the rows shown, and previous / next (the server's cursor paging). */
export function Pager(p: PagerProps) {
  const first = p.pageIndex === null ? null : p.pageIndex * p.pageSize + 1;
  return (
    <div className="pager">
      <label className="muted">
        Rows per page{' '}
        <select className="input" value={p.pageSize} onChange={(e) => p.onPageSize(Number(e.target.value))}>
          {PAGE_SIZES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <span className="muted" data-testid="pager-range">
        {p.shown === 0
          ? ''
          : first === null
            ? `${p.shown} rows`
            : `${first.toLocaleString('en-US')}–${(first + p.shown - 1).toLocaleString('en-US')}` +
              (p.total === undefined ? '' : ` of ${p.total}`)}
      </span>
      <div className="pager-buttons">
        <button type="button" className="btn" disabled={!p.hasPrev} onClick={p.onPrev}>
          ‹ {p.pageIndex === null && p.hasPrev ? 'First' : 'Previous'}
        </button>
        <button
          type="button"
          className="btn"
          disabled={!p.hasNext}
          onClick={p.onNext}
          data-testid="next-page"
        >
          Next ›
        </button>
      </div>
    </div>
  );
}
