/** Options of the write pipeline (batching, bounds, retries). All are optional in `init()`. */
export interface PipelineOptions {
  /**
   * A batch of complete calls is sent once it holds this many calls. A request has a cost of its own
   * (~140 µs of CPU on loopback: Node's HTTP client and the socket write), so a backlog goes out in
   * large batches: at 2 000 instead of 1 000, a burst cost ~6 % less CPU per call, flat and nested
   * (bench/RESULTS.md, #14 tenth pass). Below this, the batch interval sends what is there.
   * @default 2000
   */
  maxBatchSize: number;
  /**
   * A batch is sent once its JSON reaches this many bytes (UTF-8).
   * @default 10 MiB
   */
  maxBatchBytes: number;
  /**
   * Longest time a queued item waits before it is sent, counted from when it entered an empty queue.
   * A max-latency timer, not a debounce: a steady trickle of calls still goes out every interval.
   * 1 s keeps calls visible in the UI about a second after they end while costing at most one
   * request per second at low rates; under load, batches fill to `maxBatchSize` long before.
   * @default 1000
   */
  batchIntervalMs: number;
  /**
   * Most items (complete calls, starts, ends) held in the send queue; past it (or past
   * `maxQueueBytes`, the real memory bound, which typical records reach first) new items spill to
   * the disk spool, or, with the spool off, are dropped, counted and reported once per interval.
   * @default 1_000_000
   */
  maxQueueItems: number;
  /**
   * Most bytes held in the send queue (records are kept as UTF-8 bytes, so this bounds its memory).
   * @default 64 MiB
   */
  maxQueueBytes: number;
  /**
   * Most running calls whose start waits in the pairing buffer. Past it a new call's start is sent at
   * once (as an eager start) instead of being held, so memory stays bounded and nothing is lost.
   * @default 100_000
   */
  maxPendingCalls: number;
  /**
   * A non-eager call still running after this long has its start sent so it is visible while it
   * runs; its end then goes to `call/end`. 0 disables.
   * @default 10_000
   */
  autoEagerAfterMs: number;
  /**
   * Request bodies larger than this are compressed: brotli (quality 1), or gzip (level 1) once the
   * server has answered 415 to brotli. The name is from when gzip was the only encoding.
   * @default 4096
   */
  gzipThresholdBytes: number;
  /**
   * Requests in flight at once.
   * @default 4
   */
  maxConcurrentRequests: number;
  /**
   * Timeout of one HTTP request.
   * @default 30_000
   */
  requestTimeoutMs: number;
  /**
   * Total time a batch is retried in memory. Past it the server counts as unreachable: the batch and
   * everything queued after it go to the disk spool until the server answers again (or, with the
   * spool off, the batch is given up on and counted as failed).
   * @default 10_000
   */
  retryDeadlineMs: number;
  /**
   * First retry delay; doubles per attempt, with full jitter.
   * @default 200
   */
  retryBaseMs: number;
  /**
   * Longest delay between two attempts, also the cap on a server's `Retry-After`.
   * @default 10_000
   */
  retryMaxMs: number;
  /**
   * Most bytes the disk spool may hold; only past it is anything dropped (counted and logged).
   * @default 1 GiB
   */
  maxSpoolBytes: number;
  /**
   * Size at which a spool segment file is closed and a new one started.
   * @default 16 MiB
   */
  spoolSegmentBytes: number;
  /**
   * Spooled records are fsynced at most this long after they were written. Records are written to
   * the file at once, so a killed process loses none; an OS crash loses at most this interval.
   * @default 200
   */
  fsyncIntervalMs: number;
}

export const PIPELINE_DEFAULTS: Readonly<PipelineOptions> = Object.freeze({
  maxBatchSize: 2000,
  maxBatchBytes: 10 * 1024 * 1024,
  batchIntervalMs: 1000,
  maxQueueItems: 1_000_000,
  maxQueueBytes: 64 * 1024 * 1024,
  maxPendingCalls: 100_000,
  autoEagerAfterMs: 10_000,
  gzipThresholdBytes: 4096,
  maxConcurrentRequests: 4,
  requestTimeoutMs: 30_000,
  retryDeadlineMs: 10_000,
  retryBaseMs: 200,
  retryMaxMs: 10_000,
  maxSpoolBytes: 1024 * 1024 * 1024,
  spoolSegmentBytes: 16 * 1024 * 1024,
  fsyncIntervalMs: 200,
});
