import { hash, randomBytes } from 'node:crypto';

// A small, fast, seeded PRNG (mulberry32): the same seed gives the same
// sequence on every machine, which is what synthetic data needs.
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A version-4-shaped UUID named by a key (deterministic ids for replayable
 * data). Drawn from a hash, not from a 32-bit sequence: sequences of many
 * units overlap, and their draws would repeat ids.
 */
export function namedUuid(key: string): string {
  const b = hash('sha256', key, 'buffer').subarray(0, 16);
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

let lastMs = 0;
let seq = 0;
// Random bytes drawn 64 KiB at a time: a call to the system source per id
// was the largest cost of making ids for millions of rows.
let pool = Buffer.alloc(0);
let poolAt = 0;
function random8(): Buffer {
  if (poolAt + 8 > pool.length) {
    pool = randomBytes(65_536);
    poolAt = 0;
  }
  poolAt += 8;
  return pool.subarray(poolAt - 8, poolAt);
}
/**
 * A version-7 UUID (RFC 9562): milliseconds first, then a counter and random
 * bits, so ids made in a row sort in that order and bulk loads append to the
 * primary-key index instead of scattering over it.
 */
export function timeOrderedUuid(now = Date.now()): string {
  if (now <= lastMs) seq++;
  else {
    lastMs = now;
    seq = 0;
  }
  const ms = lastMs;
  const r = random8();
  const b = Buffer.alloc(16);
  b.writeUIntBE(ms, 0, 6);
  b[6] = 0x70 | ((seq >> 8) & 0x0f);
  b[7] = seq & 0xff;
  r.copy(b, 8);
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
