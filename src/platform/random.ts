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

const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

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
  const r = random8();
  // Hex by table, straight into the text: no buffer per id.
  const ms = lastMs;
  const hi = Math.floor(ms / 2 ** 16);
  const h = (n: number) => HEX2[n & 0xff] as string;
  return `${h(hi >>> 24)}${h(hi >>> 16)}${h(hi >>> 8)}${h(hi)}-${h(ms >>> 8)}${h(ms)}-${h(0x70 | ((seq >> 8) & 0x0f))}${h(seq)}-${h(((r[0] as number) & 0x3f) | 0x80)}${h(r[1] as number)}-${h(r[2] as number)}${h(r[3] as number)}${h(r[4] as number)}${h(r[5] as number)}${h(r[6] as number)}${h(r[7] as number)}`;
}
