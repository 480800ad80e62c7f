/**
 * The cost of durability and the speed of recovery (issue: reliable delivery).
 *
 *   node --expose-gc dist/bench/spool-durability.js [--calls 50000] [--rounds 5] [--recover 100000]
 *
 * 1. Per-call overhead of a traced trivial async function in `durability: 'memory'` (the default: the
 *    disk spool is used only under pressure or outage) and `durability: 'spool'` (every finished call
 *    is written to the spool before it is sent), against the untraced function, rounds interleaved,
 *    both sending to the same receiver process.
 * 2. Recovery: a child process records `--recover` calls in spool mode and is killed with SIGKILL
 *    before sending any; a new client (`init()` for the same project and server) adopts the spool and
 *    sends it. Rate = records / time until flush() resolves, to a bare receiver and to `weft serve`.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { init, op, type WeftClient } from '../src/index.js';
import { setActiveClient } from '../src/sdk/client-registry.js';
import { coreOf } from '../src/sdk/client.js';
import { numberArg } from './lib/cli-args.js';
import { forceGc } from './lib/gc.js';
import { Receiver } from './lib/receiver.js';
import { ServerProcess } from './lib/server-process.js';
import { fmt, int, median, printHeader, printTable } from './lib/stats.js';

const CALLS = numberArg('calls', 50_000);
const ROUNDS = numberArg('rounds', 5);
const RECOVER = numberArg('recover', 100_000);

const quiet = { warn: () => {} };
const tmp = (prefix: string): string => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

async function overhead(receiver: Receiver): Promise<void> {
  const spoolDirs = [tmp('weft-bench-mem-'), tmp('weft-bench-dur-')];
  const clients: Record<'memory' | 'spool', WeftClient> = {
    memory: await init({
      project: 'bench/mem',
      serverUrl: receiver.url,
      spoolDir: spoolDirs[0],
      logger: quiet,
    }),
    spool: await init({
      project: 'bench/dur',
      serverUrl: receiver.url,
      spoolDir: spoolDirs[1],
      durability: 'spool',
      logger: quiet,
    }),
  };
  const raw = async (x: number): Promise<number> => x + 1;
  const traced = op(async function step(x: number) {
    return x + 1;
  });
  const loop = async (fn: (x: number) => Promise<number>): Promise<number> => {
    forceGc();
    const t0 = performance.now();
    for (let i = 0; i < CALLS; i++) await fn(i);
    return ((performance.now() - t0) * 1000) / CALLS;
  };
  const us: Record<'untraced' | 'memory' | 'spool', number[]> = { untraced: [], memory: [], spool: [] };
  const ratios: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    us.untraced.push(await loop(raw));
    for (const mode of ['memory', 'spool'] as const) {
      setActiveClient(coreOf(clients[mode]));
      us[mode].push(await loop(traced));
      await clients[mode].flush();
    }
    ratios.push((us.spool[r]! - us.untraced[r]!) / (us.memory[r]! - us.untraced[r]!));
  }
  const over = (m: 'memory' | 'spool'): number => median(us[m].map((v, i) => v - us.untraced[i]!));
  printTable(
    `per-call overhead, ${int(CALLS)} sequential calls x ${ROUNDS} rounds (medians)`,
    ['mode', 'us/call', 'overhead us/call', 'overhead vs memory mode'],
    [
      ['untraced', fmt(median(us.untraced), 2), '-', '-'],
      ['durability: memory (default)', fmt(median(us.memory), 2), fmt(over('memory'), 2), '1.00x'],
      ['durability: spool', fmt(median(us.spool), 2), fmt(over('spool'), 2), `${fmt(median(ratios), 2)}x`],
    ],
  );
  for (const c of Object.values(clients)) await c.finish();
  for (const d of spoolDirs) fs.rmSync(d, { recursive: true, force: true });
}

async function recovery(target: string, serverUrl: string): Promise<string[]> {
  const spoolDir = tmp('weft-bench-recover-');
  const writer = fork(fileURLToPath(new URL('./lib/spool-writer-main.js', import.meta.url)), [
    spoolDir,
    serverUrl,
    String(RECOVER),
  ]);
  await once(writer, 'exit');
  const bytes = du(spoolDir);
  const t0 = performance.now();
  const client = await init({ project: 'bench/spool-recovery', serverUrl, spoolDir, logger: quiet });
  const report = await client.flush({ timeoutMs: 600_000 });
  const secs = (performance.now() - t0) / 1000;
  const stats = client.stats();
  await client.finish();
  fs.rmSync(spoolDir, { recursive: true, force: true });
  return [
    target,
    int(RECOVER),
    int(stats.sent),
    `${fmt(bytes / 1048576, 1)} MiB`,
    fmt(secs, 2),
    int(stats.sent / secs),
    report.timedOut ? 'TIMED OUT' : 'ok',
  ];
}

function du(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) n += fs.statSync(path.join(e.parentPath, e.name)).size;
  }
  return n;
}

async function main(): Promise<void> {
  printHeader('spool-durability', [`calls: ${CALLS}, rounds: ${ROUNDS}, recovered records: ${RECOVER}`]);
  const receiver = await Receiver.start();
  await overhead(receiver);
  const rows = [await recovery('bench receiver', receiver.url)];
  await receiver.close();
  const dbDir = tmp('weft-bench-recover-db-');
  const server = await ServerProcess.start(path.join(dbDir, 'weft.db'));
  rows.push(await recovery('weft serve (SQLite)', server.url));
  await server.stop();
  fs.rmSync(dbDir, { recursive: true, force: true });
  printTable(
    'recovery: records left by a SIGKILLed process, sent by the next init()',
    ['to', 'records spooled', 'records sent', 'spool size', 'seconds', 'records/s', ''],
    rows,
  );
}

await main();
