/** What flush() and finish() resolve with. Counts are of items settled while the caller waited. */
export interface FlushReport {
  /** Items (complete calls, starts, ends) the server accepted. */
  sent: number;
  /**
   * Items that will not reach the server: given up on (unreachable, no spool), rejected by the server
   * (written to the dead-letter file) or dropped (queue and spool full). `stats()` counts these three
   * separately as `failed`, `rejected` and `dropped`.
   */
  failed: number;
  /** Calls still running whose start waits for its end (untouched by flush). */
  pendingCalls: number;
  /** Items waiting in the disk spool (e.g. while the server is unreachable). */
  spooled: number;
  /** True if the timeout passed before everything queued before the call was settled. */
  timedOut: boolean;
}
