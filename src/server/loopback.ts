import { isIP } from 'node:net';

/**
 * True for host names that can only mean this machine: `localhost` (and `*.localhost`), 127.0.0.0/8,
 * `::1` (with or without brackets) and IPv4-mapped loopback.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
  return false;
}
