// Identifiers for actions and checks: a time part (sortable, base 36) and a random part drawn from a pooled buffer.
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

/**
 * `bytes` cryptographically random bytes as hex. The bytes come from a 4 KB buffer refilled in one call when used up:
 * a system call per identifier (what randomBytes(n) costs) was ~16 µs of CPU per request on a 2-core VM.
 */
export function randomHex(bytes: number): string {
  if (bytes > POOL_BYTES) throw new RangeError(`at most ${POOL_BYTES} random bytes at a time`);
  if (offset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}

/** `<prefix>_<ms since epoch, base 36><random hex>`, e.g. act_mwwugcqw1ef3e4096ff78433. */
export function newId(prefix: 'act' | 'chk', randomBytes: number): string {
  return `${prefix}_${Date.now().toString(36)}${randomHex(randomBytes)}`;
}
