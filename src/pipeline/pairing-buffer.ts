import { standaloneEnd, type EndHalf, type StartHalf } from './call-halves.js';
import { completeRecord, startRecord } from '../shared/record-writer.js';
import type { ItemKind } from './send-queue.js';

/**
 * A start half's JSON, taken out of it: the record being made holds it now, and a start half can
 * outlive its call (it is the SDK's running call, which user code or async resources may keep).
 */
function takeOpenJson(half: StartHalf): string {
  const json = half.openJson;
  half.openJson = '';
  return json;
}

function endHalfOf(start: StartHalf, fieldsJson: string, projectId: string): EndHalf {
  return { projectId, id: start.id, traceId: start.traceId, startedAt: start.startedAt, fieldsJson };
}

/** What the pipeline must queue after a start or an end was offered to the buffer. */
export interface Outgoing {
  kind: ItemKind;
  json: string;
}

/**
 * Pairs each call's start with its end. Non-eager starts wait here until their end comes, then leave
 * as one complete record. A start sent on its own (eager, auto-eager, overflow, finish) is marked so,
 * and its end goes out alone. An end that comes before its start is held until it does.
 *
 * Held starts form an intrusive list in start order (the start halves carry the links), and an end
 * normally carries its start: pairing is then a flag check and an unlink, with no lookup and no
 * allocation. An end offered without its start is matched by id.
 *
 * A plain data structure: it never sends and never uses timers; the pipeline drives it.
 */
export class PairingBuffer {
  private head: StartHalf | undefined;
  private tail: StartHalf | undefined;
  private held = 0;
  /** Ends whose start has not come yet. */
  private readonly earlyEnds = new Map<string, EndHalf>();
  private emptyWaiters: (() => void)[] = [];

  constructor(private readonly maxPending: number) {}

  /** Starts waiting for their end. */
  get pendingCount(): number {
    return this.held;
  }

  /** Ends waiting for their start. */
  get earlyEndCount(): number {
    return this.earlyEnds.size;
  }

  /** Offers a start. Returns what to queue, or undefined if it is held for pairing. */
  start(half: StartHalf, eager: boolean): Outgoing | undefined {
    if (this.earlyEnds.size > 0) {
      const early = this.earlyEnds.get(half.id);
      if (early) {
        this.earlyEnds.delete(half.id);
        half.state = 'paired';
        this.notifyIfEmpty();
        return { kind: 'complete', json: completeRecord(takeOpenJson(half), early.fieldsJson) };
      }
    }
    if (eager || this.held >= this.maxPending) {
      half.state = 'sent';
      return { kind: 'start', json: startRecord(takeOpenJson(half)) };
    }
    this.link(half);
    return undefined;
  }

  /** True when the buffer could not hold a non-eager start (it is then sent eagerly). */
  isFull(): boolean {
    return this.held >= this.maxPending;
  }

  /**
   * Offers a call's end with its start half (the SDK always has it): pairing is a flag check. Returns
   * what to queue, or undefined if it waits for its start (or repeats an end already paired).
   */
  endOf(start: StartHalf, fieldsJson: string, projectId: string): Outgoing | undefined {
    switch (start.state) {
      case 'held':
        this.unlink(start);
        start.state = 'paired';
        if (this.held === 0) this.notifyIfEmpty();
        return { kind: 'complete', json: completeRecord(takeOpenJson(start), fieldsJson) };
      case 'sent':
        start.state = 'paired';
        return { kind: 'end', json: standaloneEnd(endHalfOf(start, fieldsJson, projectId)) };
      case 'paired':
        return undefined;
      case 'new':
        return this.holdEarly(endHalfOf(start, fieldsJson, projectId));
    }
  }

  /**
   * Offers an end without its start: it pairs with the held start of the same id (a scan: no producer
   * in weft does this, it exists for completeness), or waits for its start.
   */
  end(half: EndHalf): Outgoing | undefined {
    for (let s = this.head; s; s = s.next) {
      if (s.id === half.id) return this.endOf(s, half.fieldsJson, half.projectId);
    }
    return this.holdEarly(half);
  }

  /**
   * Sends the starts held longer than `ageMs` at `nowMs` (the starts' clock: `startedUs` / 1000)
   * eagerly; returns them and when the next one is due.
   */
  takeOlderThan(ageMs: number, nowMs: number): { out: Outgoing[]; nextDueIn: number | undefined } {
    const out: Outgoing[] = [];
    let nextDueIn: number | undefined;
    while (this.head) {
      const age = nowMs - this.head.startedUs / 1000;
      if (age < ageMs) {
        nextDueIn = Math.max(1, Math.ceil(ageMs - age));
        break;
      }
      out.push(this.sendAlone(this.head));
    }
    if (out.length > 0) this.notifyIfEmpty();
    return { out, nextDueIn };
  }

  /** finish(): everything still held leaves as separate halves (starts via call/start, ends via call/end). */
  takeAll(): Outgoing[] {
    const out: Outgoing[] = [];
    while (this.head) out.push(this.sendAlone(this.head));
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
    return this.held === 0 && this.earlyEnds.size === 0;
  }

  private sendAlone(half: StartHalf): Outgoing {
    this.unlink(half);
    half.state = 'sent';
    return { kind: 'start', json: startRecord(takeOpenJson(half)) };
  }

  private link(half: StartHalf): void {
    half.state = 'held';
    half.prev = this.tail;
    half.next = undefined;
    if (this.tail) this.tail.next = half;
    else this.head = half;
    this.tail = half;
    this.held++;
  }

  private unlink(half: StartHalf): void {
    const { prev, next } = half;
    if (prev) prev.next = next;
    else this.head = next;
    if (next) next.prev = prev;
    else this.tail = prev;
    half.prev = half.next = undefined;
    this.held--;
  }

  private holdEarly(half: EndHalf): Outgoing | undefined {
    if (this.earlyEnds.size >= this.maxPending) return { kind: 'end', json: standaloneEnd(half) };
    this.earlyEnds.set(half.id, half);
    return undefined;
  }

  private notifyIfEmpty(): void {
    if (this.emptyWaiters.length === 0 || !this.isEmpty()) return;
    const waiters = this.emptyWaiters;
    this.emptyWaiters = [];
    for (const w of waiters) w();
  }
}
