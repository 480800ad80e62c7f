import type { WireItem } from './batch-sender.js';
import type { OutageProber } from './outage-prober.js';
import type { RateLimitedLogger } from './rate-limited-logger.js';
import { recordText } from './record-bytes.js';
import type { ItemKind } from './send-queue.js';
import type { Spool } from './spool/spool.js';

/** Counters the spiller alone mutates. */
export interface SpillCounters {
  /** Items written to the disk spool because of memory pressure, an outage or durability `spool`. */
  spilled: number;
  /** Items lost: the queue and the spool were both full (or the spool is off). */
  dropped: number;
  /** Items given up on: the server stayed unreachable past the retry deadline and there is no spool. */
  failed: number;
}

/** Where the sender puts the items of a memory batch that the server could not take in time. */
export interface UnreachableSink {
  unreachable(items: WireItem[], err?: unknown): void;
}

/**
 * Where a record goes that memory cannot hold or the server could not take: the disk spool, or,
 * without room or without a spool, nowhere (counted and logged). Items the server could not take in
 * time begin an outage when they are spooled; without a spool they are given up on.
 */
export class Spiller implements UnreachableSink {
  readonly counters: SpillCounters = { spilled: 0, dropped: 0, failed: 0 };

  constructor(
    private readonly spool: Spool | undefined,
    private readonly outage: OutageProber,
    private readonly log: RateLimitedLogger,
  ) {}

  get hasSpool(): boolean {
    return this.spool !== undefined;
  }

  /** Writes an item to the spool; without room (or a spool) it is dropped, counted and logged. */
  spill(item: WireItem): boolean {
    return this.spillJson(item.kind, item.seq, recordText(item));
  }

  /** The same for a record not queued yet (still its JSON text). */
  spillJson(kind: ItemKind, seq: number, json: string): boolean {
    if (this.spool?.append(kind, seq, json)) {
      this.counters.spilled++;
      return true;
    }
    this.counters.dropped++;
    this.log.warn(
      'dropped',
      `send queue and spool full (or spool off): dropped a call record; ${this.counters.dropped} dropped so far`,
    );
    return false;
  }

  unreachable(items: WireItem[], err?: unknown): void {
    if (this.spool) {
      for (const item of items) this.spill(item);
      this.outage.begin();
      return;
    }
    this.counters.failed += items.length;
    const why = err ? `: ${String(err)}` : '';
    this.log.warn('send-failed', `could not send ${items.length} call record(s), server unreachable${why}`);
  }

  /** Everything spooled so far reaches the disk now (fsync). */
  syncNow(): void {
    this.spool?.syncNow();
  }
}
