import { parseArgs } from 'node:util';
import { CallPipeline } from '../pipeline/call-pipeline.js';
import { PIPELINE_DEFAULTS } from '../pipeline/pipeline-defaults.js';
import { consoleLogger } from '../pipeline/rate-limited-logger.js';
import { spoolInventory, type SpoolEntry } from '../pipeline/spool/spool-inventory.js';
import { CLIENT_DEFAULTS } from '../sdk/client-options.js';
import { readSdkEnv } from '../sdk/sdk-env.js';
import { parseFlags } from './parse-flags.js';
import { UsageError } from './usage-error.js';

export const SPOOL_USAGE = `Usage: weft spool <status|replay> [options]

Records the SDK could not deliver yet (server unreachable, memory pressure, a crash or
process.exit()) wait in the disk spool; the next init() for the same project and server sends them.

  weft spool status [--dir DIR]                 what waits, per project and server
  weft spool replay [--dir DIR] [--project P]   send it now, to the server it was meant for
                    [--api-key KEY]

Options:
  --dir DIR          spool root (env WEFT_SPOOL_DIR; default .weft/spool)
  --project P        only this entity/project
  --api-key KEY      API key (env WEFT_API_KEY)
`;

export async function runSpool(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    process.stdout.write(SPOOL_USAGE);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'status' && sub !== 'replay')
    throw new UsageError(`spool: unknown subcommand ${JSON.stringify(sub)}`);
  const { values } = parseFlags(`spool ${sub}`, () =>
    parseArgs({
      args: rest,
      strict: true,
      options: {
        dir: { type: 'string' },
        project: { type: 'string' },
        'api-key': { type: 'string' },
      },
    }),
  );
  const env = readSdkEnv();
  const root = values.dir ?? env.spoolDir ?? CLIENT_DEFAULTS.spoolDir;
  const entries = spoolInventory(root).filter((e) => !values.project || e.projectId === values.project);
  if (sub === 'status') {
    printStatus(root, entries);
    return 0;
  }
  let failed = 0;
  for (const entry of entries) {
    if (entry.records === 0) continue;
    failed += await replay(entry, values['api-key'] ?? env.apiKey, root);
  }
  return failed > 0 ? 1 : 0;
}

function printStatus(root: string, entries: SpoolEntry[]): void {
  if (entries.length === 0) {
    process.stdout.write(`nothing spooled under ${root}\n`);
    return;
  }
  const rows = [['project', 'server', 'records', 'bytes', 'dead letters'] as string[]];
  for (const e of entries)
    rows.push([e.projectId, e.serverUrl, String(e.records), String(e.bytes), String(e.deadLetters)]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) process.stdout.write(r.map((c, i) => c.padEnd(widths[i]!)).join('  ') + '\n');
}

async function replay(entry: SpoolEntry, apiKey: string | undefined, root: string): Promise<number> {
  const pipeline = new CallPipeline({
    ...PIPELINE_DEFAULTS,
    projectId: entry.projectId,
    serverUrl: entry.serverUrl,
    apiKey,
    logger: consoleLogger,
    spoolDir: root,
    durability: 'memory',
  });
  const t0 = performance.now();
  pipeline.recover();
  const report = await pipeline.finish({ pairingTimeoutMs: 0, timeoutMs: 600_000 });
  const secs = (performance.now() - t0) / 1000;
  // With the server unreachable, finish() resolves once the records are back on disk: count what is left.
  const left = spoolInventory(root).find((e) => e.dir === entry.dir)?.records ?? 0;
  process.stdout.write(
    `${entry.projectId} -> ${entry.serverUrl}: sent ${report.accepted} records in ${secs.toFixed(1)} s` +
      (left > 0 || report.timedOut ? `, ${left} still waiting (server unreachable?)` : '') +
      '\n',
  );
  return report.timedOut || left > 0 || report.undeliverable > 0 ? 1 : 0;
}
