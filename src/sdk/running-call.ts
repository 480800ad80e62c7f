import type { ModelUsage } from '../shared/call-types.js';

/** What user code may see of the call it runs in (`getCurrentCall()`). */
export interface CallHandle {
  readonly id: string;
  readonly traceId: string;
  readonly parentId: string | null;
  readonly opName: string;
  /** ISO-8601 UTC with microseconds. */
  readonly startedAt: string;
  /** Adds token usage for a model to this call's summary (summed up the tree). */
  addUsage(model: string, usage: ModelUsage): void;
}

/** A call between its start and its end, with the summary its subtree accumulates. */
export class RunningCall implements CallHandle {
  readonly statusCounts = { success: 0, error: 0 };
  usage: Record<string, ModelUsage> | undefined;
  ended = false;

  constructor(
    readonly id: string,
    readonly traceId: string,
    readonly parent: RunningCall | undefined,
    readonly opName: string,
    readonly startedAt: string,
    readonly threadId: string | undefined,
    readonly turnId: string | undefined,
  ) {}

  get parentId(): string | null {
    return this.parent ? this.parent.id : null;
  }

  addUsage(model: string, usage: ModelUsage): void {
    if (typeof model !== 'string' || usage === null || typeof usage !== 'object') return;
    this.usage ??= {};
    const into = (this.usage[model] ??= {});
    for (const key of Object.keys(usage)) {
      const v = usage[key];
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      const prev = into[key];
      into[key] = (typeof prev === 'number' ? prev : 0) + v;
    }
  }

  /** Folds an ended child's subtree counts and usage into this call. */
  absorbChild(child: RunningCall): void {
    this.statusCounts.success += child.statusCounts.success;
    this.statusCounts.error += child.statusCounts.error;
    if (child.usage) for (const model of Object.keys(child.usage)) this.addUsage(model, child.usage[model]!);
  }
}
