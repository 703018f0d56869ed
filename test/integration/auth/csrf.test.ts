import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../support/platform.ts';

let tp: TestPlatform;
beforeAll(async () => {
  tp = await startTestPlatform();
});
afterAll(async () => tp?.stop());

const body = (n: string) => ({ name: `csrf-${n}`, role: 'analyst', unitCode: 'QT-DKR' });

describe('CSRF protection on cookie-authenticated writes', () => {
  it('refuses a write without the anti-forgery header', async () => {
    const admin = await tp.admin();
    const r = await admin.post('/api/v1/tokens', body('none'), { 'x-csrf-token': '' });
    expect(r.status).toBe(403);
    expect(r.body.code).toBe('auth.csrf');
  });

  it('refuses a wrong token and a token of another session', async () => {
    const a = await tp.admin();
    const b = await tp.admin();
    expect((await a.post('/api/v1/tokens', body('wrong'), { 'x-csrf-token': 'x'.repeat(32) })).body.code).toBe('auth.csrf');
    expect((await a.post('/api/v1/tokens', body('other'), { 'x-csrf-token': b.csrf as string })).body.code).toBe('auth.csrf');
  });

  it('refuses a cross-site Origin even with the right token', async () => {
    const admin = await tp.admin();
    const r = await admin.post('/api/v1/tokens', body('origin'), { origin: 'https://evil.example' });
    expect(r.status).toBe(403);
    expect(r.body.code).toBe('auth.csrf');
    const login = await tp
      .client()
      .post('/api/v1/auth/login', { username: 'admin', password: 'x' }, { origin: 'https://evil.example' });
    expect(login.status).toBe(403);
  });

  it('accepts the right token from the same origin, and nothing was written by refused requests', async () => {
    const admin = await tp.admin();
    const r = await admin.post('/api/v1/tokens', body('ok'), { origin: tp.baseUrl });
    expect(r.status).toBe(201);
    const names = ((await admin.get('/api/v1/tokens')).body as { name: string }[]).map((t) => t.name);
    expect(names).toEqual(['csrf-ok']);
  });

  it('logout needs the token too (no state change without it)', async () => {
    const admin = await tp.admin();
    expect((await admin.post('/api/v1/auth/logout', undefined, { 'x-csrf-token': '' })).status).toBe(403);
    expect((await admin.get('/api/v1/auth/me')).status).toBe(200);
  });

  it('bearer tokens need no anti-forgery header (no cookie, nothing to forge)', async () => {
    const admin = await tp.admin();
    const t = await admin.post('/api/v1/tokens', { name: 'bearer-admin', role: 'admin', unitCode: null });
    const c = tp.client();
    c.bearer = t.body.token;
    const r = await c.post('/api/v1/tokens', body('via-bearer'));
    expect(r.status).toBe(201);
  });

  it('GET never changes state', () => {
    const writesOnGet = tp.app.apiRoutes.filter((r) => r.method === 'GET' && /(create|delete|revoke|logout)/.test(r.url));
    expect(writesOnGet).toEqual([]);
  });
});
