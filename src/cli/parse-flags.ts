import { UsageError } from './usage-error.js';

/**
 * Runs a `node:util` parseArgs call (strict mode), turning its errors (unknown flag, missing value,
 * unexpected positional) into UsageErrors with a short message naming the command.
 */
export function parseFlags<T>(command: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (typeof e.code === 'string' && e.code.startsWith('ERR_PARSE_ARGS')) {
      const first = e.message.split('. ')[0] ?? e.message;
      throw new UsageError(`${command}: ${first.replace(/\.$/, '')} (see \`weft ${command} --help\`)`);
    }
    throw err;
  }
}
