import { readFileSync } from 'node:fs';
import { forkReady, type ReadyChild } from './child-process.js';

/**
 * A weft trace server in its own process (so the load generator does not share its event loop), on
 * the SQLite file `db`. Node flags for it (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) come from the
 * `WEFT_BENCH_SERVER_NODE_OPTIONS` environment variable, space-separated.
 */
export class ServerProcess {
  private constructor(
    private readonly proc: ReadyChild<{ url: string }>,
    readonly url: string,
  ) {}

  /** `serverMain`: another build's compiled `server-main.js` (absolute path), e.g. a baseline's. */
  static async start(db: string, serverMain = './server-main.js'): Promise<ServerProcess> {
    const flags = (process.env.WEFT_BENCH_SERVER_NODE_OPTIONS ?? '').split(' ').filter(Boolean);
    const proc = await forkReady<{ url: string }>(serverMain, [db], flags);
    return new ServerProcess(proc, proc.ready.url);
  }

  /** POSTs a JSON (optionally gzipped) body; throws unless the answer is 2xx. Returns the answer text. */
  async post(path: string, body: Buffer | string, gzipped = false): Promise<string> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (gzipped) headers['content-encoding'] = 'gzip';
    const res = await fetch(this.url + path, { method: 'POST', headers, body });
    const text = await res.text();
    if (!res.ok) throw new Error(`POST ${path} answered ${res.status}: ${text.slice(0, 300)}`);
    return text;
  }

  /**
   * POSTs a JSON body and reads the answer as bytes as they arrive, counting its lines, without
   * decoding it to one string: resolves when the last byte came (the server's latency, as a streaming
   * NDJSON reader sees it). Throws unless the answer is 2xx.
   */
  async postCountingLines(path: string, body: string): Promise<{ lines: number; bytes: number }> {
    const res = await fetch(this.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    if (!res.ok || !res.body) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
    let lines = 0;
    let bytes = 0;
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.length;
      for (let i = value.indexOf(10); i >= 0; i = value.indexOf(10, i + 1)) lines++;
    }
    return { lines, bytes };
  }

  /** The server's resident set size in bytes, read from /proc (Linux), or NaN elsewhere. */
  rssBytes(): number {
    try {
      const status = readFileSync(`/proc/${this.proc.child.pid}/status`, 'utf8');
      const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
      return kb === undefined ? NaN : Number(kb) * 1024;
    } catch {
      return NaN;
    }
  }

  stop(): Promise<void> {
    return this.proc.stop();
  }
}
