import type { FlushReport } from '../pipeline/flush-report.js';
import type { FinishOptions, PipelineStats } from '../pipeline/call-pipeline.js';
import { ClientCore } from './client-core.js';
import type { ResolvedClientOptions } from './client-options.js';
import { deactivateClient, releaseClient } from './client-registry.js';
import { TraceReader, type FeedbackCreated, type Feedback, type GetCallsOptions } from './trace-reader.js';
import type { CallRecord } from '../shared/call-types.js';

export interface FlushOptions {
  /** Longest wait; the report says `timedOut` if it passed. @default 60_000 */
  timeoutMs?: number;
}

/** Set by the class's static block: reads a client's private core (see coreOf). */
let coreAccess: (client: WeftClient) => ClientCore;

/**
 * What `init()` returns. Recording goes through its core (see ClientCore), which `op` finds through
 * the client registry; this object only delegates. It never throws into user code because of tracing.
 */
export class WeftClient {
  readonly projectId: string;
  readonly serverUrl: string;
  readonly #core: ClientCore;
  readonly #reader: TraceReader;

  constructor(options: ResolvedClientOptions) {
    this.projectId = options.project;
    this.serverUrl = options.serverUrl;
    this.#core = new ClientCore(options);
    this.#reader = new TraceReader(options.project, options.serverUrl, options.apiKey);
  }

  static {
    coreAccess = (client) => client.#core;
  }

  /** Calls of this project matching a query, streamed from the server (an async iterable). */
  getCalls(options: GetCallsOptions = {}): AsyncIterable<CallRecord> {
    return this.#reader.getCalls(options);
  }

  /** One call by id, or null. */
  getCall(id: string): Promise<CallRecord | null> {
    return this.#reader.getCall(id);
  }

  /** Deletes calls and all their descendants; resolves with the number deleted. */
  deleteCalls(ids: string[]): Promise<number> {
    return this.#reader.deleteCalls(ids);
  }

  /** Renames a call (`displayName: ''` removes the name). */
  updateCall(id: string, update: { displayName: string }): Promise<void> {
    return this.#reader.updateCall(id, update);
  }

  /** Adds a note, reaction or score to a call. */
  addFeedback(callId: string, feedback: Feedback): Promise<FeedbackCreated> {
    return this.#reader.addFeedback(callId, feedback);
  }

  /**
   * Makes finished calls visible: sends everything queued now and resolves once the server accepted
   * it, or, while the server is unreachable, once it is safely in the disk spool (the report's
   * `spooled`). Never waits on running calls, never splits a start from its end.
   */
  flush(options: FlushOptions = {}): Promise<FlushReport> {
    return this.#core.flush(options.timeoutMs);
  }

  /**
   * The process is done: waits (bounded) for running calls to end so they still pair, sends what is
   * left as separate start/end writes, drains, and stops the batching loop. The client stays usable.
   */
  finish(options: FinishOptions = {}): Promise<FlushReport> {
    return this.#core.finish(options);
  }

  /**
   * The client is done: finish(), then ends its registration. `op` stops recording to it (calls run
   * untraced until the next `init()` if it was the active client) and the process exit hooks let go
   * of it. Resolves with finish()'s report.
   */
  async close(options: FinishOptions = {}): Promise<FlushReport> {
    deactivateClient(this.#core);
    const report = await this.#core.finish(options);
    releaseClient(this.#core); // only now: process.exit() during the finish still spools what is left
    return report;
  }

  /** Counters of the write pipeline (sent, failed, dropped, requests, bytes, queue and buffer sizes). */
  stats(): PipelineStats {
    return this.#core.stats();
  }

  isIdle(): boolean {
    return this.#core.isIdle();
  }
}

/** A client's core, for the SDK's own modules (`init`) and benchmarks; the package does not export it. */
export function coreOf(client: WeftClient): ClientCore {
  return coreAccess(client);
}
