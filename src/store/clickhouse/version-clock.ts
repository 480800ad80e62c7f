import { nowMicros } from '../../shared/time.js';

/**
 * Versions of appended rows: integers that order the writes of a call (a later start wins over an
 * earlier one, a delete hides the parts written before it). A version is the writer's clock in
 * microseconds, bumped so that it never repeats or goes back within this process, and so that a
 * batch of n rows gets n consecutive versions in batch order. Several servers on one ClickHouse order
 * their writes by their clocks (keep them in sync with NTP); no counter is shared or persisted.
 */
export class VersionClock {
  private last = 0;

  /** The first of `count` consecutive fresh versions. */
  take(count = 1): number {
    const base = Math.max(nowMicros(), this.last + 1);
    this.last = base + Math.max(1, count) - 1;
    return base;
  }

  /** Makes every later version greater than `version` (e.g. a version read back from ClickHouse). */
  observe(version: number): void {
    if (version > this.last) this.last = version;
  }
}
