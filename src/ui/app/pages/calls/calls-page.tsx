import { useRef } from 'react';
import {
  DEFAULTS as DEFAULTS_VIEW,
  buildCallsQuery,
  callsViewStateToSearch,
  parseCallsViewState,
  updateView,
} from '../../../lib/calls-view-state.js';
import type { CallsViewState } from '../../../lib/calls-view-state.js';
import { routePath } from '../../../lib/ui-routes.js';
import { countCalls, listOpNames, queryCalls } from '../../api/weft-api.js';
import type { CallCount } from '../../api/weft-api.js';
import { EmptyState } from '../../components/empty-state.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { useAsync } from '../../hooks/use-async.js';
import { useInterval } from '../../hooks/use-interval.js';
import { navigate } from '../../router/navigation.js';
import { CallsTable } from './calls-table.js';
import { useTraceUsages } from './use-trace-usages.js';
import { CallsToolbar } from './calls-toolbar.js';
import { Pager } from './pager.js';

/** Defaults of the calls page. */
export const DEFAULTS = {
  /** While the page shows running calls (or the project is empty), load it again this often (ms). @default 2000 */
  pollMs: 2000,
  /** Matching calls are counted up to this many ("10,000+" beyond). @default 10000 */
  countLimit: 10_000,
};

/** The calls table of a project: filters, sort and paging, all in the URL. */
export function CallsPage({ projectId, search }: { projectId: string; search: URLSearchParams }) {
  const view = parseCallsViewState(search);
  const viewKey = callsViewStateToSearch(view);
  // The query without its page (the cursors of earlier pages belong to it), and without its order (the count).
  const queryKey = callsViewStateToSearch({ ...view, cursor: '', anchor: null });
  const countKey = callsViewStateToSearch({
    ...view,
    cursor: '',
    anchor: null,
    sort: DEFAULTS_VIEW.sort,
    pageSize: 0,
  });
  const queryNow = useRef(Date.now());
  const previous = useRef<{ queryKey: string; cursors: string[] }>({ queryKey, cursors: [] });
  if (previous.current.queryKey !== queryKey) previous.current = { queryKey, cursors: [] };

  const page = useAsync(
    (signal) => {
      queryNow.current = view.anchor ?? Date.now();
      return queryCalls(buildCallsQuery(projectId, view, queryNow.current), signal);
    },
    [projectId, viewKey],
  );
  const count = useAsync(
    (signal) =>
      countCalls(
        buildCallsQuery(projectId, { ...view, cursor: '' }, queryNow.current),
        DEFAULTS.countLimit,
        signal,
      ),
    [projectId, countKey],
  );
  const opNames = useAsync((signal) => listOpNames(projectId, signal), [projectId]);

  const calls = page.data?.calls;
  const traceUsages = useTraceUsages(projectId, calls);
  const unfiltered =
    view.op === '' && view.status === '' && view.range === 'all' && view.search.trim() === '';
  const projectEmpty = unfiltered && count.data?.count === 0;
  const hasRunning = calls?.some((c) => c.status === 'running') ?? false;
  useInterval(
    () => {
      page.reload();
      if (projectEmpty) {
        count.reload();
        opNames.reload();
      }
    },
    DEFAULTS.pollMs,
    hasRunning || projectEmpty,
  );

  const setView = (next: CallsViewState, replace = false) => {
    navigate(routePath({ page: 'calls', projectId }) + callsViewStateToSearch(next), { replace });
  };
  const change = (changes: Partial<CallsViewState>) => setView(updateView(view, changes));
  const nextPage = () => {
    if (!page.data?.next_cursor) return;
    previous.current.cursors.push(view.cursor);
    setView(updateView(view, { cursor: page.data.next_cursor, anchor: view.anchor ?? queryNow.current }));
  };
  const prevPage = () => {
    const cursor = previous.current.cursors.pop() ?? '';
    setView(updateView(view, { cursor, anchor: cursor === '' ? null : view.anchor }));
  };
  const pageIndex =
    view.cursor === '' ? 0 : previous.current.cursors.length > 0 ? previous.current.cursors.length : null;

  return (
    <div className="page page-calls">
      <div className="page-header">
        <h1>{view.rootsOnly ? 'Traces' : 'Calls'}</h1>
        <span className="muted" data-testid="calls-count">
          {count.data === undefined
            ? ''
            : `${formatTotal(count.data)} ${view.rootsOnly ? 'trace' : 'call'}${count.data.count === 1 && !count.data.atLeast ? '' : 's'}`}
        </span>
      </div>
      <CallsToolbar
        view={view}
        opNames={opNames.data ?? []}
        onChange={change}
        onRefresh={() => {
          page.reload();
          count.reload();
          opNames.reload();
        }}
        loading={page.loading}
      />
      {page.error && <ErrorBanner error={page.error} onRetry={page.reload} />}
      {projectEmpty ? (
        <EmptyState title="No traces in this project yet" projectId={projectId} />
      ) : (
        <>
          <CallsTable
            projectId={projectId}
            calls={calls}
            sort={view.sort}
            rootsOnly={view.rootsOnly}
            onSort={(sort) => change({ sort })}
            traceUsages={traceUsages}
          />
          <Pager
            pageSize={view.pageSize}
            pageIndex={pageIndex}
            shown={calls?.length ?? 0}
            total={count.data === undefined ? undefined : formatTotal(count.data)}
            hasPrev={view.cursor !== ''}
            hasNext={Boolean(page.data?.next_cursor)}
            onPrev={prevPage}
            onNext={nextPage}
            onPageSize={(pageSize) => change({ pageSize })}
          />
        </>
      )}
    </div>
  );
}

/** `1,234` or `10,000+`. */
function formatTotal(c: CallCount): string {
  return `${c.count.toLocaleString('en-US')}${c.atLeast ? '+' : ''}`;
}
