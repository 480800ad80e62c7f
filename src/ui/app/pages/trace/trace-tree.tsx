import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { CallNode, CallTree } from '../../../lib/call-tree.js';
import { waterfallBar } from '../../../lib/call-tree.js';
import { callLabel, formatDuration } from '../../../lib/call-format.js';
import { ChevronDown, ChevronRight } from '../../components/icons.js';

/** Defaults of {@link TraceTree}. */
export const DEFAULTS = {
  /** Height of one row in pixels (every row has the same height: that is what makes virtualising cheap). @default 28 */
  rowHeight: 28,
  /** Rows rendered above and below the visible ones, so fast scrolling shows no blank. @default 12 */
  overscan: 12,
  /** Indentation per tree level in pixels. @default 14 */
  indent: 14,
};

interface TreeProps {
  tree: CallTree;
  rows: CallNode[];
  expanded: ReadonlySet<string>;
  selectedId: string | null;
  now: number;
  onSelect: (id: string) => void;
  onToggle: (id: string, open?: boolean) => void;
}

/**
 * The call tree with its timing waterfall, virtualised: only the rows in view (plus a margin) are in the
 * DOM, so a trace of thousands of calls scrolls and navigates as fast as a small one. Keyboard: up/down
 * move, right opens or goes to the first child, left closes or goes to the parent, enter toggles,
 * home/end jump.
 */
export function TraceTree({ tree, rows, expanded, selectedId, now, onSelect, onToggle }: TreeProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  const rh = DEFAULTS.rowHeight;

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    setHeight(el.clientHeight);
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const selectedIndex = selectedId === null ? -1 : rows.findIndex((n) => n.call.id === selectedId);
  useEffect(() => {
    const el = scroller.current;
    if (!el || selectedIndex < 0) return;
    const top = selectedIndex * rh;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rh > el.scrollTop + el.clientHeight) el.scrollTop = top + rh - el.clientHeight;
  }, [selectedIndex, rh]);

  const onKeyDown = (e: KeyboardEvent) => {
    const node = rows[selectedIndex];
    const go = (i: number) => {
      const target = rows[Math.max(0, Math.min(rows.length - 1, i))];
      if (target) onSelect(target.call.id);
    };
    const hasChildren = (node?.children.length ?? 0) > 0;
    const isOpen = node !== undefined && expanded.has(node.call.id);
    switch (e.key) {
      case 'ArrowDown':
        go(selectedIndex + 1);
        break;
      case 'ArrowUp':
        go(selectedIndex < 0 ? 0 : selectedIndex - 1);
        break;
      case 'Home':
        go(0);
        break;
      case 'End':
        go(rows.length - 1);
        break;
      case 'ArrowRight':
        if (node && hasChildren && !isOpen) onToggle(node.call.id, true);
        else if (node && hasChildren) go(selectedIndex + 1);
        break;
      case 'ArrowLeft':
        if (node && hasChildren && isOpen) onToggle(node.call.id, false);
        else if (node?.parent) onSelect(node.parent.call.id);
        break;
      case 'Enter':
        if (node && hasChildren) onToggle(node.call.id);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const first = Math.max(0, Math.floor(scrollTop / rh) - DEFAULTS.overscan);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / rh) + DEFAULTS.overscan);
  const start = tree.startMs ?? 0;
  const hasRunning = rows.some((n) => n.call.status === 'running');
  const end = Math.max(tree.endMs ?? start, hasRunning ? now : 0);

  return (
    <div className="trace-tree">
      <div className="tree-header">
        <div className="tree-col-name">Call</div>
        <div className="tree-col-timeline">
          {(end - start >= 1 ? [0, 0.25, 0.5, 0.75, 1] : [0]).map((f) => (
            <span key={f} className="tick" style={{ left: `${f * 100}%` }}>
              {formatDuration((end - start) * f)}
            </span>
          ))}
        </div>
        <div className="tree-col-duration">Duration</div>
      </div>
      <div
        ref={scroller}
        className="tree-scroller"
        tabIndex={0}
        role="tree"
        aria-label="Call tree"
        aria-activedescendant={selectedId ? `row-${selectedId}` : undefined}
        onKeyDown={onKeyDown}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        data-testid="trace-tree"
      >
        <div className="tree-body" style={{ height: rows.length * rh }}>
          {rows.slice(first, last).map((node, i) => (
            <TreeRow
              key={node.call.id}
              node={node}
              top={(first + i) * rh}
              open={expanded.has(node.call.id)}
              selected={node.call.id === selectedId}
              bar={waterfallBar(node, start, end, now)}
              now={now}
              onSelect={onSelect}
              onToggle={onToggle}
            />
          ))}
        </div>
      </div>
    </div>
  );
}

interface RowProps {
  node: CallNode;
  top: number;
  open: boolean;
  selected: boolean;
  bar: { left: number; width: number } | null;
  now: number;
  onSelect: (id: string) => void;
  onToggle: (id: string, open?: boolean) => void;
}

function TreeRow({ node, top, open, selected, bar, now, onSelect, onToggle }: RowProps) {
  const { call } = node;
  const running = call.status === 'running';
  const duration =
    node.startMs === null
      ? null
      : node.endMs !== null
        ? node.endMs - node.startMs
        : running
          ? now - node.startMs
          : null;
  return (
    <div
      id={`row-${call.id}`}
      className={`tree-row${selected ? ' selected' : ''}`}
      style={{ top, height: DEFAULTS.rowHeight }}
      role="treeitem"
      aria-selected={selected}
      aria-expanded={node.children.length > 0 ? open : undefined}
      aria-level={node.depth + 1}
      data-call-id={call.id}
      data-status={call.status}
      onClick={() => onSelect(call.id)}
    >
      <div className="tree-col-name" style={{ paddingLeft: 6 + node.depth * DEFAULTS.indent }}>
        {node.children.length > 0 ? (
          <button
            type="button"
            className="tree-toggle"
            tabIndex={-1}
            aria-label={open ? 'Collapse' : 'Expand'}
            onClick={(e) => {
              e.stopPropagation();
              onToggle(call.id);
              // Keep the keyboard on the tree, not on this button (Enter would toggle twice).
              e.currentTarget.closest<HTMLElement>('[role=tree]')?.focus();
            }}
          >
            {open ? <ChevronDown size={12} /> : <ChevronRight size={12} />}
          </button>
        ) : (
          <span className="tree-toggle-space" />
        )}
        <span className={`status-dot dot-${call.status}`} />
        <span className="tree-label" title={call.op_name ?? ''}>
          {callLabel(call)}
        </span>
        {node.children.length > 0 && !open && <span className="child-count">{node.children.length}</span>}
        {running && <span className="live-tag">live</span>}
      </div>
      <div className="tree-col-timeline">
        {bar && (
          <div
            className={`bar bar-${call.status}`}
            style={{ left: `${bar.left * 100}%`, width: `max(2px, ${bar.width * 100}%)` }}
          />
        )}
      </div>
      <div className={`tree-col-duration${running ? ' live' : ''}`}>{formatDuration(duration)}</div>
    </div>
  );
}
