import { HttpError } from './http-error.js';

/** Caps of {@link StreamLimiter}; see the fields of the same names in `DEFAULTS` (defaults.ts). */
export interface StreamLimits {
  maxStreams: number;
  maxStreamsPerKey: number;
  maxStreamsPerConnection: number;
  retryAfterSeconds: number;
}

/** One open stream's place in the budgets; `release()` gives it back (idempotent). */
export interface StreamLease {
  release(): void;
}

/** What `/server_stats` reports about streams. */
export interface StreamStats {
  /** Streams open now. */
  active: number;
  /** Streams refused (429) since the server started. */
  refused: number;
  /** Streams aborted because their client read nothing for `streamIdleTimeoutMs`. */
  idle_aborted: number;
}

/**
 * Counts the open `/calls/stream_query` streams server-wide, per API key and per TCP connection, and
 * refuses one more over any cap with a 429 `HttpError` (with `Retry-After`) naming the cap. A stream
 * holds a store cursor for as long as it is open, so these caps bound what stalled or hostile readers
 * can pin. Connections are tracked weakly (a closed socket needs no clean-up here).
 */
export class StreamLimiter {
  private total = 0;
  private readonly perKey = new Map<string, number>();
  private readonly perConnection = new WeakMap<object, number>();
  private refused = 0;
  private idleAborted = 0;

  constructor(private readonly limits: StreamLimits) {}

  /**
   * Takes a place for a stream of `key` (the API key id; keyless callers share one key) on
   * `connection` (the socket, when known), or throws a 429 HttpError.
   */
  acquire(key: string, connection: object | undefined): StreamLease {
    const { maxStreams, maxStreamsPerKey, maxStreamsPerConnection } = this.limits;
    const onKey = this.perKey.get(key) ?? 0;
    const onConnection = connection === undefined ? 0 : (this.perConnection.get(connection) ?? 0);
    if (onConnection >= maxStreamsPerConnection) {
      this.refuse(
        `${maxStreamsPerConnection} stream(s) already open on this connection (the per-connection cap)`,
      );
    }
    if (onKey >= maxStreamsPerKey) {
      this.refuse(`${maxStreamsPerKey} streams already open for this API key (the per-key cap)`);
    }
    if (this.total >= maxStreams) this.refuse(`${maxStreams} streams already open on this server (its cap)`);
    this.total++;
    this.perKey.set(key, onKey + 1);
    if (connection !== undefined) this.perConnection.set(connection, onConnection + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.total--;
        const left = (this.perKey.get(key) ?? 1) - 1;
        if (left === 0) this.perKey.delete(key);
        else this.perKey.set(key, left);
        if (connection !== undefined) {
          this.perConnection.set(connection, (this.perConnection.get(connection) ?? 1) - 1);
        }
      },
    };
  }

  /** Counts a stream aborted for reading nothing (its lease is released by the stream itself). */
  countIdleAbort(): void {
    this.idleAborted++;
  }

  stats(): StreamStats {
    return { active: this.total, refused: this.refused, idle_aborted: this.idleAborted };
  }

  private refuse(why: string): never {
    this.refused++;
    throw new HttpError(
      429,
      `too many open /calls/stream_query streams: ${why}; retry after ${this.limits.retryAfterSeconds} s`,
      { retryAfterSeconds: this.limits.retryAfterSeconds },
    );
  }
}
