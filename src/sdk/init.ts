import { setActiveClient } from './client-registry.js';
import { resolveClientOptions, type InitOptions } from './client-options.js';
import { WeftClient, coreOf } from './client.js';

/**
 * Creates the client that `op` records to. Throws a WeftError (InvalidOptionError) naming the option
 * and value if an option is invalid. Never waits on the server, so tracing starts even while it is down;
 * records an earlier process left in the spool (crash, kill, `process.exit()`) are sent in the background.
 */
export async function init(options: InitOptions = {}): Promise<WeftClient> {
  const client = new WeftClient(resolveClientOptions(options));
  const core = coreOf(client);
  setActiveClient(core);
  core.recover(); // what an earlier process left in the spool for this project and server
  return client;
}
