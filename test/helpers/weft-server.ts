import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const LISTENING = /^weft serving on (http:\/\/\S+) /;

/** A real `weft serve` process on a random loopback port and a temp SQLite file. */
export class WeftServer {
  url = '';
  private child: ChildProcess | undefined;
  readonly dir = mkdtempSync(join(tmpdir(), 'weft-e2e-'));
  readonly db = join(this.dir, 'weft.db');

  constructor(private readonly extraArgs: string[] = []) {}

  async start(timeoutMs = 20_000): Promise<this> {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WEFT_')));
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--db', this.db, ...this.extraArgs], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
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
  }

  async post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(this.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
    });
  }
}
