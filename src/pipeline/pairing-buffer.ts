import { mergeHalves, standaloneEnd, startRecord, type EndHalf, type StartHalf } from './call-halves.js';
import type { ItemKind } from './send-queue.js';

/** What the pipeline must queue after a start or an end was offered to the buffer. */
export interface Outgoing {
  kind: ItemKind;
  json: string;
}

/**
 * Pairs each call's start with its end. Non-eager starts wait here until their end comes, then leave
 * as one complete record. Starts already sent (eager, auto-eager, orphan-sent by finish) are
 * remembered so their end goes out alone. An end that comes before its start is held until it does.
 *
 * A plain data structure: it never sends and never uses timers; the pipeline drives it.
 */
export class PairingBuffer {
  /** Starts waiting for their end, in start order. */
  private readonly pending = new Map<string, StartHalf>();
  /** Calls whose start was sent and whose end has not come yet. */
  private readonly sentStarts = new Map<string, true>();
  /** Ends whose start has not come yet. */
  private readonly earlyEnds = new Map<string, EndHalf>();
  private emptyWaiters: (() => void)[] = [];

  constructor(private readonly maxPending: number) {}

  /** Starts waiting for their end. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Ends waiting for their start. */
  get earlyEndCount(): number {
    return this.earlyEnds.size;
  }

  /** Offers a start. Returns what to queue, or undefined if it is held for pairing. */
  start(half: StartHalf, eager: boolean): Outgoing | undefined {
    const early = this.earlyEnds.get(half.id);
    if (early) {
      this.earlyEnds.delete(half.id);
      this.notifyIfEmpty();
      return { kind: 'complete', json: mergeHalves(half, early) };
    }
    if (eager || this.pending.size >= this.maxPending) {
      this.rememberSent(half.id);
      return { kind: 'start', json: startRecord(half) };
    }
    half.heldSince = Date.now();
    this.pending.set(half.id, half);
    return undefined;
  }

  /** True when the buffer could not hold a non-eager start (it is then sent eagerly). */
  isFull(): boolean {
    return this.pending.size >= this.maxPending;
  }

  /** Offers an end. Returns what to queue, or undefined if it waits for its start. */
  end(half: EndHalf): Outgoing | undefined {
    const start = this.pending.get(half.id);
    if (start) {
      this.pending.delete(half.id);
      this.notifyIfEmpty();
      return { kind: 'complete', json: mergeHalves(start, half) };
    }
    if (this.sentStarts.delete(half.id)) return { kind: 'end', json: standaloneEnd(half) };
    if (this.earlyEnds.size >= this.maxPending) return { kind: 'end', json: standaloneEnd(half) };
    this.earlyEnds.set(half.id, half);
    return undefined;
  }

  /** Sends the starts held longer than `ageMs` eagerly; returns them and when the next one is due. */
  takeOlderThan(ageMs: number, now = Date.now()): { out: Outgoing[]; nextDueIn: number | undefined } {
    const out: Outgoing[] = [];
    for (const [id, p] of this.pending) {
      const age = now - (p.heldSince ?? now);
      if (age < ageMs) return { out, nextDueIn: this.finishTake(out, ageMs - age) };
      this.pending.delete(id);
      this.rememberSent(id);
      out.push({ kind: 'start', json: startRecord(p) });
    }
    return { out, nextDueIn: this.finishTake(out, undefined) };
  }

  /** finish(): everything still held leaves as separate halves (starts via call/start, ends via call/end). */
  takeAll(): Outgoing[] {
    const out: Outgoing[] = [];
    for (const [id, p] of this.pending) {
      this.rememberSent(id);
      out.push({ kind: 'start', json: startRecord(p) });
    }
    this.pending.clear();
    for (const e of this.earlyEnds.values()) out.push({ kind: 'end', json: standaloneEnd(e) });
    this.earlyEnds.clear();
    this.notifyIfEmpty();
    return out;
  }

  /** Resolves when nothing waits for pairing (no held start, no held end). */
  whenEmpty(): Promise<void> {
    if (this.isEmpty()) return Promise.resolve();
    return new Promise((resolve) => this.emptyWaiters.push(resolve));
  }

  isEmpty(): boolean {
    return this.pending.size === 0 && this.earlyEnds.size === 0;
  }

  private finishTake(out: Outgoing[], nextDueIn: number | undefined): number | undefined {
    if (out.length > 0) this.notifyIfEmpty();
    return nextDueIn;
  }

  private rememberSent(id: string): void {
    // Bounded: a call whose start was sent but which never ends must not leak forever. Forgetting
    // the oldest only means its late end is held as an early end, and finish() still sends it.
    if (this.sentStarts.size >= this.maxPending) {
      const oldest = this.sentStarts.keys().next();
      if (!oldest.done) this.sentStarts.delete(oldest.value);
    }
    this.sentStarts.set(id, true);
  }

  private notifyIfEmpty(): void {
    if (this.emptyWaiters.length === 0 || !this.isEmpty()) return;
    const waiters = this.emptyWaiters;
    this.emptyWaiters = [];
    for (const w of waiters) w();
  }
}
