import type { FlushReport } from '../pipeline/flush-report.js';
import { CallPipeline, type FinishOptions, type PipelineStats } from '../pipeline/call-pipeline.js';
import { RateLimitedLogger } from '../pipeline/rate-limited-logger.js';
import { CallRecorder } from './call-recorder.js';
import type { ResolvedClientOptions } from './client-options.js';
import { TraceReader, type FeedbackCreated, type Feedback, type GetCallsOptions } from './trace-reader.js';
import type { CallRecord } from '../shared/call-types.js';

export interface FlushOptions {
  /** Longest wait; the report says `timedOut` if it passed. @default 60_000 */
  timeoutMs?: number;
}

/**
 * What `init()` returns. It records through a CallRecorder into the write pipeline and delegates
 * flush/finish to it; it never throws into user code because of tracing.
 */
export class WeftClient {
  readonly projectId: string;
  readonly serverUrl: string;
  readonly maxIteratorItems: number;
  /** @internal used by `op` */
  readonly recorder: CallRecorder;
  private readonly pipeline: CallPipeline;
  private readonly log: RateLimitedLogger;
  private readonly reader: TraceReader;

  constructor(readonly options: ResolvedClientOptions) {
    this.projectId = options.project;
    this.serverUrl = options.serverUrl;
    this.maxIteratorItems = options.maxIteratorItems;
    this.log = new RateLimitedLogger(options.logger);
    this.pipeline = new CallPipeline({ ...options, projectId: options.project });
    this.recorder = new CallRecorder(options.project, this.pipeline, options.serialize, this.log);
    this.reader = new TraceReader(options.project, options.serverUrl, options.apiKey);
  }

  /** Calls of this project matching a query, streamed from the server (an async iterable). */
  getCalls(options: GetCallsOptions = {}): AsyncIterable<CallRecord> {
    return this.reader.getCalls(options);
  }

  /** One call by id, or null. */
  getCall(id: string): Promise<CallRecord | null> {
    return this.reader.getCall(id);
  }

  /** Deletes calls and all their descendants; resolves with the number deleted. */
  deleteCalls(ids: string[]): Promise<number> {
    return this.reader.deleteCalls(ids);
  }

  /** Renames a call (`displayName: ''` removes the name). */
  updateCall(id: string, update: { displayName: string }): Promise<void> {
    return this.reader.updateCall(id, update);
  }

  /** Adds a note, reaction or score to a call. */
  addFeedback(callId: string, feedback: Feedback): Promise<FeedbackCreated> {
    return this.reader.addFeedback(callId, feedback);
  }

  /**
   * Makes finished calls visible: sends everything queued now and resolves once the server accepted
   * it (or it was given up on). Never waits on running calls, never splits a start from its end.
   */
  async flush(options: FlushOptions = {}): Promise<FlushReport> {
    try {
      return await this.pipeline.flush(options.timeoutMs);
    } catch (err) {
      this.reportInternalError(err);
      return { sent: 0, failed: 0, pendingCalls: 0, spooled: 0, timedOut: false };
    }
  }

  /**
   * The process is done: waits (bounded) for running calls to end so they still pair, sends what is
   * left as separate start/end writes, drains, and stops the worker. The client stays usable.
   */
  async finish(options: FinishOptions = {}): Promise<FlushReport> {
    try {
      return await this.pipeline.finish(options);
    } catch (err) {
      this.reportInternalError(err);
      return { sent: 0, failed: 0, pendingCalls: 0, spooled: 0, timedOut: false };
    }
  }

  /**
   * @internal The beforeExit hook: sends what is left without waiting for pairs and without keeping
   * the process alive by itself (its requests do, while they run).
   */
  finishOnExit(): void {
    this.pipeline
      .finish({ pairingTimeoutMs: 0 }, false)
      .catch((err: unknown) => this.reportInternalError(err));
  }

  /** Counters of the write pipeline (sent, failed, dropped, requests, bytes, queue and buffer sizes). */
  stats(): PipelineStats {
    return this.pipeline.stats();
  }

  isIdle(): boolean {
    return this.pipeline.isIdle();
  }

  /** @internal Sends what earlier processes left in the spool for this project and server. */
  recover(): boolean {
    return this.pipeline.recover();
  }

  /** @internal process.exit(): writes what is in memory to the spool, synchronously. */
  spillOnExit(): number {
    return this.pipeline.spillOnExit();
  }

  /** @internal a tracing bug or hostile value must never reach user code. */
  reportInternalError(err: unknown): void {
    this.log.warn('internal', `internal tracing error (the traced function ran normally): ${String(err)}`);
  }
}
