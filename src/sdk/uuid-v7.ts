import { randomFillSync } from 'node:crypto';

/**
 * UUIDv7 (RFC 9562): 48-bit millisecond timestamp, then random bits, so ids sort by creation time.
 * Random bytes are drawn from a pooled buffer to keep the hot path cheap.
 */
const POOL_SIZE = 16 * 256;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let poolOffset = POOL_SIZE;
const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

let lastMs = 0;
let seq = 0;

export function uuidv7(): string {
  if (poolOffset + 10 > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  let ms = Date.now();
  // Keep ids monotonic within a process: a 12-bit sequence in rand_a when the clock has not moved.
  if (ms <= lastMs) {
    seq++;
    if (seq > 0xfff) {
      lastMs++;
      seq = 0;
    }
    ms = lastMs;
  } else {
    lastMs = ms;
    seq = pool[poolOffset]! & 0x3ff; // start low so the sequence rarely overflows
  }
  const o = poolOffset;
  poolOffset += 10;
  const hi = Math.floor(ms / 0x100000000);
  const lo = ms >>> 0;
  return (
    HEX[(hi >>> 8) & 0xff]! +
    HEX[hi & 0xff]! +
    HEX[(lo >>> 24) & 0xff]! +
    HEX[(lo >>> 16) & 0xff]! +
    '-' +
    HEX[(lo >>> 8) & 0xff]! +
    HEX[lo & 0xff]! +
    '-' +
    HEX[0x70 | ((seq >>> 8) & 0x0f)]! +
    HEX[seq & 0xff]! +
    '-' +
    HEX[0x80 | (pool[o + 1]! & 0x3f)]! +
    HEX[pool[o + 2]!]! +
    '-' +
    HEX[pool[o + 3]!]! +
    HEX[pool[o + 4]!]! +
    HEX[pool[o + 5]!]! +
    HEX[pool[o + 6]!]! +
    HEX[pool[o + 7]!]! +
    HEX[pool[o + 8]!]!
  );
}
