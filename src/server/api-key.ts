import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Every key weft issues starts with this, so a leaked key is recognisable (secret scanners, logs). */
export const API_KEY_PREFIX = 'weft_';

/** A fresh API key: `weft_` + 32 random bytes in base64url. Only its hash is ever stored. */
export function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** sha256 hex of a key, as stored by `TraceStore.createApiKey`. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Compares two sha256 hex hashes in constant time. */
export function keyHashesEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === 32 && y.length === 32 && timingSafeEqual(x, y);
}
