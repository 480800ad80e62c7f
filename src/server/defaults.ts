/** Defaults of the trace server and `weft serve`. Every tunable of the server lives here. */
export const DEFAULTS = {
  /** Interface `weft serve` binds to. Loopback, so a server without API keys is not reachable from outside. */
  host: '127.0.0.1',
  /** TCP port `weft serve` listens on. */
  port: 6345,
  /** Path of the embedded SQLite database file. */
  db: './weft.db',
  /**
   * Largest accepted request body in bytes, checked both on the bytes received and, for
   * a compressed body (`Content-Encoding: gzip` or `br`), on the decompressed bytes (Weave's own server uses the same limit).
   */
  maxBodyBytes: 32 * 1024 * 1024,
  /**
   * Call write bodies (decompressed) of at least this many bytes are parsed, validated and written in a
   * worker thread with its own store connection, so a large call does not hold the event loop (a
   * 30 MiB body takes ~400 ms to parse, serialise and insert). Smaller bodies are cheaper to write
   * in place than to hand over.
   */
  offloadBodyBytes: 1024 * 1024,
  /**
   * Most bytes of call write bodies handed to the store worker and not yet written (a body larger than
   * this alone is still taken when nothing is queued). More get a 429 with `Retry-After: 1` instead of
   * waiting in memory (the SDK retries).
   */
  offloadQueueBytes: 128 * 1024 * 1024,
  /**
   * SQLite page cache of the store worker's own connection, in KiB. Its work is large values, whose
   * pages are read or written once: with the main connection's 64 MiB cache, writing 30 MiB calls left
   * up to 64 MiB of their pages cached in the worker (measured: +184 vs +62 MiB peak RSS over 8 such
   * writes).
   */
  offloadCacheKiB: 8 * 1024,
  /**
   * Most embedded protobuf messages (spans, events, attributes, values) in one OTLP/protobuf request
   * (`POST /otel/v1/traces`). Counted before decoding: a few bytes per empty message decode into
   * ~100 times their size in objects, so the body limit alone would let one request take gigabytes.
   * An exporter's batch of 512 spans with 30 attributes each holds about 31 000.
   */
  otlpMaxMessages: 500_000,
  /** Most levels of nested protobuf messages in one OTLP request (nested array/kvlist values count). */
  otlpMaxDepth: 128,
  /** Page size of `/calls/query` when the request has no `limit`. */
  queryPageSize: 100,
  /** Largest `limit` accepted by `/calls/query` (`/calls/stream_query` has no cap). */
  maxQueryPageSize: 10_000,
  /**
   * `/calls/query` (the UI's calls page) returns a call's `inputs`, `output`, `attributes` or `summary`
   * whose JSON text is longer than this many bytes as a truncation marker (`TruncatedValue` in
   * src/shared/api-types.ts: size and preview); `/call/read` gives the full value. A request's
   * `truncate_values_over` may ask for less, never more.
   */
  pageValueBytes: 64 * 1024,
  /**
   * Bytes a `/calls/query` page may carry in its JSON fields: with a large `limit`, the per-value cap
   * drops to `pageBytes / (rows × 4 fields)` (never below 256), so a page stays bounded whatever its
   * calls hold.
   */
  pageBytes: 16 * 1024 * 1024,
  /** `/calls/stream_query` writes NDJSON in chunks of about this many bytes. */
  streamChunkBytes: 64 * 1024,
  /**
   * `/calls/stream_query` streams open at once in the whole server; more are answered 429 with
   * `Retry-After`. Each open stream holds a store cursor (a SQLite read connection, or one of the
   * ClickHouse store's 16 sockets: this stays below that so writes and other reads always find one).
   */
  maxStreams: 12,
  /**
   * `/calls/stream_query` streams open at once per API key (all keyless callers share one budget);
   * more are answered 429 with `Retry-After`.
   */
  maxStreamsPerKey: 6,
  /**
   * `/calls/stream_query` streams open at once per TCP connection. HTTP/1.1 answers one request at a
   * time per connection, so only pipelined requests can exceed 1; they are answered 429.
   */
  maxStreamsPerConnection: 1,
  /**
   * A `/calls/stream_query` client that reads nothing for this long (the server has a chunk ready and
   * the socket takes none of it) has its stream aborted: the store cursor is released and the
   * connection closed.
   */
  streamIdleTimeoutMs: 30_000,
  /** `Retry-After` (seconds) of a 429 answered because too many streams are open. */
  streamRetryAfterSeconds: 2,
  /**
   * A stream serialises rows for at most about this long (ms) before it yields to the event loop, so
   * many busy streams cannot starve other requests (`/health` among them).
   */
  streamTimeSliceMs: 4,
  /**
   * On shutdown, in-flight requests get this long to finish before their connections are cut
   * (a slow reader of a long `/calls/stream_query` must not keep the process alive forever).
   */
  shutdownGraceMs: 10_000,
} as const;
