import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const LISTENING = /^weft serving on (http:\/\/\S+) /;

/** Which store a test server runs on: SQLite (a temp file), or ClickHouse at `clickhouseUrl`. */
export type WeftServerStore = { kind: 'sqlite' } | { kind: 'clickhouse'; clickhouseUrl: string };

/**
 * A real `weft serve` process on a random loopback port and a temp SQLite file, or, with a
 * `clickhouse` store, on a fresh ClickHouse database (unique per server, dropped by `dispose()`).
 */
export class WeftServer {
  url = '';
  private child: ChildProcess | undefined;
  readonly dir = mkdtempSync(join(tmpdir(), 'weft-e2e-'));
  readonly db = join(this.dir, 'weft.db');
  /** The ClickHouse database of a `clickhouse` server. */
  readonly clickhouseDatabase = `weft_e2e_${randomUUID().replace(/-/g, '').slice(0, 16)}`;

  constructor(
    private readonly extraArgs: string[] = [],
    readonly store: WeftServerStore = { kind: 'sqlite' },
    /** Extra environment of the server (the test's own WEFT_* variables are never passed on). */
    private readonly extraEnv: Record<string, string> = {},
  ) {}

  async start(timeoutMs = 20_000): Promise<this> {
    const env = {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WEFT_'))),
      ...this.extraEnv,
    };
    const storeArgs =
      this.store.kind === 'clickhouse'
        ? [
            '--store',
            'clickhouse',
            '--clickhouse-url',
            this.store.clickhouseUrl,
            '--clickhouse-database',
            this.clickhouseDatabase,
          ]
        : [];
    const child = spawn(
      process.execPath,
      [CLI, 'serve', '--port', '0', '--db', this.db, ...storeArgs, ...this.extraArgs],
      {
        env,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    this.child = child;
    const lines = createInterface({ input: child.stdout! });
    const listening = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('weft serve did not start in time')), timeoutMs);
      lines.on('line', (line) => {
        const m = LISTENING.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`weft serve exited with ${code}`));
      });
    });
    this.url = await listening;
    return this;
  }

  /** The server process's resident set size in bytes, read from /proc (Linux), or NaN elsewhere. */
  rssBytes(): number {
    try {
      const status = readFileSync(`/proc/${this.child?.pid}/status`, 'utf8');
      const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
      return kb === undefined ? NaN : Number(kb) * 1024;
    } catch {
      return NaN;
    }
  }

  /** SIGTERM and wait for a clean exit. */
  async stop(): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null) return child?.exitCode ?? null;
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    this.child = undefined;
    return code;
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
    if (this.store.kind === 'clickhouse') {
      const res = await fetch(this.store.clickhouseUrl, {
        method: 'POST',
        body: `DROP DATABASE IF EXISTS \`${this.clickhouseDatabase}\``,
      });
      await res.text();
    }
  }

  async post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(this.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
    });
  }
}
