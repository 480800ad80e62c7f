import { currentFrame, traceContext, type TraceFrame } from './call-context.js';
import type { OpMeta } from './call-recorder.js';
import { opNameMembers } from '../shared/record-writer.js';
import { flatten } from '../shared/v8-fast-paths.js';
import { activeClient } from './client-registry.js';
import type { ClientCore } from './client-core.js';
import type { CallHandle, RunningCall } from './running-call.js';

/** What `startCall` records for a call started imperatively (no function to wrap). */
export interface StartCallOptions {
  /** The op name recorded on the call. */
  opName: string;
  /** Recorded as the call's inputs, as given (made JSON-safe like an op's inputs). */
  inputs?: Record<string, unknown>;
  displayName?: string;
  /** Send the start at once, so the call shows as running. @default false */
  eagerCallStart?: boolean;
  /** The parent call. @default the call running in this async context, if any */
  parent?: ManualCall;
  /** The caller adds the usage (`handle.addUsage`); the output is not scanned for `{ model, usage }`. */
  ownUsage?: boolean;
}

/**
 * A call started and ended by explicit method calls rather than by wrapping a function (the
 * imperative counterpart of `op`, used by EvaluationLogger). Built on the same CallRecorder as `op`,
 * so its records, pairing and summaries are those of an op call.
 *
 * It records to the client active when it was started (a child, to its parent's client); with no
 * client it records nothing but behaves the same. Its methods never throw because of tracing.
 */
export class ManualCall {
  private constructor(
    private readonly client: ClientCore | undefined,
    private readonly meta: OpMeta | undefined,
    private readonly call: RunningCall | undefined,
    /** The frame that calls started inside `run()` see; undefined when nothing is recorded. */
    private readonly frame: TraceFrame | undefined,
  ) {}

  private done = false;

  /** Starts a call now. */
  static start(options: StartCallOptions): ManualCall {
    const outer = options.parent ? options.parent.frame : currentFrame();
    const client = options.parent ? options.parent.client : activeClient();
    if (!client || (options.parent && !options.parent.call)) return ManualCall.noop();
    try {
      const meta = manualMeta(options);
      const call = client.recorder.beginWithInputs(meta, options.inputs ?? {}, outer);
      const frame: TraceFrame = call; // a running call is the frame its body runs in
      return new ManualCall(client, meta, call, frame);
    } catch (err) {
      client.reportInternalError(err);
      return ManualCall.noop();
    }
  }

  /** A call that records nothing (nor do its children). */
  static noop(): ManualCall {
    return new ManualCall(undefined, undefined, undefined, undefined);
  }

  /** The recorded call (id, trace id...), or undefined when nothing is recorded. */
  get handle(): CallHandle | undefined {
    return this.call;
  }

  /** True once `end` or `fail` was called. */
  get ended(): boolean {
    return this.done;
  }

  /** Runs `fn` with this call as the current call: ops called inside (across awaits) are its children. */
  run<T>(fn: () => T): T {
    return this.frame ? traceContext.run(this.frame, fn) : fn();
  }

  /** Ends the call successfully with `output`. Later ends are ignored. */
  end(output?: unknown): void {
    this.finish(output, undefined, undefined);
  }

  /**
   * Ends the call successfully with `output`, its end record written on a later turn
   * (CallRecorder.endLater). With `ownOutput`, the output is weft's own and no user code ever sees it
   * (a stream's accumulated message), so it is serialized then too; otherwise it is serialized now.
   */
  endLater(output: unknown, ownOutput: boolean): void {
    this.finish(output, undefined, ownOutput);
  }

  /** Ends the call as failed with what was thrown. Later ends are ignored. */
  fail(thrown: unknown): void {
    this.finish(undefined, { thrown }, undefined);
  }

  /** `later`: written on a later turn, the output weft's own (true) or not (false); undefined: now. */
  private finish(output: unknown, error: { thrown: unknown } | undefined, later: boolean | undefined): void {
    if (this.done) return;
    this.done = true;
    if (!this.client || !this.meta || !this.call) return;
    try {
      if (later === undefined) this.client.recorder.end(this.meta, this.call, output, error);
      else this.client.recorder.endLater(this.meta, this.call, output, later);
    } catch (err) {
      this.client.reportInternalError(err);
    }
  }
}

/**
 * The OpMeta of manual calls: one per op name, eagerness and usage ownership when there is no display
 * name (client wrappers start a few op names, on every call), else made for the call.
 */
const sharedMetas = new Map<string, (OpMeta | undefined)[]>();
const MAX_SHARED_METAS = 1000;

function manualMeta(options: StartCallOptions): OpMeta {
  const eager = options.eagerCallStart === true;
  const ownUsage = options.ownUsage === true;
  const { opName, displayName } = options;
  // Keyed by the op name as given (no key text built per call), then by eagerness and usage ownership.
  const variants = displayName === undefined ? sharedMetas.get(opName) : undefined;
  const variant = (eager ? 2 : 0) + (ownUsage ? 1 : 0);
  let meta = variants?.[variant];
  if (meta === undefined) {
    meta = {
      name: opName,
      eager,
      params: { names: [], rest: false },
      inputKeys: undefined,
      fixedOpNameMembers: flatten(opNameMembers(opName, displayName, undefined, undefined)),
      callDisplayName: displayName,
      postprocessInputs: undefined,
      postprocessOutput: undefined,
      ownUsage,
    };
    if (variants) variants[variant] = meta;
    else if (displayName === undefined && sharedMetas.size < MAX_SHARED_METAS) {
      const fresh: (OpMeta | undefined)[] = [undefined, undefined, undefined, undefined];
      fresh[variant] = meta;
      sharedMetas.set(opName, fresh);
    }
  }
  return meta;
}
