/** Where the SDK reports problems. Never throws. */
export interface WeftLogger {
  warn(message: string): void;
}

export const consoleLogger: WeftLogger = {
  warn(message) {
    console.warn(`[weft] ${message}`);
  },
};

/**
 * Logs each distinct problem at most once per interval, with how many times it happened meanwhile,
 * so a hot loop that keeps dropping data prints one line, not millions.
 */
export class RateLimitedLogger {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly sink: WeftLogger,
    private readonly intervalMs = 10_000,
  ) {}

  warn(key: string, message: string): void {
    const now = Date.now();
    const entry = this.last.get(key);
    if (entry && now - entry.at < this.intervalMs) {
      entry.suppressed++;
      return;
    }
    const suffix = entry && entry.suppressed > 0 ? ` (${entry.suppressed} more since last report)` : '';
    this.last.set(key, { at: now, suppressed: 0 });
    try {
      this.sink.warn(message + suffix);
    } catch {
      // a broken logger must not break tracing
    }
  }
}
