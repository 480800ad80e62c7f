import { useEffect, useMemo, useRef, useState } from 'react';
import {
  callLabel,
  formatCount,
  formatDuration,
  formatTimestamp,
  formatCost,
} from '../../../lib/call-format.js';
import { traceUsage } from '../../../lib/trace-usage.js';
import { routePath, tracePath } from '../../../lib/ui-routes.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { StatusBadge } from '../../components/status-badge.js';
import { useNow } from '../../hooks/use-interval.js';
import { Link } from '../../router/link.js';
import { navigate } from '../../router/navigation.js';
import { CallDetails } from './call-details.js';
import { TraceTree } from './trace-tree.js';
import { useTraceCalls } from './use-trace-calls.js';

/** A trace: its call tree and waterfall on the left, the selected call on the right; live while it runs. */
export function TracePage({
  projectId,
  traceId,
  selected,
}: {
  projectId: string;
  traceId: string;
  selected: string | null;
}) {
  const { tree, error, live } = useTraceCalls(projectId, traceId);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const initialised = useRef<string | null>(null);
  const now = useNow(500, live);

  const root = tree?.roots[0] ?? null;
  const selectedId = selected !== null && tree?.byId.has(selected) ? selected : (root?.call.id ?? null);

  // First load: open the roots and the path to the selected call (deeper levels start closed).
  useEffect(() => {
    if (!tree || tree.size === 0 || initialised.current === traceId) return;
    initialised.current = traceId;
    const open = new Set(tree.roots.map((n) => n.call.id));
    if (selectedId) for (const id of tree.ancestorIds(selectedId)) open.add(id);
    setExpanded(open);
  }, [tree, traceId, selectedId]);

  const rows = useMemo(() => tree?.visibleRows(expanded) ?? [], [tree, expanded]);

  const select = (id: string) => navigate(tracePath(projectId, traceId, id), { replace: true });
  const toggle = (id: string, open?: boolean) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (open ?? !next.has(id)) next.add(id);
      else next.delete(id);
      return next;
    });

  const usage = useMemo(() => (tree ? traceUsage(tree.roots) : null), [tree]);
  const duration =
    root?.startMs != null
      ? (root.endMs ?? (root.call.status === 'running' ? now : root.startMs)) - root.startMs
      : null;

  return (
    <div className="page page-trace">
      <div className="trace-header">
        <Link to={routePath({ page: 'calls', projectId })} className="back-link">
          ← Traces
        </Link>
        {root ? (
          <>
            <h1 data-testid="trace-title">{callLabel(root.call)}</h1>
            <StatusBadge status={root.call.status} />
            <span className="meta">
              <span className="meta-item" title="Duration">
                {formatDuration(duration)}
              </span>
              <span className="meta-item">
                {tree?.size.toLocaleString('en-US')} call{tree?.size === 1 ? '' : 's'}
              </span>
              {usage && (
                <span className="meta-item" title={usage.models.join(', ')}>
                  {formatCount(usage.total)} tokens
                </span>
              )}
              {usage?.costUsd != null && (
                <span className="meta-item" title="Estimated cost of the trace" data-testid="trace-cost">
                  {formatCost(usage.costUsd)}
                </span>
              )}
              <span className="meta-item">{formatTimestamp(root.call.started_at)}</span>
              {live && <span className="live-tag">live</span>}
            </span>
          </>
        ) : (
          <h1 className="muted">Trace {traceId}</h1>
        )}
        <span className="spacer" />
        {tree && tree.size > 1 && (
          <span className="tree-actions">
            <button
              type="button"
              className="btn btn-small"
              onClick={() => setExpanded(new Set(tree.parentIds()))}
            >
              Expand all
            </button>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => setExpanded(new Set(tree.roots.map((n) => n.call.id)))}
            >
              Collapse all
            </button>
          </span>
        )}
      </div>
      {error && <ErrorBanner error={error} />}
      {tree && tree.size === 0 && (
        <div className="empty-state">
          <h2>No calls in this trace yet</h2>
          <p className="muted">
            Waiting for trace <code>{traceId}</code>: its calls show here as soon as the SDK sends them.
          </p>
        </div>
      )}
      {!tree && !error && <div className="loading">Loading trace…</div>}
      {tree && tree.size > 0 && (
        <div className="trace-split">
          <div className="trace-left">
            <TraceTree
              tree={tree}
              rows={rows}
              expanded={expanded}
              selectedId={selectedId}
              now={now}
              onSelect={select}
              onToggle={toggle}
            />
          </div>
          <div className="trace-right">
            {selectedId && (
              <CallDetails projectId={projectId} node={tree.byId.get(selectedId) ?? null} now={now} />
            )}
          </div>
        </div>
      )}
    </div>
  );
}
