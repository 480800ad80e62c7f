import { parseArgs } from 'node:util';
import { InvalidOptionError } from '../shared/errors.js';
import { generateApiKey, hashApiKey } from '../server/api-key.js';
import { openStore } from '../server/open-store.js';
import { resolveDbPath, resolveStoreConfig } from '../server/server-config.js';
import { isProjectId } from '../shared/project-id.js';
import { STORE_FLAG_OPTIONS } from './store-flags.js';
import { parseFlags } from './parse-flags.js';
import { UsageError } from './usage-error.js';
import { KEYS_USAGE } from './usage.js';

/**
 * `weft keys create --project P [--db FILE]`: prints a fresh key on stdout (nothing else, so it can be
 * captured by a script); only its sha256 is stored.
 */
export async function runKeys(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === '--help' || sub === '-h') {
    process.stdout.write(KEYS_USAGE);
    return 0;
  }
  if (sub !== 'create') {
    throw new UsageError(
      sub === undefined
        ? 'keys: missing subcommand (try `weft keys create --project entity/project`)'
        : `keys: unknown subcommand ${JSON.stringify(sub)}`,
    );
  }
  const { values, positionals } = parseFlags('keys create', () =>
    parseArgs({
      args: rest,
      strict: true,
      allowPositionals: true,
      options: { project: { type: 'string' }, ...STORE_FLAG_OPTIONS, help: { type: 'boolean', short: 'h' } },
    }),
  );
  if (values.help) {
    process.stdout.write(KEYS_USAGE);
    return 0;
  }
  if (positionals.length > 0) {
    throw new UsageError(`keys create: unexpected argument ${JSON.stringify(positionals[0])}`);
  }
  const project = values.project;
  if (project === undefined) throw new UsageError('keys create: --project entity/project is required');
  if (!isProjectId(project))
    throw new InvalidOptionError('--project', project, 'a project id of the form entity/project');
  const db = resolveDbPath(values.db);
  const storeConfig = resolveStoreConfig(values);
  const where = storeConfig.clickhouse ? `ClickHouse database ${storeConfig.clickhouse.database}` : db;

  const store = await openStore(db, storeConfig);
  try {
    const key = generateApiKey();
    await store.createApiKey(project, hashApiKey(key));
    process.stdout.write(`${key}\n`);
    process.stderr.write(
      `weft: created an API key for ${project} in ${where}. It is shown only this once; store it safely.\n`,
    );
  } finally {
    await store.close();
  }
  return 0;
}
