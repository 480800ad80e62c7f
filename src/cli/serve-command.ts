import { parseArgs } from 'node:util';
import { resolveServerConfig, resolveStoreConfig, resolveStreamConfig } from '../server/server-config.js';
import { STORE_FLAG_OPTIONS } from './store-flags.js';
import { startServer } from '../server/start-server.js';
import { parseFlags } from './parse-flags.js';
import { UsageError } from './usage-error.js';
import { SERVE_USAGE } from './usage.js';

/**
 * `weft serve`: starts the server, prints `weft serving on <url> (store: <kind>, db: <path>)` once it
 * listens, and on SIGINT/SIGTERM finishes in-flight requests, closes the store and returns 0.
 * A second signal during shutdown exits at once with code 1.
 */
export async function runServe(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags('serve', () =>
    parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        insecure: { type: 'boolean' },
        ...STORE_FLAG_OPTIONS,
        help: { type: 'boolean', short: 'h' },
      },
    }),
  );
  if (values.help) {
    process.stdout.write(SERVE_USAGE);
    return 0;
  }
  if (positionals.length > 0)
    throw new UsageError(`serve: unexpected argument ${JSON.stringify(positionals[0])}`);
  const config = resolveServerConfig(values);
  const storeConfig = resolveStoreConfig(values);

  const signal = waitForSignal();
  const server = await startServer({ ...config, ...storeConfig, streams: resolveStreamConfig() });
  const ch = storeConfig.clickhouse;
  const where = ch ? `${new URL(ch.url).origin}, database: ${ch.database}` : `db: ${config.db}`;
  process.stdout.write(`weft serving on ${server.url} (store: ${server.store.kind}, ${where})\n`);
  if (config.insecure && !server.loopback && !(await server.store.hasApiKeys())) {
    process.stderr.write(
      `weft: WARNING: --insecure: anyone who can reach ${server.url} can read and write traces\n`,
    );
  }

  const received = await signal;
  process.stderr.write(`weft: ${received} received, finishing in-flight requests\n`);
  const force = (second: NodeJS.Signals) => {
    process.stderr.write(`weft: ${second} received again, exiting now\n`);
    process.exit(1);
  };
  process.once('SIGINT', force);
  process.once('SIGTERM', force);
  await server.close();
  process.stderr.write('weft: stopped\n');
  return 0;
}

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}
