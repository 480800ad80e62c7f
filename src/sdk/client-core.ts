import type { FlushReport } from '../pipeline/flush-report.js';
import { CallPipeline, type FinishOptions, type PipelineStats } from '../pipeline/call-pipeline.js';
import { RateLimitedLogger } from '../pipeline/rate-limited-logger.js';
import { CallRecorder } from './call-recorder.js';
import type { ResolvedClientOptions } from './client-options.js';

/** What flush() and finish() resolve with when something inside tracing went wrong. */
const NOTHING_FLUSHED: FlushReport = Object.freeze({
  accepted: 0,
  spooled: 0,
  undeliverable: 0,
  pendingCalls: 0,
  timedOut: false,
});

/**
 * A client's insides, kept off the public `WeftClient` type: the options (API key included), the
 * recorder `op` writes through, the write pipeline and the hooks the process listeners call. `op`,
 * the integrations and the client registry hold this, never the public object.
 */
export class ClientCore {
  readonly #options: ResolvedClientOptions;
  readonly recorder: CallRecorder;
  readonly maxIteratorItems: number;
  private readonly pipeline: CallPipeline;
  private readonly log: RateLimitedLogger;

  constructor(options: ResolvedClientOptions) {
    this.#options = options;
    this.maxIteratorItems = options.maxIteratorItems;
    this.log = new RateLimitedLogger(options.logger);
    this.pipeline = new CallPipeline({ ...options, projectId: options.project });
    this.recorder = new CallRecorder(options.project, this.pipeline, options.serialize, this.log);
  }

  /** The resolved options (not an own property: inspecting the core does not print the API key). */
  get options(): ResolvedClientOptions {
    return this.#options;
  }

  async flush(timeoutMs: number | undefined): Promise<FlushReport> {
    try {
      this.recorder.writeLaterEnds(); // calls that ended are finished calls
      return await this.pipeline.flush(timeoutMs);
    } catch (err) {
      this.reportInternalError(err);
      return { ...NOTHING_FLUSHED };
    }
  }

  async finish(options: FinishOptions = {}): Promise<FlushReport> {
    try {
      this.recorder.writeLaterEnds();
      return await this.pipeline.finish(options);
    } catch (err) {
      this.reportInternalError(err);
      return { ...NOTHING_FLUSHED };
    }
  }

  /**
   * The beforeExit hook: sends what is left without waiting for pairs and without keeping the process
   * alive by itself (its requests do, while they run).
   */
  finishOnExit(): void {
    this.recorder.writeLaterEnds();
    this.pipeline
      .finish({ pairingTimeoutMs: 0 }, false)
      .catch((err: unknown) => this.reportInternalError(err));
  }

  /** process.exit(): writes what is in memory to the spool, synchronously. */
  spillOnExit(): number {
    this.recorder.writeLaterEnds();
    return this.pipeline.spillOnExit();
  }

  /** Sends what earlier processes left in the spool for this project and server. */
  recover(): boolean {
    return this.pipeline.recover();
  }

  stats(): PipelineStats {
    return this.pipeline.stats();
  }

  isIdle(): boolean {
    return !this.recorder.hasLaterEnds() && this.pipeline.isIdle();
  }

  /** A tracing bug or hostile value must never reach user code. */
  reportInternalError(err: unknown): void {
    this.log.warn('internal', `internal tracing error (the traced function ran normally): ${String(err)}`);
  }
}
