import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isLoopbackAddress, isLoopbackHost } from './loopback.js';
import { ServerStartError } from './server-start-error.js';

/** Where `startServer` listens: the host as given, and what it resolves to. */
export interface BindAddress {
  host: string;
  /** Every address the host resolves to (the host itself for an IP), in resolver order. */
  addresses: string[];
  /** What to listen on: the first address, as `server.listen(port, host)` would pick. */
  listenOn: string;
  /** The host names loopback (`localhost`, `*.localhost`, 127.0.0.0/8, `::1`) and resolves only to loopback. */
  loopback: boolean;
}

/**
 * Resolves `host` once (all addresses) and decides whether it is loopback: a loopback *name* must also
 * resolve to loopback addresses only, or `--host evil.localhost` pointing at a public address would be
 * served without API keys. Listening on the resolved address means the name is not resolved again.
 * An unresolvable host is a ServerStartError `LISTEN_FAILED`; see {@link checkLoopbackBind}.
 */
export async function resolveBindAddress(
  host: string,
  port: number,
  insecure: boolean,
): Promise<BindAddress> {
  let addresses: string[];
  if (isIP(host) !== 0) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true })).map((a) => a.address);
    } catch (err) {
      throw new ServerStartError(
        `cannot listen on ${host}:${port}: address ${host} is not available here (${(err as Error).message})`,
        'LISTEN_FAILED',
        { cause: err },
      );
    }
  }
  const [listenOn] = addresses;
  if (listenOn === undefined) {
    throw new ServerStartError(
      `cannot listen on ${host}:${port}: ${host} resolves to no address`,
      'LISTEN_FAILED',
    );
  }
  return { host, addresses, listenOn, loopback: checkLoopbackBind(host, addresses, insecure) };
}

/**
 * Whether serving on `host`, which resolved to `addresses`, is a loopback bind. A host that names
 * loopback but resolves (also) to another address is refused (ServerStartError `INSECURE_BIND`, naming
 * the host and the addresses) unless `insecure`, the explicit opt-in to a non-loopback bind; it is
 * then not loopback. Other hosts are loopback only if they are loopback IPs.
 */
export function checkLoopbackBind(host: string, addresses: readonly string[], insecure: boolean): boolean {
  if (!isLoopbackHost(host)) return false;
  const outside = addresses.filter((a) => !isLoopbackAddress(a));
  if (outside.length === 0 && addresses.length > 0) return true;
  if (!insecure) {
    throw new ServerStartError(
      `refusing to serve on ${host}: it resolves to ${outside.join(', ') || 'no address'}, which is not ` +
        'a loopback address. Bind to 127.0.0.1, or pass --insecure to serve on it anyway.',
      'INSECURE_BIND',
    );
  }
  return false;
}
