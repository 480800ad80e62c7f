import type { CallNode } from './call-tree.js';
import { tokenUsage, type TokenUsage } from './call-format.js';

/**
 * Token usage and cost of a whole trace: the sum over the calls that report usage and have no
 * descendant that does. A call traced by weft's SDK already includes its children's usage in its
 * own (so only the innermost reports count, once each), while spans ingested over OTLP each report
 * only their own LLM call (so the root, which reports none, does not hide them). Null when no call
 * reports usage.
 */
export function traceUsage(roots: readonly CallNode[]): TokenUsage | null {
  const total: TokenUsage = { total: 0, prompt: 0, completion: 0, costUsd: null, models: [] };
  let found = false;
  const add = (u: TokenUsage) => {
    found = true;
    total.total += u.total;
    total.prompt += u.prompt;
    total.completion += u.completion;
    if (u.costUsd !== null) total.costUsd = (total.costUsd ?? 0) + u.costUsd;
    for (const m of u.models) if (!total.models.includes(m)) total.models.push(m);
  };
  for (const root of roots) visit(root);
  return found ? total : null;

  /** Post-order walk of one tree, iterative (traces can nest thousands deep). */
  function visit(start: CallNode): void {
    const frames: { node: CallNode; next: number; below: boolean }[] = [
      { node: start, next: 0, below: false },
    ];
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const child = frame.node.children[frame.next++];
      if (child) {
        frames.push({ node: child, next: 0, below: false });
        continue;
      }
      frames.pop();
      let reported = frame.below;
      if (!reported) {
        const own = tokenUsage(frame.node.call.summary);
        if (own) {
          add(own);
          reported = true;
        }
      }
      const parent = frames[frames.length - 1];
      if (parent && reported) parent.below = true;
    }
  }
}
