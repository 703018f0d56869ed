// Personal-data vault: authenticated encryption (AES-256-GCM) of names and
// phone numbers, keyed hashes (HMAC-SHA-256) for equality lookups, masking.
// Keys are derived from MSCORE_SECRET_KEY and live only in process memory.
import { createCipheriv, createDecipheriv, createSecretKey, hash, hkdfSync, randomBytes } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

const VERSION = 1;

export type Vault = {
  encrypt(plain: string, context: string): Buffer;
  decrypt(blob: Buffer, context: string): string;
  /** Keyed hash for equality lookups; `kind` separates e.g. phones from names. */
  hash(value: string, kind: string): Buffer;
  hashHex(value: string, kind: string): string;
};

/**
 * HMAC-SHA-256 as two one-shot hashes over the padded key and the data, written
 * into reused buffers, the inner digest as binary (latin1) text and the outer one as hex:
 * the same result as createHmac at a small part of its cost (bulk imports hash
 * every row twice, and a Buffer per digest costs more than the hash).
 */
function hmacFactory(key: Buffer): (data: string) => string {
  const block = Buffer.alloc(64);
  key.copy(block);
  let inner = Buffer.alloc(64 + 1024);
  block.forEach((b, i) => {
    inner[i] = b ^ 0x36;
  });
  const outer = Buffer.alloc(64 + 32);
  block.forEach((b, i) => {
    outer[i] = b ^ 0x5c;
  });
  return (data) => {
    // Up to 3 bytes per UTF-16 unit: grow the buffer rather than truncate.
    if (64 + data.length * 3 > inner.length) {
      const bigger = Buffer.alloc(64 + data.length * 3);
      inner.copy(bigger, 0, 0, 64);
      inner = bigger;
    }
    const n = inner.write(data, 64, 'utf8');
    outer.write(hash('sha256', inner.subarray(0, 64 + n), 'binary'), 64, 'latin1');
    return hash('sha256', outer, 'hex');
  };
}

/** Random IVs drawn in bulk: one system call per 4,096 encryptions. */
function ivSource(): () => Buffer {
  let pool = Buffer.alloc(0);
  let offset = 0;
  return () => {
    if (offset + 12 > pool.length) {
      pool = randomBytes(12 * 4096);
      offset = 0;
    }
    offset += 12;
    return pool.subarray(offset - 12, offset);
  };
}

export function createVault(secret: string): Vault {
  const ikm = Buffer.from(secret, 'utf8');
  // A KeyObject made once: a raw key buffer would be imported again on every call.
  const encKey = createSecretKey(Buffer.from(hkdfSync('sha256', ikm, Buffer.alloc(0), 'mscore vault encryption v1', 32)));
  const macKey = Buffer.from(hkdfSync('sha256', ikm, Buffer.alloc(0), 'mscore vault lookup hash v1', 32));
  const hmac = hmacFactory(macKey);
  const nextIv = ivSource();
  // The context as bytes in a reused buffer: one allocation less per encryption.
  let aad = Buffer.alloc(256);
  const encrypt = (plain: string, context: string): Buffer => {
    if (context.length * 3 > aad.length) aad = Buffer.alloc(context.length * 3);
    const iv = nextIv();
    const cipher = createCipheriv('aes-256-gcm', encKey, iv);
    cipher.setAAD(aad.subarray(0, aad.write(context, 'utf8')));
    const body = cipher.update(plain, 'utf8');
    cipher.final();
    const tag = cipher.getAuthTag();
    // version (1 byte), IV (12), tag (16), ciphertext
    const out = Buffer.allocUnsafe(29 + body.length);
    out[0] = VERSION;
    iv.copy(out, 1);
    tag.copy(out, 13);
    body.copy(out, 29);
    return out;
  };
  const hashHex = (value: string, kind: string) => hmac(`${kind}\u0000${value}`);
  return {
    encrypt,
    decrypt(blob, context) {
      if (blob[0] !== VERSION) throw new Error('vault: unknown ciphertext version');
      const decipher = createDecipheriv('aes-256-gcm', encKey, blob.subarray(1, 13));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(blob.subarray(13, 29));
      return Buffer.concat([decipher.update(blob.subarray(29)), decipher.final()]).toString('utf8');
    },
    hash: (value, kind) => Buffer.from(hashHex(value, kind), 'hex'),
    hashHex,
  };
}

// Pre-2018 11-digit mobile prefixes and their 10-digit replacements.
const LEGACY_PREFIXES: Record<string, string> = {
  '0162': '032',
  '0163': '033',
  '0164': '034',
  '0165': '035',
  '0166': '036',
  '0167': '037',
  '0168': '038',
  '0169': '039',
  '0120': '070',
  '0121': '079',
  '0122': '077',
  '0126': '076',
  '0128': '078',
  '0123': '083',
  '0124': '084',
  '0125': '085',
  '0127': '081',
  '0129': '082',
  '0186': '056',
  '0188': '058',
  '0199': '059',
};

export type Phone = { national: string; e164: string; mobile: boolean };

/**
 * Normalises a Vietnamese phone number as people write it (spaces, dots, +84,
 * 84, old 11-digit mobile prefixes). Returns undefined when it is not a number.
 */
export function normalizePhone(raw: string): Phone | undefined {
  let digits = raw.replace(/[\s.\-()]/g, '');
  if (digits.startsWith('+840'))
    digits = digits.slice(3); // "+84 0912…": a common slip
  else if (digits.startsWith('+84')) digits = `0${digits.slice(3)}`;
  else if (/^84\d{9,10}$/.test(digits)) digits = `0${digits.slice(2)}`;
  if (!/^0\d{9,10}$/.test(digits)) return undefined;
  if (digits.length === 11) {
    const next = LEGACY_PREFIXES[digits.slice(0, 4)];
    if (next) digits = next + digits.slice(4);
  }
  // Vietnam's plan is prefix-based: validity and kind follow from the first four
  // digits and the length, so the metadata is asked once per prefix (bulk imports).
  const key = `${digits.slice(0, 4)}:${digits.length}`;
  let kind = prefixKinds.get(key);
  if (kind === undefined) {
    const parsed = parsePhoneNumberFromString(digits, 'VN');
    const type = parsed?.isValid() ? parsed.getType() : undefined;
    kind = type === undefined ? 'invalid' : type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE' ? 'mobile' : 'other';
    if (prefixKinds.size < 10_000) prefixKinds.set(key, kind);
  }
  if (kind === 'invalid') return undefined;
  return { national: digits, e164: `+84${digits.slice(1)}`, mobile: kind === 'mobile' };
}

const prefixKinds = new Map<string, 'mobile' | 'other' | 'invalid'>();

/** `0912345678` -> `091***5678`. */
export function maskPhone(national: string): string {
  if (national.length < 8) return '***';
  return `${national.slice(0, 3)}***${national.slice(-4)}`;
}
