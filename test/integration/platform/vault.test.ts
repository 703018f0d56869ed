// The personal-data vault: authenticated encryption, keyed lookup hashes, phone
// normalisation and masking; then end to end, a phone number given to the API
// is shown masked, stored only encrypted (no plaintext in a database dump or in
// the embedded data files) and never logged.
import { execFile } from 'node:child_process';
import { createHmac, hkdfSync } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVault, maskPhone, normalizePhone } from '../../../src/platform/vault.ts';
import { backend, type Client, SECRET, startTestPlatform, type TestPlatform } from '../../support/platform.ts';

const PHONE = '0912345678';
const PHONE_FORMS = ['0912345678', '912345678', '+84912345678'];
const USERNAME = 'vault-phone-owner';

describe('vault primitives', () => {
  const vault = createVault(SECRET);

  it('encrypts and decrypts, with a fresh IV each time', () => {
    const plain = 'Nguyễn Thị Hương — 0912345678';
    const a = vault.encrypt(plain, 'users.phone:1');
    const b = vault.encrypt(plain, 'users.phone:1');
    expect(Buffer.isBuffer(a)).toBe(true);
    expect(a.equals(b)).toBe(false);
    expect(a.includes(Buffer.from(plain))).toBe(false);
    expect(a.includes(Buffer.from('0912345678'))).toBe(false);
    // version byte + 12-byte IV + 16-byte tag + the body
    expect(a.length).toBe(1 + 12 + 16 + Buffer.byteLength(plain));
    expect(vault.decrypt(a, 'users.phone:1')).toBe(plain);
    expect(vault.decrypt(b, 'users.phone:1')).toBe(plain);
    expect(vault.decrypt(vault.encrypt('', 'x'), 'x')).toBe('');
  });

  it('refuses another context', () => {
    const blob = vault.encrypt('0912345678', 'users.phone:1');
    expect(() => vault.decrypt(blob, 'users.phone:2')).toThrow();
    expect(() => vault.decrypt(blob, '')).toThrow();
  });

  it('refuses any flipped byte (IV, tag, body) and an unknown version', () => {
    const blob = vault.encrypt('0912345678', 'ctx');
    for (const i of [1, 12, 13, 28, 29, blob.length - 1]) {
      const bad = Buffer.from(blob);
      bad[i] = (bad[i] as number) ^ 0x01;
      expect(() => vault.decrypt(bad, 'ctx'), `byte ${i}`).toThrow();
    }
    const v2 = Buffer.from(blob);
    v2[0] = 2;
    expect(() => vault.decrypt(v2, 'ctx')).toThrow(/version/);
    expect(() => vault.decrypt(blob.subarray(0, blob.length - 1), 'ctx')).toThrow();
  });

  it('binds each ciphertext to its own context, long or short, one after another', () => {
    const long = `service_events.citizen:${'Đông Hà '.repeat(60)}`;
    const contexts = ['ctx:1', long, 'ctx:2', `${long}x`, 'ctx:1'];
    const blobs = contexts.map((c) => vault.encrypt('{"n":"Nguyễn Thị Ánh","p":"0912345678"}', c));
    blobs.forEach((blob, i) => {
      expect(blob[0]).toBe(1);
      expect(vault.decrypt(blob, contexts[i] as string)).toBe('{"n":"Nguyễn Thị Ánh","p":"0912345678"}');
    });
    // a longer context, read after a shorter one, is not cut to its length (and the reverse)
    expect(() => vault.decrypt(blobs[1] as Buffer, 'ctx:1')).toThrow();
    expect(() => vault.decrypt(blobs[3] as Buffer, long)).toThrow();
    expect(() => vault.decrypt(blobs[0] as Buffer, 'ctx:2')).toThrow();
    expect(vault.encrypt('same', 'ctx')).not.toEqual(vault.encrypt('same', 'ctx'));
  });

  it('refuses a blob made with another secret key', () => {
    const other = createVault(`${SECRET}-other`);
    expect(() => other.decrypt(vault.encrypt('0912345678', 'ctx'), 'ctx')).toThrow();
  });

  it('keyed hash: deterministic, separated by kind and by secret key', () => {
    const h = vault.hash('0912345678', 'phone');
    expect(h).toHaveLength(32);
    expect(vault.hash('0912345678', 'phone').equals(h)).toBe(true);
    expect(createVault(SECRET).hash('0912345678', 'phone').equals(h)).toBe(true);
    expect(vault.hash('0912345679', 'phone').equals(h)).toBe(false);
    expect(vault.hash('0912345678', 'name').equals(h)).toBe(false);
    expect(createVault(`${SECRET}-other`).hash('0912345678', 'phone').equals(h)).toBe(false);
  });

  it('keyed hash is HMAC-SHA-256 exactly, for short, long and Vietnamese input (stored hashes stay valid)', () => {
    const macKey = Buffer.from(hkdfSync('sha256', Buffer.from(SECRET), Buffer.alloc(0), 'mscore vault lookup hash v1', 32));
    for (const value of ['', '0912345678', 'Nguyễn Thị Ánh Tuyết', 'đ'.repeat(700), 'x'.repeat(5000), 'a'.repeat(100)]) {
      const expected = createHmac('sha256', macKey).update(`kind\u0000${value}`).digest();
      expect(vault.hash(value, 'kind').equals(expected), `length ${value.length}`).toBe(true);
      expect(vault.hashHex(value, 'kind')).toBe(expected.toString('hex'));
    }
  });

  it('normalizes Vietnamese phone numbers as people write them', () => {
    const mobile = { national: '0912345678', e164: '+84912345678', mobile: true };
    expect(normalizePhone('0912 345 678')).toEqual(mobile);
    expect(normalizePhone('0912345678')).toEqual(mobile);
    expect(normalizePhone('0912.345.678')).toEqual(mobile);
    expect(normalizePhone('(091) 234-5678')).toEqual(mobile);
    expect(normalizePhone('+84912345678')).toEqual(mobile);
    expect(normalizePhone('+84 912 345 678')).toEqual(mobile);
    expect(normalizePhone('84912345678')).toEqual(mobile);
    // Old 11-digit mobile prefixes (before 2018).
    expect(normalizePhone('01662345678')).toEqual({ national: '0362345678', e164: '+84362345678', mobile: true });
    expect(normalizePhone('0166 234 5678')?.national).toBe('0362345678');
    expect(normalizePhone('+841662345678')?.national).toBe('0362345678');
    expect(normalizePhone('01202345678')?.national).toBe('0702345678');
    // A landline is a number, but not a mobile.
    expect(normalizePhone('0236 3822 222')).toEqual({ national: '02363822222', e164: '+842363822222', mobile: false });
  });

  it('rejects junk', () => {
    for (const junk of [
      '',
      'abc',
      '12345',
      '0912',
      '0912345678x',
      '091234567890123',
      '+12025550100',
      '0000000000',
      '0123456789',
      '09123456789',
      'không có',
    ]) {
      expect(normalizePhone(junk), JSON.stringify(junk)).toBeUndefined();
    }
  });

  it('masks a phone number', () => {
    expect(maskPhone('0912345678')).toBe('091***5678');
    expect(maskPhone('02363822222')).toBe('023***2222');
    expect(maskPhone('123')).toBe('***');
  });
});

describe('phone numbers end to end', () => {
  let tp: TestPlatform;
  let admin: Client;
  let userId: string;

  beforeAll(async () => {
    tp = await startTestPlatform();
    admin = await tp.admin();
  });

  afterAll(async () => {
    await tp?.stop();
  });

  it('an invalid phone number is refused and creates nothing', async () => {
    const r = await admin.post('/api/v1/users', {
      username: 'vault-bad-phone',
      displayName: 'Bad',
      password: 'a-long-password-1',
      phone: '0912',
    });
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('phone.invalid');
    expect(
      await tp.ctx.db.selectFrom('users').select('id').where('username', '=', 'vault-bad-phone').executeTakeFirst(),
    ).toBeUndefined();
  });

  it('POST /api/v1/users answers with the masked phone only', async () => {
    const r = await admin.post('/api/v1/users', {
      username: USERNAME,
      displayName: 'Phone Owner',
      password: 'a-long-password-2',
      phone: PHONE,
    });
    expect(r.status).toBe(201);
    expect(r.body.phoneMasked).toBe('091***5678');
    for (const p of PHONE_FORMS) expect(r.text).not.toContain(p);
    userId = r.body.id;
  });

  it('GET /api/v1/users shows phoneMasked and the number nowhere', async () => {
    const r = await admin.get('/api/v1/users');
    expect(r.status).toBe(200);
    const u = r.body.find((x: { username: string }) => x.username === USERNAME);
    expect(u).toMatchObject({ id: userId, phoneMasked: '091***5678' });
    expect(r.body.find((x: { username: string }) => x.username === 'admin').phoneMasked).toBeNull();
    for (const p of PHONE_FORMS) expect(r.text).not.toContain(p);
  });

  it('stores the phone encrypted, bound to the user, with a keyed hash for lookups', async () => {
    const row = await tp.ctx.db
      .selectFrom('users')
      .select(['phone_enc', 'phone_hash'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    // PGlite returns bytea as a Uint8Array, node-postgres as a Buffer.
    const enc = Buffer.from(row.phone_enc as Uint8Array);
    expect(enc.length).toBe(1 + 12 + 16 + PHONE.length);
    expect(enc.includes(Buffer.from('912345678'))).toBe(false);
    expect(tp.ctx.vault.decrypt(enc, `users.phone:${userId}`)).toBe(PHONE);
    // A blob copied to another user's row cannot be read there.
    const admin = await tp.ctx.db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow();
    expect(() => tp.ctx.vault.decrypt(enc, `users.phone:${admin.id}`)).toThrow();
    // The same number as written differently finds the user through the hash.
    const key = tp.ctx.vault.hash((normalizePhone('+84 912 345 678') as { national: string }).national, 'phone');
    expect(Buffer.from(row.phone_hash as Uint8Array).equals(key)).toBe(true);
    const found = await tp.ctx.db.selectFrom('users').select('username').where('phone_hash', '=', key).execute();
    expect(found.map((f) => f.username)).toEqual([USERNAME]);
    // The audit row says a phone was set, not which.
    const a = await tp.ctx.db.selectFrom('audit_log').select('details').where('object_id', '=', userId).executeTakeFirstOrThrow();
    expect(a.details).toEqual({ username: USERNAME, phone: 'set' });
  });

  it.runIf(backend === 'postgres')('no plaintext phone in a pg_dump of the database', async () => {
    const pgDump = ['/usr/lib/postgresql/15/bin/pg_dump', '/usr/bin/pg_dump'].find((p) => existsSync(p)) ?? 'pg_dump';
    const dump = await new Promise<string>((resolve, reject) => {
      execFile(
        pgDump,
        ['--no-owner', '--dbname', tp.tdb.url as string],
        { maxBuffer: 512 * 1024 * 1024, timeout: 60_000 },
        (err, stdout, stderr) => (err ? reject(new Error(`pg_dump failed: ${err.message}\n${stderr}`)) : resolve(stdout)),
      );
    });
    // The dump is real: it holds the user row and the audit row.
    expect(dump).toContain(USERNAME);
    expect(dump).toContain('COPY public.users');
    for (const p of PHONE_FORMS) expect(dump.includes(p), `dump contains ${p}`).toBe(false);
  });

  it.runIf(backend === 'pglite')('no plaintext phone in any file of the embedded data directory', async () => {
    await sql`checkpoint`.execute(tp.ctx.db);
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.isFile()) files.push(p);
      }
    };
    walk(tp.config.dataDir);
    expect(files.length).toBeGreaterThan(100);
    const needles = PHONE_FORMS.map((p) => Buffer.from(p));
    let usernameSeen = 0;
    const hits: string[] = [];
    for (const f of files) {
      const data = readFileSync(f);
      if (data.includes(USERNAME)) usernameSeen++;
      for (const n of needles) if (data.includes(n)) hits.push(`${path.relative(tp.config.dataDir, f)}: ${n}`);
    }
    // The scan is real: the username written with the phone is found on disk.
    expect(usernameSeen).toBeGreaterThan(0);
    expect(hits).toEqual([]);
  });

  it('no log line holds a phone number', () => {
    expect(tp.logLines.length).toBeGreaterThan(0);
    expect(tp.logLines.join('')).toContain('/api/v1/users');
    const leaks = tp.logLines.filter((l) => /\b0\d{9}\b/.test(l) || PHONE_FORMS.some((p) => l.includes(p)));
    expect(leaks).toEqual([]);
  });
});
