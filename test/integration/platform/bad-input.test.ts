// What the API does with bad input: problem+json errors with stable codes and
// no internals, all-or-nothing imports, security headers, and the API docs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, type Res, startTestPlatform, type TestPlatform } from '../../support/platform.ts';

let tp: TestPlatform;
let admin: Client;

beforeAll(async () => {
  tp = await startTestPlatform();
  admin = await tp.admin();
});

afterAll(async () => {
  await tp?.stop();
});

/** Every problem: RFC 9457 shape, the request id of the response header, no stack trace or path. */
function expectProblem(r: Res<any>, status: number, code: string) {
  expect(r.status, r.text).toBe(status);
  expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(r.headers.get('cache-control')).toBe('no-store');
  const b = r.body;
  expect(b).toMatchObject({ type: `urn:mscore:problem:${code}`, status, code });
  expect(typeof b.title).toBe('string');
  expect(b.title.length).toBeGreaterThan(0);
  expect(b.requestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(r.headers.get('x-request-id')).toBe(b.requestId);
  expect(b).not.toHaveProperty('stack');
  expect(r.text).not.toMatch(/\bat [\w.<>]+ \(|\bat (file|node):|\n\s+at /);
  expect(r.text).not.toMatch(/\/work\/|node_modules|\.ts:\d+|\.js:\d+|file:\/\//);
  return b;
}

const goodUser = { username: 'bad-input-user', displayName: 'User', password: 'a-long-password-1' };

describe('problem+json errors', () => {
  it('malformed JSON -> 400 request.malformed_json', async () => {
    const r = await admin.post('/api/v1/users', '{"username": "x", ', { 'content-type': 'application/json' });
    expectProblem(r, 400, 'request.malformed_json');
  });

  it('unknown field -> 400 request.invalid with field.unknown and its path', async () => {
    const r = await admin.post('/api/v1/users', { ...goodUser, isAdmin: true });
    const b = expectProblem(r, 400, 'request.invalid');
    expect(b.errors).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'field.unknown', path: 'body.isAdmin' })]));
    expect(
      await tp.ctx.db.selectFrom('users').select('id').where('username', '=', goodUser.username).executeTakeFirst(),
    ).toBeUndefined();
  });

  it('wrong type -> 400 request.invalid with field.invalid_type', async () => {
    const r = await admin.post('/api/v1/users', { ...goodUser, displayName: 42 });
    const b = expectProblem(r, 400, 'request.invalid');
    expect(b.errors).toEqual([expect.objectContaining({ code: 'field.invalid_type', path: 'body.displayName' })]);
    const missing = await admin.post('/api/v1/users', { username: 'bad-input-x', password: 'a-long-password-1' });
    expect(expectProblem(missing, 400, 'request.invalid').errors).toEqual([
      expect.objectContaining({ code: 'field.invalid_type', path: 'body.displayName' }),
    ]);
  });

  it('wrong type in the query string -> field.invalid_type on querystring.limit', async () => {
    const r = await admin.get('/api/v1/audit?limit=abc');
    expect(expectProblem(r, 400, 'request.invalid').errors).toEqual([
      expect.objectContaining({ code: 'field.invalid_type', path: 'querystring.limit' }),
    ]);
    const small = await admin.get('/api/v1/audit?limit=0');
    expect(expectProblem(small, 400, 'request.invalid').errors).toEqual([
      expect.objectContaining({ code: 'field.too_small', path: 'querystring.limit' }),
    ]);
  });

  it('a JSON body that is not an object -> field.invalid_type on the path "body"', async () => {
    for (const body of ['[]', 'null', '"text"']) {
      const r = await admin.post('/api/v1/users', body, { 'content-type': 'application/json' });
      expect(expectProblem(r, 400, 'request.invalid').errors, body).toEqual([
        expect.objectContaining({ code: 'field.invalid_type', path: 'body' }),
      ]);
    }
  });

  it('every field problem is listed at once, each with its path', async () => {
    const r = await admin.post('/api/v1/users', {
      username: 'Bad Name!',
      displayName: 'x',
      password: 'a-long-password-1',
      language: 'fr',
    });
    const b = expectProblem(r, 400, 'request.invalid');
    expect(b.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.language', 'body.username']);
    expect(b.errors.find((e: { path: string }) => e.path === 'body.language').code).toBe('field.invalid_value');
  });

  it('a body over 1 MB -> 413 request.too_large', async () => {
    const r = await admin.post('/api/v1/users', { ...goodUser, displayName: 'x'.repeat(1024 * 1024 + 10) });
    expectProblem(r, 413, 'request.too_large');
  });

  it('a wrong content type -> 415 request.unsupported_media_type', async () => {
    const r = await admin.post('/api/v1/users', '<user><username>x</username></user>', { 'content-type': 'application/xml' });
    expectProblem(r, 415, 'request.unsupported_media_type');
  });

  it('unknown /api paths -> 404 request.not_found', async () => {
    expectProblem(await admin.get('/api/v1/no-such-thing'), 404, 'request.not_found');
    expectProblem(await admin.get('/api/nothing/here'), 404, 'request.not_found');
    expectProblem(await tp.client().get('/api/v1/no-such-thing'), 404, 'request.not_found');
    expectProblem(await admin.post('/api/v1/units', {}), 404, 'request.not_found');
  });

  it('unauthenticated and forbidden are problems too', async () => {
    expectProblem(await tp.client().get('/api/v1/units'), 401, 'auth.required');
    const noCsrf = await admin.post('/api/v1/users', goodUser, { 'x-csrf-token': 'wrong' });
    expectProblem(noCsrf, 403, 'auth.csrf');
  });

  it('the title follows Accept-Language: Vietnamese by default, English on request', async () => {
    const vi = await admin.post('/api/v1/users', { ...goodUser, isAdmin: true });
    expect(expectProblem(vi, 400, 'request.invalid').title).toBe('Dữ liệu gửi lên không hợp lệ');
    const en = await admin.post('/api/v1/users', { ...goodUser, isAdmin: true }, { 'accept-language': 'en' });
    expect(expectProblem(en, 400, 'request.invalid').title).toBe('The request is not valid');
    const enUs = await admin.get('/api/v1/no-such-thing', { 'accept-language': 'en-US,en;q=0.9' });
    expect(expectProblem(enUs, 404, 'request.not_found').title).toBe('No such endpoint');
    const viNotFound = await admin.get('/api/v1/no-such-thing', { 'accept-language': 'vi-VN' });
    expect(expectProblem(viNotFound, 404, 'request.not_found').title).toBe('Không tìm thấy địa chỉ');
  });

  it('every response carries its own request id', async () => {
    const a = await admin.get('/api/v1/units');
    const b = await admin.get('/api/v1/units');
    expect(a.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
    // A caller cannot choose it.
    const c = await admin.get('/api/v1/no-such-thing', { 'x-request-id': 'chosen-by-caller' });
    expect(expectProblem(c, 404, 'request.not_found').requestId).not.toBe('chosen-by-caller');
  });
});

describe('imports are all or nothing', () => {
  const header = 'code,name,kind,sector,parent_code,kiosks';
  const good = [
    header,
    'BI-A,Đơn vị thử A,department,administration,QT,0',
    'BI-B,Đơn vị thử B,one_stop_office,administration,BI-A,2',
    'BI-C,Đơn vị thử C,commune,administration,BI-A,1',
  ].join('\n');
  const bad = good.replace('BI-C,Đơn vị thử C,commune', 'BI-C,Đơn vị thử C,spaceport');

  async function testUnits() {
    const r = await admin.get('/api/v1/units');
    expect(r.status).toBe(200);
    return (r.body as { code: string; parentCode: string | null }[]).filter((u) => u.code.startsWith('BI-'));
  }

  async function auditCount() {
    const r = await tp.ctx.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  it('one bad row -> 422 import.rows_invalid naming the row, and no unit is written', async () => {
    const audits = await auditCount();
    const r = await admin.post('/api/v1/units/import', bad, { 'content-type': 'text/csv' });
    const b = expectProblem(r, 422, 'import.rows_invalid');
    // Rows are numbered as in a spreadsheet: the header is row 1.
    expect(b.errors).toEqual([{ row: 4, code: 'unit.kind_invalid', message: expect.stringContaining('spaceport') }]);
    expect(await testUnits()).toEqual([]);
    expect(await auditCount()).toBe(audits);
  });

  it('a failure while writing rolls back the rows already written', async () => {
    await tp.ctx.database.execScript(`
      create function test_refuse_unit() returns trigger language plpgsql as $$
      begin
        if new.code = 'BI-C' then raise exception 'unit refused by the test'; end if;
        return new;
      end $$;
      create trigger test_refuse_unit before insert on units for each row execute function test_refuse_unit();`);
    const audits = await auditCount();
    try {
      const r = await admin.post('/api/v1/units/import', good, { 'content-type': 'text/csv' });
      expectProblem(r, 500, 'internal');
      expect(r.text).not.toContain('unit refused by the test');
      expect(await testUnits()).toEqual([]);
      expect(await auditCount()).toBe(audits);
    } finally {
      await tp.ctx.database.execScript('drop trigger test_refuse_unit on units; drop function test_refuse_unit();');
    }
  });

  it('the corrected file -> 200 with 3 created; the same file again -> 3 unchanged', async () => {
    const r = await admin.post('/api/v1/units/import', good, { 'content-type': 'text/csv' });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toEqual({ created: 3, updated: 0, unchanged: 0, errors: [] });
    const units = await testUnits();
    expect(units.map((u) => [u.code, u.parentCode])).toEqual([
      ['BI-A', 'QT'],
      ['BI-B', 'BI-A'],
      ['BI-C', 'BI-A'],
    ]);
    const again = await admin.post('/api/v1/units/import', good, { 'content-type': 'text/csv' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ created: 0, updated: 0, unchanged: 3, errors: [] });
    expect(await testUnits()).toHaveLength(3);
  });
});

describe('security headers', () => {
  function expectSecurityHeaders(r: Res) {
    const csp = r.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toMatch(/frame-ancestors '(none|self)'/);
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    expect(r.headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('referrer-policy')).toBeTruthy();
    expect(r.headers.get('referrer-policy')).not.toBe('unsafe-url');
    expect(r.headers.get('x-powered-by')).toBeNull();
  }

  it('on API responses, with cache-control: no-store', async () => {
    for (const r of [
      await admin.get('/api/v1/units'),
      await admin.get('/api/v1/auth/me'),
      await tp.client().get('/api/v1/units'),
      await admin.get('/api/v1/nope'),
    ]) {
      expectSecurityHeaders(r);
      expect(r.headers.get('cache-control')).toBe('no-store');
    }
    const login = await tp.client().login('admin', 'wrong-password-123');
    expect(login.status).toBe(401);
    expect(login.headers.get('cache-control')).toBe('no-store');
  });

  it('on the console page', async () => {
    const r = await tp.client().get('/');
    // 200 with the built console, 404 text when web/dist is not built.
    expect([200, 404]).toContain(r.status);
    expectSecurityHeaders(r);
  });
});

describe('API documentation', () => {
  it('GET /api/openapi.json is an OpenAPI 3 document of the API', async () => {
    const r = await tp.client().get('/api/openapi.json');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/application\/json/);
    const doc = r.body;
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/units', '/api/v1/auth/login', '/api/v1/users', '/api/v1/audit']),
    );
    expect(doc.paths['/api/v1/auth/login'].post).toBeDefined();
    expect(doc.paths['/api/v1/units'].get.responses['200']).toBeDefined();
    // The internal control endpoint is not published.
    expect(Object.keys(doc.paths).some((p) => p.startsWith('/api/internal'))).toBe(false);
  });

  it('GET /api/docs serves an HTML page', async () => {
    const res = await fetch(`${tp.baseUrl}/api/docs`, { redirect: 'follow' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect((await res.text()).toLowerCase()).toContain('<html');
  });
});
