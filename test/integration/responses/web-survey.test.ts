// The public web survey's API: QR codes per unit, one-time links per service
// event that take one answer, and the printable poster.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startTestPlatform, type TestPlatform } from '../../support/platform.ts';

let tp: TestPlatform;
let admin: Client;
let anon: Client;
beforeAll(async () => {
  tp = await startTestPlatform({ trustProxy: true });
  admin = await tp.admin();
  anon = new Client(tp.baseUrl);
});
afterAll(async () => tp?.stop());

const answer = (extra: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  instrument: 'KIOSK_QUICK',
  version: 1,
  answers: { OVERALL: 3, REASONS_GOOD: ['clear_guidance'] },
  consent: false,
  ...extra,
});

async function eventId(externalId: string) {
  const r = await admin.post('/api/v1/events', {
    events: [{ unit: 'QT-VL-MC', externalId, kind: 'dossier', returnedAt: '2026-11-20T10:00:00+07:00' }],
  });
  return r.body.results[0].id as string;
}

describe('QR survey of a unit', () => {
  it('gives a stable code, shows the unit’s web instrument, takes answers on channel web', async () => {
    const q = await admin.get('/api/v1/units/QT-DH-MC/survey-qr');
    expect(q.status).toBe(200);
    expect(q.body.url).toMatch(/\/s\/[a-z2-9]{10}$/);
    expect((await admin.get('/api/v1/units/QT-DH-MC/survey-qr')).body.code).toBe(q.body.code);
    const s = await anon.get(`/api/public/v1/surveys/${q.body.code}`);
    expect(s.status).toBe(200);
    expect(s.body).toMatchObject({
      kind: 'qr',
      state: 'open',
      unit: { code: 'QT-DH-MC', name: 'Văn phòng một cửa thành phố Đông Hà' },
      instrument: { code: 'KIOSK_QUICK', version: 1 },
    });
    expect(s.headers.get('cache-control')).toBe('no-store');
    const body = answer();
    const r = await anon.post(`/api/public/v1/surveys/${q.body.code}/responses`, body);
    expect(r.status).toBe(201);
    const again = await anon.post(`/api/public/v1/surveys/${q.body.code}/responses`, body);
    expect(again.status).toBe(200);
    const stored = await admin.get(`/api/v1/responses/${body.id}`);
    expect(stored.body).toMatchObject({ channel: 'web', unit: 'QT-DH-MC', consent: false, status: 'complete' });
    // A QR code takes many people's answers.
    expect((await anon.post(`/api/public/v1/surveys/${q.body.code}/responses`, answer())).status).toBe(201);
    // Personal items need consent; other instruments are refused.
    const noConsent = await anon.post(
      `/api/public/v1/surveys/${q.body.code}/responses`,
      answer({ answers: { OVERALL: 4, CALLBACK_PHONE: '0912345678' } }),
    );
    expect(noConsent.status).toBe(422);
    expect(noConsent.body.errors[0]).toMatchObject({ item: 'CALLBACK_PHONE', code: 'answer.needs_consent' });
    const other = await anon.post(`/api/public/v1/surveys/${q.body.code}/responses`, answer({ instrument: 'SIPAS' }));
    expect(other.body.code).toBe('survey.instrument_mismatch');
  });

  it('follows the unit’s assignment, and a renewed code retires the old one', async () => {
    const put = await admin.put('/api/v1/instrument-assignments', { channel: 'web', instrument: 'SIPAS', unit: 'QT-GL' });
    expect(put.status).toBe(200);
    const eff = await admin.get('/api/v1/units/QT-GL-MC/instruments');
    expect(eff.body.find((e: { channel: string }) => e.channel === 'web')).toEqual({
      channel: 'web',
      instrument: 'SIPAS',
      via: 'unit',
      fromUnit: 'QT-GL',
    });
    expect(eff.body.find((e: { channel: string }) => e.channel === 'kiosk')).toMatchObject({
      instrument: 'KIOSK_QUICK',
      via: 'tenant',
    });
    const q = await admin.get('/api/v1/units/QT-GL-MC/survey-qr');
    expect((await anon.get(`/api/public/v1/surveys/${q.body.code}`)).body.instrument.code).toBe('SIPAS');
    const renewed = await admin.get('/api/v1/units/QT-GL-MC/survey-qr?renew=true');
    expect(renewed.body.code).not.toBe(q.body.code);
    expect((await anon.get(`/api/public/v1/surveys/${q.body.code}`)).body).toMatchObject({ state: 'closed', instrument: null });
    expect((await anon.post(`/api/public/v1/surveys/${q.body.code}/responses`, answer({ instrument: 'SIPAS' }))).status).toBe(
      410,
    );
    await admin.delete(`/api/v1/instrument-assignments/${put.body.id}`);
    expect((await anon.get(`/api/public/v1/surveys/${renewed.body.code}`)).body.instrument.code).toBe('KIOSK_QUICK');
  });

  it('prints an A4 poster as PDF', async () => {
    const r = await fetch(`${tp.baseUrl}/api/v1/units/QT-DH-MC/survey-poster.pdf`, {
      headers: { cookie: admin.cookie ?? '' },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await r.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(5000);
    expect(pdf.toString('latin1')).toMatch(/MediaBox \[0 0 595\.2\d* 841\.8\d*\]/);
  });

  it('an unknown code is 404, a malformed one 400', async () => {
    expect((await anon.get('/api/public/v1/surveys/abcdefghjk')).status).toBe(404);
    expect((await anon.get('/api/public/v1/surveys/%3Cscript%3E')).status).toBe(400);
  });
});

describe('one-time link of a service event', () => {
  it('is the same link until answered, takes one answer, then says so', async () => {
    const ev = await eventId('LINK-1');
    const a = await admin.post('/api/v1/survey-links', { eventId: ev });
    expect(a.status).toBe(200);
    expect(a.body.code).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const b = await admin.post('/api/v1/survey-links', { eventId: ev });
    expect(b.body.code).toBe(a.body.code);
    const s = await anon.get(`/api/public/v1/surveys/${a.body.code}`);
    expect(s.body).toMatchObject({ kind: 'link', state: 'open', unit: { code: 'QT-VL-MC' } });
    const first = answer({ consent: true, answers: { OVERALL: 1, REASONS_BAD: ['long_wait'], CALLBACK_PHONE: '0912 345 678' } });
    expect((await anon.post(`/api/public/v1/surveys/${a.body.code}/responses`, first)).status).toBe(201);
    // The same answer sent again (a flaky network) is fine; another is not.
    expect((await anon.post(`/api/public/v1/surveys/${a.body.code}/responses`, first)).status).toBe(200);
    const second = await anon.post(`/api/public/v1/surveys/${a.body.code}/responses`, answer());
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('survey.link_used');
    expect((await anon.get(`/api/public/v1/surveys/${a.body.code}`)).body).toMatchObject({ state: 'answered', instrument: null });
    const stored = await admin.get(`/api/v1/responses/${first.id}`);
    expect(stored.body).toMatchObject({ eventId: ev, channel: 'web', consent: true });
    expect(JSON.stringify(stored.body)).not.toContain('345');
    expect((await admin.post('/api/v1/survey-links', { eventId: ev })).status).toBe(409);
  });

  it('two answers racing on one link: one wins', async () => {
    const ev = await eventId('LINK-RACE');
    const l = await admin.post('/api/v1/survey-links', { eventId: ev });
    const rs = await Promise.all(
      Array.from({ length: 10 }, () => anon.post(`/api/public/v1/surveys/${l.body.code}/responses`, answer())),
    );
    expect(rs.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(409)]);
    const n = await sql<{ n: number }>`select count(*)::int as n from responses where event_id = ${ev}`.execute(tp.ctx.db);
    expect(n.rows[0]?.n).toBe(1);
  });

  it('an expired link is refused', async () => {
    const ev = await eventId('LINK-OLD');
    const l = await admin.post('/api/v1/survey-links', { eventId: ev, expiresInDays: 1 });
    await sql`update survey_entries set expires_at = now() - interval '1 minute' where event_id = ${ev}`.execute(tp.ctx.db);
    expect((await anon.get(`/api/public/v1/surveys/${l.body.code}`)).body.state).toBe('expired');
    const r = await anon.post(`/api/public/v1/surveys/${l.body.code}/responses`, answer());
    expect(r.status).toBe(410);
    expect(r.body.code).toBe('survey.expired');
  });

  it('answers are rate limited per address', async () => {
    const q = await admin.get('/api/v1/units/QT-CL-MC/survey-qr');
    const from = { 'x-forwarded-for': '203.0.113.77' };
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) {
      const r = await anon.post(`/api/public/v1/surveys/${q.body.code}/responses`, answer(), from);
      statuses.push(r.status);
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(30);
    expect(statuses.slice(30)).toEqual([429, 429]);
  });
});
