/**
 * Child process for spool-durability.ts: records `n` finished calls in `durability: 'spool'` mode
 * with sending held back (huge batch interval and size), then kills itself with SIGKILL, leaving
 * every record in the disk spool for the parent to recover. argv: spoolDir serverUrl n
 */
import { init, op } from '../../src/index.js';

const [spoolDir = '', serverUrl = '', n = '0'] = process.argv.slice(2);
await init({
  project: 'bench/spool-recovery',
  serverUrl,
  spoolDir,
  durability: 'spool',
  batchIntervalMs: 3_600_000,
  maxBatchSize: 10_000_000,
  logger: { warn: () => {} },
});
const step = op(async function step(i: number) {
  return { i, text: 'a typical short answer' };
});
for (let i = 0; i < Number(n); i++) await step(i);
process.kill(process.pid, 'SIGKILL');
