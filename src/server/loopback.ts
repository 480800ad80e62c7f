import { isIP } from 'node:net';

/**
 * True for host names that should only mean this machine (a name still has to resolve to loopback
 * addresses: see {@link isLoopbackAddress} and bind-address.ts): `localhost` (and `*.localhost`), 127.0.0.0/8,
 * `::1` (with or without brackets) and IPv4-mapped loopback.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
  return false;
}

/** True for a loopback IP address: 127.0.0.0/8, `::1` and IPv4-mapped loopback. False for any name. */
export function isLoopbackAddress(address: string): boolean {
  return isIP(address.replace(/^\[(.*)\]$/, '$1')) !== 0 && isLoopbackHost(address);
}
