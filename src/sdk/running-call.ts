import type { StartHalf, StartState } from '../pipeline/call-halves.js';
import type { JsonObject, ModelUsage } from '../shared/call-types.js';
import type { TraceFrame } from './call-context.js';
import { setOwn } from '../shared/set-own.js';
import { keepShape } from '../shared/v8-fast-paths.js';

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

/**
 * A call between its start and its end, with the summary its subtree accumulates. It is also
 * - the trace frame its body runs in (it carries the attributes and thread in scope), and
 * - the call's start half in the pairing buffer (its serialized start, `openJson`, and the buffer's
 *   links), so a call's end pairs with its start without a lookup,
 * so that a traced call allocates one object for all three.
 */
export class RunningCall implements CallHandle, StartHalf, TraceFrame {
  /** Calls in this call's subtree (itself included) that ended without / with an exception. */
  successCount = 0;
  errorCount = 0;
  /** As a trace frame: the call running in it is this one. */
  readonly call: RunningCall = this;
  usage: Record<string, ModelUsage> | undefined = undefined;
  ended = false;
  openJson = '';
  state: StartState = 'new';
  prev: StartHalf | undefined = undefined;
  next: StartHalf | undefined = undefined;

  constructor(
    readonly id: string,
    readonly traceId: string,
    readonly parent: RunningCall | undefined,
    readonly opName: string,
    readonly startedAt: string,
    readonly startedUs: number,
    readonly threadId: string | undefined,
    readonly turnId: string | undefined,
    /** Attributes from enclosing `withAttributes`, inherited by the calls started inside. */
    readonly attributes: JsonObject | undefined,
  ) {}

  get parentId(): string | null {
    return this.parent ? this.parent.id : null;
  }

  /**
   * What user code sees when it logs or serializes the handle: its public fields, not the pipeline's
   * (serialized start, list links that point at other calls, and itself as a frame).
   */
  toJSON(): Pick<CallHandle, 'id' | 'traceId' | 'parentId' | 'opName' | 'startedAt'> {
    return {
      id: this.id,
      traceId: this.traceId,
      parentId: this.parentId,
      opName: this.opName,
      startedAt: this.startedAt,
    };
  }

  addUsage(model: string, usage: ModelUsage): void {
    if (typeof model !== 'string' || usage === null || typeof usage !== 'object') return;
    this.usage ??= {};
    // Own properties only: a model or counter named like an Object.prototype member (`__proto__`,
    // `constructor`: a response's text) is a key, never the prototype or the Object function.
    let into = hasOwn(this.usage, model) ? this.usage[model]! : undefined;
    if (into === undefined) setOwn(this.usage, model, (into = {}));
    for (const key of Object.keys(usage)) {
      const v = usage[key];
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      const prev = hasOwn(into, key) ? into[key] : undefined;
      setOwn(into, key, (typeof prev === 'number' ? prev : 0) + v);
    }
  }

  /** Folds an ended child's subtree counts and usage into this call. */
  absorbChild(child: RunningCall): void {
    this.successCount += child.successCount;
    this.errorCount += child.errorCount;
    if (child.usage) for (const model of Object.keys(child.usage)) this.addUsage(model, child.usage[model]!);
  }
}

// A root call's fields as real ones hold them (the start time a double), so that V8 keeps their map
// across full GCs (see keepShape).
keepShape(new RunningCall('', '', undefined, '', '', Date.now() * 1000, undefined, undefined, undefined));

const hasOwn = (o: object, key: string): boolean => Object.hasOwn(o, key);
