import type { RateLimitedLogger } from './rate-limited-logger.js';
import { backoffDelay } from './retry-policy.js';

export interface OutageOptions {
  retryBaseMs: number;
  retryMaxMs: number;
}

/**
 * Owns the outage state. An outage begins when the server could not take a batch within the retry
 * deadline and there is a disk spool to fall back on; while it lasts every record goes to the spool
 * and only probes go out: one at a time, each after a backoff delay that grows per failed probe.
 * It ends when a spooled batch (a probe or any other) is accepted, or the spool has nothing left.
 */
export class OutageProber {
  private inOutage = false;
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: OutageOptions,
    private readonly log: RateLimitedLogger,
    /** Where records are spooled meanwhile (named in the warning). */
    private readonly spoolDir: string,
  ) {}

  get active(): boolean {
    return this.inOutage;
  }

  begin(): void {
    if (this.inOutage) return;
    this.inOutage = true;
    this.log.warn('outage', `server unreachable: spooling call records to ${this.spoolDir} until it answers`);
  }

  end(): void {
    this.inOutage = false;
    this.attempt = 0;
    this.stop();
  }

  /**
   * Resolves once the next probe is due (after the backoff delay); undefined if one is armed already.
   * Its timer never keeps the process alive.
   */
  nextProbe(): Promise<void> | undefined {
    if (this.timer) return undefined;
    const delay = backoffDelay(this.attempt++, this.options.retryBaseMs, this.options.retryMaxMs);
    return new Promise((resolve) => {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        resolve();
      }, delay);
      this.timer.unref();
    });
  }

  /** Stops the probe timer (an armed probe is abandoned). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
