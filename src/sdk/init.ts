import { setActiveClient } from './client-registry.js';
import { resolveClientOptions, type InitOptions } from './client-options.js';
import { WeftClient } from './client.js';

/**
 * Creates the client that `op` records to. Throws a WeftError (InvalidOptionError) naming the option
 * and value if an option is invalid; never contacts the server, so tracing starts even while it is down.
 */
export async function init(options: InitOptions = {}): Promise<WeftClient> {
  const client = new WeftClient(resolveClientOptions(options));
  setActiveClient(client);
  return client;
}
