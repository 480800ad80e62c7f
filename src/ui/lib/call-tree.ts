import type { CallRecord } from '../../shared/call-types.js';

/** A call in a trace tree. Times are epoch milliseconds (null when that half never arrived). */
export interface CallNode {
  call: CallRecord;
  depth: number;
  parent: CallNode | null;
  children: CallNode[];
  startMs: number | null;
  endMs: number | null;
}

/**
 * The calls of one trace as a tree: children in start order, calls whose parent is not in the trace
 * shown as roots. Rebuilt from scratch on every update (5 000 calls take a few milliseconds).
 */
export class CallTree {
  readonly roots: CallNode[];
  readonly byId: ReadonlyMap<string, CallNode>;
  /** Earliest start and latest end of the trace (epoch ms), for the waterfall's scale. */
  readonly startMs: number | null;
  readonly endMs: number | null;
  readonly size: number;

  private constructor(roots: CallNode[], byId: Map<string, CallNode>) {
    this.roots = roots;
    this.byId = byId;
    this.size = byId.size;
    let start = Infinity;
    let end = -Infinity;
    for (const node of byId.values()) {
      if (node.startMs !== null) start = Math.min(start, node.startMs);
      const last = node.endMs ?? node.startMs;
      if (last !== null) end = Math.max(end, last);
    }
    this.startMs = Number.isFinite(start) ? start : null;
    this.endMs = Number.isFinite(end) ? end : null;
  }

  static build(calls: Iterable<CallRecord>): CallTree {
    const byId = new Map<string, CallNode>();
    for (const call of calls) {
      byId.set(call.id, {
        call,
        depth: 0,
        parent: null,
        children: [],
        startMs: toMs(call.started_at),
        endMs: toMs(call.ended_at),
      });
    }
    const roots: CallNode[] = [];
    for (const node of byId.values()) {
      const parentId = node.call.parent_id;
      const parent = parentId === null || parentId === node.call.id ? undefined : byId.get(parentId);
      if (parent) {
        node.parent = parent;
        parent.children.push(node);
      } else roots.push(node);
    }
    const order = (a: CallNode, b: CallNode) =>
      (a.startMs ?? Infinity) - (b.startMs ?? Infinity) ||
      (a.call.id < b.call.id ? -1 : a.call.id > b.call.id ? 1 : 0);
    roots.sort(order);
    // Iterative depth-first pass (a 5 000-deep chain must not overflow the stack); a parent cycle is
    // impossible once the roots are found, since every node is reached at most once from them.
    const stack = [...roots];
    for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
      node.children.sort(order);
      for (const child of node.children) {
        child.depth = node.depth + 1;
        stack.push(child);
      }
    }
    return new CallTree(roots, byId);
  }

  /** The rows shown when the nodes in `expanded` are open, in display order. */
  visibleRows(expanded: ReadonlySet<string>): CallNode[] {
    const rows: CallNode[] = [];
    const stack = [...this.roots].reverse();
    for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
      rows.push(node);
      if (expanded.has(node.call.id)) {
        for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as CallNode);
      }
    }
    return rows;
  }

  /** Ids of the call's ancestors, nearest first. */
  ancestorIds(id: string): string[] {
    const ids: string[] = [];
    for (let node = this.byId.get(id)?.parent; node; node = node.parent) ids.push(node.call.id);
    return ids;
  }

  /** Ids of every call that has children (for "expand all"). */
  parentIds(): string[] {
    return [...this.byId.values()].filter((n) => n.children.length > 0).map((n) => n.call.id);
  }

  /** Calls still running. */
  runningIds(): string[] {
    return [...this.byId.values()].filter((n) => n.call.status === 'running').map((n) => n.call.id);
  }
}

/**
 * Where a call's bar sits in the waterfall, as fractions of the trace's span: `left` and `width` in
 * [0, 1]. A running call extends to `nowMs`.
 */
export function waterfallBar(
  node: CallNode,
  traceStartMs: number,
  traceEndMs: number,
  nowMs: number,
): { left: number; width: number } | null {
  if (node.startMs === null) return null;
  const end = node.endMs ?? (node.call.status === 'running' ? Math.max(nowMs, node.startMs) : node.startMs);
  const span = Math.max(traceEndMs - traceStartMs, 1);
  const left = clamp((node.startMs - traceStartMs) / span);
  const width = Math.max(clamp((end - traceStartMs) / span) - left, 0);
  return { left, width };
}

function clamp(x: number): number {
  return Math.min(Math.max(x, 0), 1);
}

function toMs(iso: string | null): number | null {
  if (iso === null) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}
