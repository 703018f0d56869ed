import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { THROTTLE } from '../../../src/platform/auth/throttle.ts';
import { ADMIN_PASSWORD, Client, startTestPlatform, type TestPlatform, userWithRole } from '../../support/platform.ts';

let tp: TestPlatform;
// trustProxy lets a test speak from several addresses through X-Forwarded-For.
beforeAll(async () => {
  tp = await startTestPlatform({ trustProxy: true });
});
afterAll(async () => tp?.stop());

const from = (ip: string) => ({ 'x-forwarded-for': ip });

describe('login and sessions', () => {
  it('logs in with a session cookie and rejects a wrong password with 401 problem+json', async () => {
    const c = tp.client();
    const ok = await c.login('admin', ADMIN_PASSWORD, from('192.0.2.1'));
    expect(ok.status).toBe(200);
    expect(ok.body.user.username).toBe('admin');
    expect(ok.headers.get('set-cookie')).toMatch(/mscore_session=[\w-]{40,};.*HttpOnly/i);
    expect(ok.headers.get('set-cookie')).toMatch(/SameSite=Strict/i);
    expect((await c.get('/api/v1/units')).status).toBe(200);

    const bad = await tp.client().login('admin', 'not-the-password', from('192.0.2.1'));
    expect(bad.status).toBe(401);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.code).toBe('auth.invalid_credentials');
    const unknown = await tp.client().login('nobody', 'whatever-password', from('192.0.2.1'));
    expect(unknown.status).toBe(401);
    expect(unknown.body.code).toBe('auth.invalid_credentials');
  });

  it('answers 401 without a session or token, and with a forged cookie', async () => {
    const anon = tp.client();
    expect((await anon.get('/api/v1/units')).status).toBe(401);
    anon.cookie = 'mscore_session=forged-token-value';
    const r = await anon.get('/api/v1/units');
    expect(r.status).toBe(401);
    expect(r.body.code).toBe('auth.session_expired');
  });

  it('issues a new token at every login and keeps the token only as a hash', async () => {
    const a = tp.client();
    const b = tp.client();
    await a.login('admin', ADMIN_PASSWORD, from('192.0.2.1'));
    await b.login('admin', ADMIN_PASSWORD, from('192.0.2.1'));
    expect(a.cookie).not.toBe(b.cookie);
    const token = a.cookie?.split('=')[1] as string;
    expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);
    const dump = await sql<{
      t: string;
    }>`select string_agg(encode(token_hash, 'escape') || csrf_token, ',') as t from sessions`.execute(tp.ctx.db);
    expect(dump.rows[0]?.t).not.toContain(token);
  });

  it('logout ends the session at once', async () => {
    const c = tp.client();
    await c.login('admin', ADMIN_PASSWORD, from('192.0.2.1'));
    const cookie = c.cookie;
    expect((await c.post('/api/v1/auth/logout')).status).toBe(204);
    const again = new Client(tp.baseUrl);
    again.cookie = cookie;
    expect((await again.get('/api/v1/units')).status).toBe(401);
  });

  it('expires idle and over-age sessions', async () => {
    const c = tp.client();
    await c.login('admin', ADMIN_PASSWORD, from('192.0.2.1'));
    expect((await c.get('/api/v1/auth/me')).status).toBe(200);
    await sql`update sessions set idle_expires_at = now() - interval '1 second' where revoked_at is null`.execute(tp.ctx.db);
    expect((await c.get('/api/v1/auth/me')).status).toBe(401);

    const d = tp.client();
    await d.login('admin', ADMIN_PASSWORD, from('192.0.2.1'));
    await sql`update sessions set expires_at = now() - interval '1 second' where revoked_at is null and idle_expires_at > now()`.execute(
      tp.ctx.db,
    );
    expect((await d.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('disabling a user ends the user’s sessions and blocks new logins', async () => {
    const admin = await tp.admin();
    const { client, id } = await userWithRole(tp, admin, 'clerk.disable', 'data_clerk', 'QT-DH-MC');
    expect((await client.get('/api/v1/units')).status).toBe(200);
    const r = await admin.patch(`/api/v1/users/${id}`, { disabled: true });
    expect(r.status).toBe(200);
    expect(r.body.disabled).toBe(true);
    expect((await client.get('/api/v1/units')).status).toBe(401);
  });

  it('me lists grants, permissions and the anti-forgery token', async () => {
    const admin = await tp.admin();
    const { client } = await userWithRole(tp, admin, 'analyst.me', 'analyst', 'QT-DKR');
    const me = await client.get('/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.grants).toEqual([{ id: expect.any(String), role: 'analyst', unitCode: 'QT-DKR', unitName: 'Huyện Đakrông' }]);
    expect(me.body.permissions).toContain('units.read');
    expect(me.body.permissions).not.toContain('users.manage');
    expect(me.body.csrfToken).toBe(client.csrf);
  });
});

describe('login throttling', () => {
  it('throttles one account from one address with 429 and Retry-After', async () => {
    const admin = await tp.admin();
    await userWithRole(tp, admin, 'throttled.one', 'analyst', 'QT-DKR');
    for (let i = 0; i < THROTTLE.perAccountAndIp; i++) {
      expect((await tp.client().login('throttled.one', 'wrong-password-x', from('198.51.100.7'))).status).toBe(401);
    }
    const r = await tp.client().login('throttled.one', 'wrong-password-x', from('198.51.100.7'));
    expect(r.status).toBe(429);
    expect(r.body.code).toBe('auth.throttled');
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(r.body.retryAfter).toBeGreaterThan(0);
  });

  it('does not lock the real user out: other addresses, and known addresses under a distributed attack', async () => {
    const admin = await tp.admin();
    const password = 'real-user-password-1';
    const u = await admin.post('/api/v1/users', { username: 'real.user', displayName: 'Real', password });
    await admin.post(`/api/v1/users/${u.body.id}/grants`, { role: 'analyst', unitCode: 'QT-DKR' });
    // The user logs in once from home.
    expect((await tp.client().login('real.user', password, from('203.0.113.50'))).status).toBe(200);
    // An attacker fails from many addresses, a few tries each.
    let attempts = 0;
    for (let ip = 1; attempts < THROTTLE.perAccountFromNewIps + 2; ip++) {
      for (let k = 0; k < 3; k++, attempts++)
        await tp.client().login('real.user', `guess-${attempts}-pw`, from(`203.0.113.${100 + ip}`));
    }
    // New addresses are now throttled for this account...
    const attacker = await tp.client().login('real.user', password, from('203.0.113.250'));
    expect(attacker.status).toBe(429);
    // ...but the real user still gets in from the known address.
    expect((await tp.client().login('real.user', password, from('203.0.113.50'))).status).toBe(200);
  });

  it('throttles one address trying many accounts', async () => {
    for (let i = 0; i < THROTTLE.perIp; i++) {
      await tp.client().login(`spray${i}`, 'Password123!', from('198.51.100.99'));
    }
    const r = await tp.client().login('admin', ADMIN_PASSWORD, from('198.51.100.99'));
    expect(r.status).toBe(429);
    // The admin elsewhere is unaffected.
    expect((await tp.client().login('admin', ADMIN_PASSWORD, from('192.0.2.1'))).status).toBe(200);
  });
});

describe('passwords', () => {
  it('refuses short and common passwords and stores scrypt hashes', async () => {
    const admin = await tp.admin();
    const short = await admin.post('/api/v1/users', { username: 'short.pw', displayName: 'x', password: 'abc' });
    expect(short.status).toBe(422);
    expect(short.body.code).toBe('password.too_short');
    const common = await admin.post('/api/v1/users', { username: 'common.pw', displayName: 'x', password: 'password123' });
    expect(common.status).toBe(422);
    expect(common.body.code).toBe('password.too_common');
    const h = await tp.ctx.db
      .selectFrom('users')
      .select('password_hash')
      .where('username', '=', 'admin')
      .executeTakeFirstOrThrow();
    expect(h.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
  });
});

describe('the last administrator', () => {
  it('cannot lose the tenant-wide admin grant or be disabled', async () => {
    const admin = await tp.admin();
    const me = (await admin.get('/api/v1/auth/me')).body;
    const grant = me.grants.find((g: { role: string }) => g.role === 'admin');
    const r = await admin.delete(`/api/v1/users/${me.user.id}/grants/${grant.id}`);
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('grant.last_admin');
    const d = await admin.patch(`/api/v1/users/${me.user.id}`, { disabled: true });
    expect(d.status).toBe(409);
    expect(d.body.code).toBe('user.last_admin');
    expect((await admin.get('/api/v1/auth/me')).status).toBe(200);
  });
});
