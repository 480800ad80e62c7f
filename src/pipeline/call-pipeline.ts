import { BatchSender, type SendCounters } from './batch-sender.js';
import { BatchingLoop } from './batching-loop.js';
import type { EndHalf, StartHalf } from './call-halves.js';
import { HttpTransport, type TransportStats } from './http-transport.js';
import type { FlushReport } from './flush-report.js';
import { MemoryBatches } from './memory-batches.js';
import { OutageProber } from './outage-prober.js';
import { PairingBuffer, type Outgoing } from './pairing-buffer.js';
import type { PipelineOptions } from './pipeline-defaults.js';
import { nowMicros } from '../shared/time.js';
import { RateLimitedLogger, type WeftLogger } from './rate-limited-logger.js';
import { SendQueue } from './send-queue.js';
import { Spiller, type SpillCounters } from './spiller.js';
import { DeadLetter } from './spool/dead-letter.js';
import { Spool } from './spool/spool.js';
import { SpoolDrainer } from './spool-drainer.js';

export interface PipelineConfig extends PipelineOptions {
  /** `entity/project` */
  projectId: string;
  serverUrl: string;
  apiKey: string | undefined;
  logger: WeftLogger;
  /** Root folder of the disk spool, or false to keep everything in memory (and drop past the bounds). */
  spoolDir: string | false;
  durability: 'memory' | 'spool';
}

export interface PipelineStats extends TransportStats, SendCounters, SpillCounters {
  /** Starts sent eagerly because the pairing buffer was full. */
  overflowStarts: number;
  /** Starts sent because their call ran longer than `autoEagerAfterMs`. */
  autoEagerStarts: number;
  queuedItems: number;
  queuedBytes: number;
  inFlightItems: number;
  /** Records of this process waiting in the disk spool. */
  spooledItems: number;
  spoolBytes: number;
  pendingCalls: number;
  earlyEnds: number;
}

export interface FinishOptions {
  /**
   * Longest wait for running calls to end so that they still pair.
   * @default 300_000
   */
  pairingTimeoutMs?: number;
  /**
   * Longest wait for the queue to drain once pairing is over.
   * @default 60_000
   */
  timeoutMs?: number;
}

export const FINISH_DEFAULTS = { pairingTimeoutMs: 300_000, timeoutMs: 60_000 } as const;
export const FLUSH_DEFAULTS = { timeoutMs: 60_000 } as const;

/**
 * The write pipeline: pairing buffer -> bounded send queue (or disk spool) -> one batching loop ->
 * sender -> transport. Read top-down from flush(): BatchingLoop.flush raises the flush tracker's
 * watermark and pumps; MemoryBatches and SpoolDrainer send through BatchSender, which posts through
 * HttpTransport and hands what the server could not take to the Spiller (spool, or counted failed);
 * OutageProber owns the outage. Each part mutates only its own counters; this class adds them up.
 * Its public methods never throw into user code.
 */
export class CallPipeline {
  private readonly pairing: PairingBuffer;
  private readonly queue: SendQueue;
  private readonly transport: HttpTransport;
  private readonly sender: BatchSender;
  private readonly spiller: Spiller;
  private readonly drainer: SpoolDrainer;
  private readonly memory: MemoryBatches;
  private readonly loop: BatchingLoop;
  private readonly spool: Spool | undefined;
  private readonly log: RateLimitedLogger;
  private autoEagerTimer: NodeJS.Timeout | undefined;
  private finishing: Promise<FlushReport> | undefined;
  private counts = { overflowStarts: 0, autoEagerStarts: 0 };

  constructor(private readonly config: PipelineConfig) {
    this.log = new RateLimitedLogger(config.logger);
    this.pairing = new PairingBuffer(config.maxPendingCalls);
    this.queue = new SendQueue(config.maxQueueItems, config.maxQueueBytes);
    this.transport = new HttpTransport(config);
    if (config.spoolDir !== false) {
      this.spool = new Spool({
        root: config.spoolDir,
        projectId: config.projectId,
        serverUrl: config.serverUrl,
        maxBytes: config.maxSpoolBytes,
        segmentBytes: config.spoolSegmentBytes,
        fsyncIntervalMs: config.fsyncIntervalMs,
        writeAtOnce: config.durability === 'spool',
        onWriteError: (err) =>
          this.log.warn(
            'spool-write',
            `could not write to the spool (retried with the next write): ${String(err)}`,
          ),
      });
    }
    const [entity = '', project = ''] = config.projectId.split('/');
    const base = `/v2/${encodeURIComponent(entity)}/${encodeURIComponent(project)}`;
    const endpoints = {
      complete: `${base}/calls/complete`,
      start: `${base}/call/start`,
      end: `${base}/call/end`,
      halves: '/call/upsert_batch',
    };
    const deadLetter = this.spool ? new DeadLetter(this.spool.dir) : undefined;
    const outage = new OutageProber(config, this.log, this.spool?.dir ?? '');
    this.spiller = new Spiller(this.spool, outage, this.log);
    this.sender = new BatchSender(
      this.transport,
      endpoints,
      this.log,
      deadLetter,
      this.spiller,
      config.maxConcurrentRequests + 1, // the memory batches' requests and the spool's one
    );
    this.drainer = new SpoolDrainer(this.spool, this.sender, config, this.log);
    this.memory = new MemoryBatches(this.queue, this.sender, config);
    this.loop = new BatchingLoop(this.queue, this.memory, this.drainer, outage, this.spiller, config);
  }

  /**
   * Adopts what earlier processes left in the spool for this project and server and starts sending
   * it. Returns true if anything was waiting.
   */
  recover(): boolean {
    try {
      if (!this.spool?.recover()) return false;
      this.loop.resume();
      return true;
    } catch (err) {
      this.log.warn('recover', `could not read the spool: ${String(err)}`);
      return false;
    }
  }

  /** Records a call's start. Eager starts are queued at once; others wait for their end. */
  start(half: StartHalf, eager: boolean): void {
    if (!eager && this.pairing.isFull()) {
      this.counts.overflowStarts++;
      this.log.warn(
        'pairing-full',
        `pairing buffer full (${this.config.maxPendingCalls} running calls): sending starts eagerly`,
      );
    }
    const out = this.pairing.start(half, eager);
    if (out) this.enqueue(out, half.startedUs / 1000);
    else if (!this.autoEagerTimer) this.armAutoEager();
  }

  /**
   * Records a call's end, given its start half: pairs them into one complete record, or queues the
   * end alone if its start was sent. `nowMs` is the caller's reading of the clock, if it has one.
   */
  endOf(start: StartHalf, fieldsJson: string, nowMs?: number): void {
    const out = this.pairing.endOf(start, fieldsJson, this.config.projectId);
    if (out) this.enqueue(out, nowMs);
  }

  /** Records a call's end without its start half: it pairs by id. */
  end(half: EndHalf): void {
    const out = this.pairing.end(half);
    if (out) this.enqueue(out);
  }

  /** Sends what is queued now; never touches calls still running. See FlushReport for what it waits for. */
  flush(timeoutMs: number = FLUSH_DEFAULTS.timeoutMs): Promise<FlushReport> {
    return this.flushQueued(timeoutMs, true);
  }

  /**
   * Waits (bounded) for running calls to end so they pair, sends what is left as separate halves,
   * drains the queue and stops the batching loop. Concurrent calls share one finish. The waits keep the
   * process alive (code after `await finish()` runs even while a call never ends), bounded by the
   * timeouts; `keepAlive: false` (the beforeExit hook) lets it exit meanwhile.
   */
  finish(options: FinishOptions = {}, keepAlive = true): Promise<FlushReport> {
    this.finishing ??= this.doFinish(options, keepAlive).finally(() => {
      this.finishing = undefined;
    });
    return this.finishing;
  }

  /** Nothing queued, in flight, spooled or waiting for pairing. */
  isIdle(): boolean {
    return this.memory.isIdle() && this.drainer.isIdle() && this.pairing.isEmpty();
  }

  /**
   * process.exit(): no asynchronous work will run again, so everything still in memory (queued, in
   * flight, and calls still running or waiting for their start) goes to the spool synchronously, for
   * the next process to send. Returns how many records were written.
   */
  spillOnExit(): number {
    try {
      if (!this.spool) return 0;
      let n = 0;
      for (const o of this.pairing.takeAll()) if (this.spiller.spillJson(o.kind, 0, o.json)) n++;
      for (const item of this.memory.takeAll()) if (this.spiller.spill(item)) n++;
      this.spool.close(); // fsyncs
      return n;
    } catch {
      return 0;
    }
  }

  stats(): PipelineStats {
    return {
      ...this.transport.stats,
      ...this.sender.counters,
      ...this.spiller.counters,
      ...this.counts,
      queuedItems: this.queue.length,
      queuedBytes: this.queue.bytes,
      inFlightItems: this.memory.inFlightCount,
      spooledItems: this.drainer.pending,
      spoolBytes: this.spool?.bytes ?? 0,
      pendingCalls: this.pairing.pendingCount,
      earlyEnds: this.pairing.earlyEndCount,
    };
  }

  private async doFinish(options: FinishOptions, keepAlive: boolean): Promise<FlushReport> {
    const pairingTimeoutMs = options.pairingTimeoutMs ?? FINISH_DEFAULTS.pairingTimeoutMs;
    if (!this.pairing.isEmpty() && pairingTimeoutMs > 0) {
      let timer: NodeJS.Timeout | undefined;
      // Not unref'd: the awaited finish() keeps the process alive while it waits for running calls.
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, pairingTimeoutMs);
        if (!keepAlive) timer.unref();
      });
      await Promise.race([this.pairing.whenEmpty(), deadline]);
      clearTimeout(timer);
    }
    for (const out of this.pairing.takeAll()) this.enqueue(out);
    this.clearAutoEager();
    const report = await this.flushQueued(options.timeoutMs ?? FINISH_DEFAULTS.timeoutMs, keepAlive);
    this.loop.stop();
    this.spool?.close();
    return report;
  }

  /** The loop's flush, with what was accepted and given up on meanwhile (from each owner's counters). */
  private async flushQueued(timeoutMs: number, keepAlive: boolean): Promise<FlushReport> {
    const accepted = this.sender.counters.sent;
    const undeliverable = this.undeliverable();
    const { timedOut, spooled } = await this.loop.flush(timeoutMs, keepAlive);
    return {
      accepted: this.sender.counters.sent - accepted,
      spooled,
      undeliverable: this.undeliverable() - undeliverable,
      pendingCalls: this.pairing.pendingCount,
      timedOut,
    };
  }

  private undeliverable(): number {
    return this.sender.counters.rejected + this.spiller.counters.dropped + this.spiller.counters.failed;
  }

  private enqueue(out: Outgoing, nowMs?: number): void {
    this.loop.enqueue(out.kind, out.json, nowMs);
  }

  private armAutoEager(delay = this.config.autoEagerAfterMs): void {
    if (this.config.autoEagerAfterMs <= 0 || this.autoEagerTimer) return;
    this.autoEagerTimer = setTimeout(() => {
      this.autoEagerTimer = undefined;
      // The clock the start times come from (monotonic), not the wall clock.
      const { out, nextDueIn } = this.pairing.takeOlderThan(this.config.autoEagerAfterMs, nowMicros() / 1000);
      this.counts.autoEagerStarts += out.length;
      for (const o of out) this.enqueue(o);
      if (nextDueIn !== undefined) this.armAutoEager(nextDueIn);
    }, delay);
    this.autoEagerTimer.unref();
  }

  private clearAutoEager(): void {
    if (this.autoEagerTimer) clearTimeout(this.autoEagerTimer);
    this.autoEagerTimer = undefined;
  }
}
