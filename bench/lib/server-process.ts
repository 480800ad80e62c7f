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

  static async start(db: string): Promise<ServerProcess> {
    const flags = (process.env.WEFT_BENCH_SERVER_NODE_OPTIONS ?? '').split(' ').filter(Boolean);
    const proc = await forkReady<{ url: string }>('./server-main.js', [db], flags);
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

  stop(): Promise<void> {
    return this.proc.stop();
  }
}
