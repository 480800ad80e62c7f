/**
 * What flush() and finish() resolve with. A flush covers every record queued before it was called
 * (never calls still running) and resolves once each of them is settled: accepted by the server,
 * given up on, or, while the server is unreachable (an outage, see `retryDeadlineMs`), safely in the
 * disk spool, from where it is sent once the server answers again, by this process or the next
 * `init()` for the same project and server. So during an outage a flush does not wait its timeout:
 * it resolves as soon as what it covers is on disk, and says so in `spooled`. With the server
 * reachable it waits for spooled records too. Without a spool, records the server could not take in
 * time are given up on (`undeliverable`).
 *
 * Everything reached the server when `timedOut` is false and `spooled` and `undeliverable` are 0.
 */
export interface FlushReport {
  /** Records (complete calls, starts, ends) the server accepted while the flush waited. */
  accepted: number;
  /**
   * Records this flush covers that wait in the disk spool when it resolves, fsynced: the server is
   * unreachable (or the timeout passed while they drained). Sent when the server answers again.
   */
  spooled: number;
  /**
   * Records given up on while the flush waited; they will not reach the server: rejected by it (a 4xx,
   * kept in the dead-letter file), dropped (send queue and spool full) or failed (unreachable past the
   * retry deadline, with no spool). `stats()` counts them as `rejected`, `dropped` and `failed`.
   */
  undeliverable: number;
  /** Calls still running whose start waits for its end (flush never touches them). */
  pendingCalls: number;
  /**
   * True if the timeout passed first: some covered records were still in memory (queued, or in
   * flight being retried) or, with the server reachable, still in the spool. They are still sent.
   */
  timedOut: boolean;
}
