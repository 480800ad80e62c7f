import { brotliDecompressSync, gunzipSync } from 'node:zlib';

/** A request body as sent, decompressed by its `Content-Encoding` (brotli, gzip, or none). */
export function decodeBody(encoding: string | string[] | undefined, raw: Buffer): Buffer {
  if (encoding === 'br') return brotliDecompressSync(raw);
  if (encoding === 'gzip') return gunzipSync(raw);
  return raw;
}
