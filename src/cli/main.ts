#!/usr/bin/env node
import { InvalidOptionError, StoreError, ValidationError } from '../shared/errors.js';
import { packageVersion } from '../server/package-version.js';
import { ServerStartError } from '../server/server-start-error.js';
import { runKeys } from './keys-command.js';
import { runServe } from './serve-command.js';
import { runSpool } from './spool-command.js';
import { UsageError } from './usage-error.js';
import { MAIN_USAGE } from './usage.js';

/** Commands by name; each takes the arguments after its name and resolves to an exit code. */
const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  serve: runServe,
  keys: runKeys,
  spool: runSpool,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(MAIN_USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const run = COMMANDS[command];
  if (!run) throw new UsageError(`unknown command ${JSON.stringify(command)} (see \`weft --help\`)`);
  return run(args);
}

/** 2 for anything the user can fix on the command line or in the setup; 1 for bugs. */
function exitCodeFor(err: unknown): number {
  if (
    err instanceof UsageError ||
    err instanceof InvalidOptionError ||
    err instanceof ValidationError ||
    err instanceof ServerStartError ||
    (err instanceof StoreError && (err.code === 'STORE_OPEN_FAILED' || err.code === 'STORE_SCHEMA_TOO_NEW'))
  ) {
    return 2;
  }
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const code = exitCodeFor(err);
    const detail = code === 1 && err instanceof Error ? (err.stack ?? err.message) : (err as Error).message;
    process.stderr.write(`weft: ${detail}\n`);
    process.exit(code);
  },
);
