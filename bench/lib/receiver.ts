import { forkReady, type ReadyChild } from './child-process.js';

/** What the bench receiver counted since its last reset. */
export interface ReceiverStats {
  requests: number;
  completeRequests: number;
  startRequests: number;
  endRequests: number;
  otherRequests: number;
  /** Call records received (complete calls, starts, ends). */
  items: number;
  /** Request bodies as received (compressed: brotli or gzip). */
  bodyBytes: number;
  /** Request bodies decompressed (the raw JSON). */
  rawBytes: number;
  compressedRequests: number;
  /** Bytes read from the data sockets: request lines, headers and bodies. */
  socketBytes: number;
}

/**
 * A real HTTP receiver in its own process (see receiver-main.ts): it shares no event loop and no heap
 * with the code under test, like a real trace server.
 */
export class Receiver {
  private constructor(
    private readonly proc: ReadyChild<{ url: string; controlUrl: string }>,
    /** Where the SDK posts. */
    readonly url: string,
    private readonly controlUrl: string,
  ) {}

  static async start(): Promise<Receiver> {
    const proc = await forkReady<{ url: string; controlUrl: string }>('./receiver-main.js', []);
    return new Receiver(proc, proc.ready.url, proc.ready.controlUrl);
  }

  async stats(): Promise<ReceiverStats> {
    return (await (await fetch(`${this.controlUrl}/stats`)).json()) as ReceiverStats;
  }

  async reset(): Promise<void> {
    await (await fetch(`${this.controlUrl}/reset`, { method: 'POST' })).arrayBuffer();
  }

  /** The raw JSON of the last `calls/complete` body received. */
  async lastCompleteBody(): Promise<Buffer> {
    const res = await fetch(`${this.controlUrl}/last-complete-body`);
    if (!res.ok) throw new Error('the receiver has not received a calls/complete batch yet');
    return Buffer.from(await res.arrayBuffer());
  }

  close(): Promise<void> {
    return this.proc.stop();
  }
}
