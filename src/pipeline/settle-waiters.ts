interface Waiter {
  upTo: number;
  resolve: () => void;
}

/**
 * What flush() waits on: a sequence watermark. A waiter for `upTo` resolves once every item with a
 * sequence number up to it is settled (sent, given up on, or counted), that is once the lowest
 * unsettled sequence number is above it, or when its timeout passes. A waiter's deadline timer keeps
 * the process alive while it waits (unless `keepAlive` is false), so code after an awaited flush runs
 * even when nothing else is pending (an outage's probe timers do not hold the event loop); it is
 * cleared as soon as the waiter resolves, so an idle pipeline holds nothing.
 */
export class SettleWaiters {
  private waiters: Waiter[] = [];

  /**
   * Resolves false once everything up to `upTo` is settled, true if `timeoutMs` passed first.
   * `keepAlive: false` (the exit hook's drain) lets the process exit while it waits.
   */
  wait(upTo: number, timeoutMs: number, keepAlive = true): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(true);
      }, timeoutMs);
      if (!keepAlive) timer.unref();
      const waiter: Waiter = {
        upTo,
        resolve: () => {
          clearTimeout(timer);
          resolve(false);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Resolves the waiters below the lowest unsettled sequence number (computed only if any wait). */
  settle(lowestUnsettled: () => number): void {
    if (this.waiters.length === 0) return;
    const lowest = lowestUnsettled();
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.upTo < lowest) w.resolve();
      else still.push(w);
    }
    this.waiters = still;
  }
}
