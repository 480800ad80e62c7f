import type { JsonObject } from '../shared/call-types.js';
import { microsToIso, nowMicros } from '../shared/time.js';
import type { CallPipeline } from '../pipeline/call-pipeline.js';
import type { RateLimitedLogger } from '../pipeline/rate-limited-logger.js';
import type { TraceFrame } from './call-context.js';
import { RunningCall } from './running-call.js';
import type { ParamNames } from './param-names.js';
import { inputsJsonText, toJsonText } from './json-text.js';
import { usageJsonText } from './usage-json-text.js';
import { detectUsage } from './reported-usage.js';
import { ArrayReads } from './array-reads.js';
import { toJsonSafe, type SerializeLimits } from './serialize.js';
import { uuidv7 } from './uuid-v7.js';
import {
  endedAtOutputExceptionMembers,
  idTraceIdParentIdMembers,
  opNameMembers,
  projectIdOpen,
  startedAtAttributesInputsMembers,
  summaryMemberClose,
} from '../shared/record-writer.js';

/** What an op knows about itself, fixed when `op()` wraps the function. */
export interface OpMeta {
  name: string;
  eager: boolean;
  params: ParamNames;
  /**
   * `"name":` for each parameter, when the inputs can be written straight from the arguments (no
   * inputs hook, no rest parameter, unique names); undefined otherwise.
   */
  inputKeys: readonly string[] | undefined;
  /** `opNameMembers(name, displayName)` when the display name is fixed (not a function); else undefined. */
  fixedOpNameMembers: string | undefined;
  callDisplayName: string | ((inputs: Record<string, unknown>) => string) | undefined;
  postprocessInputs: ((inputs: Record<string, unknown>) => Record<string, unknown>) | undefined;
  postprocessOutput: ((output: unknown) => unknown) | undefined;
  /** The caller reports the call's usage itself (client wrappers): the output is not scanned for it. */
  ownUsage?: boolean;
}

/** An end `endLater` left for a later turn: its output's text, or the output weft owns. */
interface LaterEnd {
  meta: OpMeta;
  call: RunningCall;
  output: unknown;
  outputJson: string | undefined;
  endedUs: number;
}

/** Ends waiting for a later turn past this many are written at once (a burst that never yields). */
const MAX_LATER_ENDS = 64;

/**
 * Turns a call's start and end into the two serialized halves the pipeline pairs. Each value is made
 * JSON-safe and stringified exactly once, here; the records themselves are written as text by the
 * record writer (src/shared/record-writer.ts), the hot path of every call.
 */
export class CallRecorder {
  /** `{"project_id":"…"` */
  private readonly projectIdOpen: string;
  private attrs: JsonObject | undefined;
  private attrsJson = '{}';
  private laterEnds: LaterEnd[] = [];
  private laterTurn: NodeJS.Immediate | undefined;

  constructor(
    projectId: string,
    private readonly pipeline: CallPipeline,
    private readonly limits: SerializeLimits,
    private readonly log: RateLimitedLogger,
  ) {
    this.projectIdOpen = projectIdOpen(projectId);
  }

  begin(meta: OpMeta, args: readonly unknown[], outer: TraceFrame | undefined): RunningCall {
    const startedUs = nowMicros();
    const reads = new ArrayReads();
    let inputsJson = meta.inputKeys && inputsJsonText(meta.inputKeys, args, this.limits, reads);
    let displayName = meta.callDisplayName as string | undefined;
    if (inputsJson === undefined) {
      let inputs = keyInputs(meta.params, args);
      if (meta.postprocessInputs)
        inputs = this.guard('postprocessInputs', () => meta.postprocessInputs!(inputs), inputs);
      const named = meta.callDisplayName;
      if (typeof named === 'function')
        displayName = this.guard('callDisplayName', () => String(named(inputs)), undefined);
      // A postprocessInputs hook read the arrays itself; only the raw arguments may reuse the reads.
      inputsJson = toJsonText(inputs, this.limits, meta.postprocessInputs ? undefined : reads);
    }
    return this.open(meta, outer, startedUs, inputsJson, displayName);
  }

  /**
   * A call whose inputs are an object given as is (`startCall`, client wrappers), not arguments keyed
   * by parameter name: no hook runs, and `meta` can be shared by every call of the op name.
   */
  beginWithInputs(meta: OpMeta, inputs: Record<string, unknown>, outer: TraceFrame | undefined): RunningCall {
    const startedUs = nowMicros();
    const inputsJson = toJsonText(inputs, this.limits);
    return this.open(meta, outer, startedUs, inputsJson, meta.callDisplayName as string | undefined);
  }

  /** The running call, with its serialized start half, handed to the pipeline. */
  private open(
    meta: OpMeta,
    outer: TraceFrame | undefined,
    startedUs: number,
    inputsJson: string,
    displayName: string | undefined,
  ): RunningCall {
    const parent = outer?.call;
    const id = uuidv7(Math.floor(startedUs / 1000));
    const threadId = outer?.threadId;
    const turnId = threadId === undefined ? undefined : parent?.threadId === threadId ? parent.turnId : id;
    const startedAt = microsToIso(startedUs);
    // A root's trace id is its own id: unique, time-ordered, and one id less to make per trace.
    const traceId = parent ? parent.traceId : id;
    const attributes = outer?.attributes;
    const call = new RunningCall(
      id,
      traceId,
      parent,
      meta.name,
      startedAt,
      startedUs,
      threadId,
      turnId,
      attributes,
    );
    const opMembers =
      threadId === undefined && meta.fixedOpNameMembers !== undefined
        ? meta.fixedOpNameMembers
        : opNameMembers(meta.name, displayName, threadId, turnId);
    call.openJson =
      this.projectIdOpen +
      idTraceIdParentIdMembers(id, traceId, parent?.id) +
      opMembers +
      startedAtAttributesInputsMembers(
        startedAt,
        attributes ? this.attributesJson(attributes) : undefined,
        inputsJson,
      );
    this.pipeline.start(call, meta.eager);
    return call;
  }

  end(meta: OpMeta, call: RunningCall, output: unknown, error?: { thrown: unknown }): void {
    if (!this.close(meta, call, output, error)) return;
    const outputJson = error ? 'null' : this.outputText(meta, output);
    this.writeEnd(call, outputJson, error ? describeException(error.thrown) : undefined, nowMicros());
  }

  /**
   * Ends a call successfully, as `end` does on the caller's path (its time, its counts and usage in
   * the parent, and the output's text, taken now), but writes its end record on a later turn of the
   * event loop, off the caller's path: a client wrapper's LLM call would otherwise pay it between the
   * response and the caller's next line. An output that is weft's own and never reaches user code
   * (`ownOutput`: a stream's accumulated message) is serialized later too. flush(), finish() and exit
   * write waiting ends first (`writeLaterEnds`); at most MAX_LATER_ENDS wait.
   */
  endLater(meta: OpMeta, call: RunningCall, output: unknown, ownOutput: boolean): void {
    if (!this.close(meta, call, output, undefined)) return;
    const endedUs = nowMicros();
    this.laterEnds.push(
      ownOutput
        ? { meta, call, output, outputJson: undefined, endedUs }
        : { meta, call, output: undefined, outputJson: this.outputText(meta, output), endedUs },
    );
    if (this.laterEnds.length >= MAX_LATER_ENDS) this.writeLaterEnds();
    else this.laterTurn ??= setImmediate(() => this.writeLaterEnds());
  }

  /** Writes the end records `endLater` left for later, now. Never throws. */
  writeLaterEnds(): void {
    if (this.laterTurn) clearImmediate(this.laterTurn);
    this.laterTurn = undefined;
    const ends = this.laterEnds;
    if (ends.length === 0) return;
    this.laterEnds = [];
    for (const e of ends) {
      try {
        this.writeEnd(e.call, e.outputJson ?? this.outputText(e.meta, e.output), undefined, e.endedUs);
      } catch (err) {
        this.log.warn(
          'internal',
          `internal tracing error (the traced function ran normally): ${String(err)}`,
        );
      }
    }
  }

  /** Some end record waits for a later turn (see endLater). */
  hasLaterEnds(): boolean {
    return this.laterEnds.length > 0;
  }

  /** An end's bookkeeping, on the caller's path; false if the call had ended already. */
  private close(
    meta: OpMeta,
    call: RunningCall,
    output: unknown,
    error: { thrown: unknown } | undefined,
  ): boolean {
    if (call.ended) return false;
    call.ended = true;
    if (error) call.errorCount++;
    else call.successCount++;
    if (!error && meta.ownUsage !== true) detectUsage(output, call);
    call.parent?.absorbChild(call);
    return true;
  }

  /** The recorded output's JSON text (after the postprocessOutput hook). */
  private outputText(meta: OpMeta, output: unknown): string {
    const post = meta.postprocessOutput;
    return toJsonText(
      post ? this.guard('postprocessOutput', () => post(output), output) : output,
      this.limits,
    );
  }

  /** The end half (output, exception, summary) of an ended call, handed to the pipeline. */
  private writeEnd(
    call: RunningCall,
    outputJson: string,
    exception: string | undefined,
    endedUs: number,
  ): void {
    const summary = summaryMemberClose(
      call.successCount,
      call.errorCount,
      call.usage ? usageJsonText(call.usage, this.limits) : undefined,
    );
    this.pipeline.endOf(
      call,
      endedAtOutputExceptionMembers(microsToIso(endedUs), outputJson, exception) + summary,
      endedUs / 1000,
    );
  }

  /** Attributes of a `withAttributes` scope are shared by its calls: serialize them once. */
  private attributesJson(attributes: JsonObject | undefined): string {
    if (!attributes) return '{}';
    if (attributes !== this.attrs) {
      this.attrs = attributes;
      this.attrsJson = toJsonText(attributes, this.limits);
    }
    return this.attrsJson;
  }

  private guard<T>(what: string, fn: () => T, fallback: T): T {
    try {
      return fn();
    } catch (err) {
      this.log.warn(`hook-${what}`, `${what} threw (${String(err)}); recorded the value unchanged`);
      return fallback;
    }
  }
}

/** The recorded `exception` string: the stack when there is one (it starts with name and message). */
export function describeException(thrown: unknown): string {
  try {
    if (thrown instanceof Error) {
      const head = `${thrown.name}: ${thrown.message}`;
      return typeof thrown.stack === 'string' && thrown.stack.includes(thrown.message) ? thrown.stack : head;
    }
    return typeof thrown === 'string' ? thrown : JSON.stringify(toJsonSafe(thrown));
  } catch {
    return 'Unserializable exception';
  }
}

/** Arguments keyed by parameter name; a rest parameter gathers the remaining arguments. */
function keyInputs(params: ParamNames, args: readonly unknown[]): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  const { names, rest } = params;
  const fixed = rest ? names.length - 1 : args.length;
  for (let i = 0; i < args.length && i < fixed; i++) inputs[names[i] ?? `arg${i}`] = args[i];
  if (rest && args.length > fixed) inputs[names[fixed]!] = args.slice(fixed);
  return inputs;
}
