import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOOKUP_LIMITS } from '../../../src/modules/events/lookup.ts';
import { recordLateListReminders } from '../../../src/modules/events/reminders-job.ts';
import { type Client, startTestPlatform, type TestPlatform, userWithRole } from '../../support/platform.ts';

let tp: TestPlatform;
let admin: Client;
beforeAll(async () => {
  tp = await startTestPlatform({ trustProxy: true });
  admin = await tp.admin();
});
afterAll(async () => tp?.stop());

const dossier = (externalId: string, extra: Record<string, unknown> = {}) => ({
  unit: 'QT-DH-MC',
  externalId,
  kind: 'dossier',
  service: 'TTHC-HT-01',
  receivedAt: '2026-10-01T08:00:00+07:00',
  dueAt: '2026-10-06',
  citizen: { name: 'Nguyễn Văn An', phone: '0912 345 678' },
  ...extra,
});

describe('event ingest API', () => {
  it('creates, then answers a replay as unchanged', async () => {
    const body = { events: [dossier('H01.1'), dossier('H01.2'), dossier('H01.3', { citizen: { phone: '+84 987.654.321' } })] };
    const r = await admin.post('/api/v1/events', body);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ created: 3, updated: 0, unchanged: 0, rejected: 0 });
    expect(r.body.results.map((x: { result: string; status: string }) => `${x.result}:${x.status}`)).toEqual([
      'created:received',
      'created:received',
      'created:received',
    ]);
    const again = await admin.post('/api/v1/events', body);
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 3, rejected: 0 });
    const n = await tp.ctx.db
      .selectFrom('service_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(3);
  });

  it('stores text with quotes, backslashes, commas, braces and "NULL" exactly as sent', async () => {
    const odd = ['H-"Q",1', 'H\\B{2}', 'NULL', ' sp ace '];
    const service = 'Thủ tục "cấp phép", {mục 2} \\ NULL';
    const r = await admin.post('/api/v1/events', { events: odd.map((id) => dossier(id, { service, department: '' })) });
    expect(r.body).toMatchObject({ created: 4, rejected: 0 });
    const rows = await tp.ctx.db
      .selectFrom('service_events')
      .select(['external_id', 'service', 'department'])
      .where(
        'external_id',
        'in',
        odd.map((id) => id.trim()),
      )
      .orderBy('external_id')
      .execute();
    expect(rows.map((x) => x.external_id).sort()).toEqual(odd.map((id) => id.trim()).sort());
    for (const row of rows) expect(row).toMatchObject({ service, department: null });
    const again = await admin.post('/api/v1/events', { events: odd.map((id) => dossier(id, { service, department: '' })) });
    expect(again.body).toMatchObject({ unchanged: 4 });
  });

  it('moves the status forward only and keeps its history', async () => {
    await admin.post('/api/v1/events', { events: [dossier('H02', { status: 'processing' })] });
    const late = await admin.post('/api/v1/events', {
      events: [{ unit: 'QT-DH-MC', externalId: 'H02', kind: 'dossier', status: 'more_documents', promisedAt: '2026-10-09' }],
    });
    expect(late.body.results[0]).toMatchObject({ result: 'updated', status: 'more_documents' });
    const done = await admin.post('/api/v1/events', {
      events: [{ unit: 'QT-DH-MC', externalId: 'H02', kind: 'dossier', returnedAt: '2026-10-08T15:00:00+07:00' }],
    });
    expect(done.body.results[0]).toMatchObject({ result: 'updated', status: 'returned' });
    const back = await admin.post('/api/v1/events', {
      events: [{ unit: 'QT-DH-MC', externalId: 'H02', kind: 'dossier', status: 'processing' }],
    });
    expect(back.body.results[0].status).toBe('returned');
    const list = await admin.get('/api/v1/events?unit=QT-DH-MC&status=returned');
    const e = list.body.items.find((x: { externalId: string }) => x.externalId === 'H02');
    expect(e).toMatchObject({ timeliness: 'late', phoneMasked: '091***5678', hasName: true });
    const detail = await admin.get(`/api/v1/events/${e.id}`);
    expect(detail.body.history.map((h: { status: string }) => h.status)).toEqual([
      'received',
      'processing',
      'more_documents',
      'returned',
    ]);
    expect(detail.body.promisedAt).toBe('2026-10-08T17:00:00.000Z');
    expect(detail.body.name).toBe('Nguyễn Văn An');
    expect(detail.text).not.toContain('0912345678');
    expect((await admin.get('/api/v1/events?late=true')).body.items.map((x: { externalId: string }) => x.externalId)).toContain(
      'H02',
    );
  });

  it('rejects bad items one by one and keeps the good ones', async () => {
    const r = await admin.post('/api/v1/events', {
      events: [
        dossier('H03.ok'),
        { ...dossier('H03.kind'), kind: 'parcel' },
        { ...dossier('H03.extra'), colour: 'red' },
        dossier('H03.date', { receivedAt: '31/02/2026' }),
        dossier('H03.phone', { citizen: { name: 'Trần Thị B', phone: '12345' } }),
        dossier('H03.order', { returnedAt: '2026-09-01' }),
        { ...dossier('H03.unit'), unit: 'NO-SUCH' },
      ],
    });
    expect(r.status).toBe(200);
    const byId = Object.fromEntries(
      r.body.results.map((x: { externalId: string | null; index: number }) => [x.externalId ?? `#${x.index}`, x]),
    );
    expect(byId['H03.ok'].result).toBe('created');
    expect(r.body.results[1]).toMatchObject({ result: 'rejected', errors: [{ field: 'kind', code: 'field.invalid_value' }] });
    expect(r.body.results[2]).toMatchObject({ result: 'rejected', errors: [{ field: 'colour', code: 'field.unknown' }] });
    expect(byId['H03.date']).toMatchObject({ result: 'rejected', errors: [{ field: 'receivedAt', code: 'date.invalid' }] });
    expect(byId['H03.phone']).toMatchObject({ result: 'created', warnings: [{ field: 'citizen.phone', code: 'phone.invalid' }] });
    expect(JSON.stringify(byId['H03.phone'])).not.toContain('12345');
    expect(byId['H03.order']).toMatchObject({ result: 'rejected', errors: [{ field: 'returnedAt', code: 'date.order' }] });
    expect(byId['H03.unit']).toMatchObject({ result: 'rejected', errors: [{ field: 'unit', code: 'unit.not_found' }] });
    expect(r.body).toMatchObject({ created: 2, rejected: 5 });
  });

  it('refuses a batch over 1,000 and a body that is not a batch', async () => {
    const big = await admin.post('/api/v1/events', { events: Array.from({ length: 1001 }, (_, i) => dossier(`B${i}`)) });
    expect(big.status).toBe(400);
    expect(big.body.errors[0]).toMatchObject({ path: 'body.events', code: 'field.too_big' });
    expect((await admin.post('/api/v1/events', [dossier('X')])).status).toBe(400);
  });

  it('a token scoped to a unit cannot write another unit’s events', async () => {
    const t = await admin.post('/api/v1/tokens', { name: 'dh-system', role: 'data_clerk', unitCode: 'QT-DH-MC' });
    const c = tp.client();
    c.bearer = t.body.token;
    const r = await c.post('/api/v1/events', { events: [dossier('T1'), { ...dossier('T2'), unit: 'QT-VL-MC' }] });
    expect(r.body.results.map((x: { result: string }) => x.result)).toEqual(['created', 'rejected']);
    expect(r.body.results[1].errors[0].code).toBe('unit.not_found');
    const vl = await tp.ctx.db.selectFrom('service_events').select('id').where('external_id', '=', 'T2').execute();
    expect(vl).toEqual([]);
    // Reading is scoped the same way.
    const interviewer = await userWithRole(tp, admin, 'vl.interviewer', 'interviewer', 'QT-VL-MC');
    expect((await interviewer.client.get('/api/v1/events')).status).toBe(403);
    const manager = await userWithRole(tp, admin, 'vl.manager', 'unit_manager', 'QT-VL-MC');
    expect((await manager.client.get('/api/v1/events')).body.total).toBe(0);
  });

  it('stores names and phones only encrypted', async () => {
    const dump = await sql<{ t: string }>`select string_agg(t::text, '|') as t from service_events t`.execute(tp.ctx.db);
    for (const needle of ['0912345678', '912345678', 'Nguyễn Văn An', 'Nguy']) expect(dump.rows[0]?.t).not.toContain(needle);
  });

  it('reveals the full number only with the permission, and audits each reveal', async () => {
    const e = (await admin.get('/api/v1/events?unit=QT-DH-MC')).body.items.find(
      (x: { phoneMasked: string | null }) => x.phoneMasked,
    );
    const manager = await userWithRole(tp, admin, 'dh.manager', 'unit_manager', 'QT-DH');
    expect((await manager.client.post(`/api/v1/events/${e.id}/reveal-phone`)).status).toBe(403);
    const before = await tp.ctx.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', 'event.reveal_phone')
      .executeTakeFirstOrThrow();
    const r = await admin.post(`/api/v1/events/${e.id}/reveal-phone`);
    expect(r.body.phone).toMatch(/^0\d{9}$/);
    expect(r.headers.get('cache-control')).toBe('no-store');
    const after = await tp.ctx.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', 'event.reveal_phone')
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n) + 1);
  });
});

describe('data quality and list compliance', () => {
  it('reports records, rates and whether the list came on time, late and poor units first', async () => {
    const r = await admin.get('/api/v1/data-quality?period=2026-10');
    expect(r.status).toBe(200);
    const dh = r.body.find((x: { unit: string }) => x.unit === 'QT-DH-MC');
    expect(dh.records).toBeGreaterThan(5);
    expect(dh.validMobileRate).toBeGreaterThan(0);
    expect(dh.validMobileRate).toBeLessThan(1);
    expect(dh.withReturnDateRate).toBeGreaterThan(0);
    expect(dh.listReceivedAt).not.toBeNull();
    expect(dh.listDueAt).toBe('2026-11-05T17:00:00.000Z');
    const vl = r.body.find((x: { unit: string }) => x.unit === 'QT-VL-MC');
    expect(vl).toMatchObject({ records: 0, validMobileRate: null, listReceivedAt: null, onTime: false });
    expect(r.body.findIndex((x: { unit: string }) => x.unit === 'QT-VL-MC')).toBeLessThan(
      r.body.findIndex((x: { unit: string }) => x.unit === 'QT-DH-MC'),
    );
    expect(r.body.map((x: { unit: string }) => x.unit)).not.toContain('QT-DH');
  });

  it('records one reminder per late unit, once, after the due day', async () => {
    expect(await recordLateListReminders(tp.ctx.db, new Date('2026-11-05T12:00:00Z'))).toBe(0); // still the due day
    const n = await recordLateListReminders(tp.ctx.db, new Date('2026-11-10T01:00:00Z'));
    expect(n).toBeGreaterThan(10);
    expect(await recordLateListReminders(tp.ctx.db, new Date('2026-11-11T01:00:00Z'))).toBe(0);
    const rows = (await admin.get('/api/v1/data-quality?period=2026-10')).body as { unit: string; remindedAt: string | null }[];
    expect(rows.find((x) => x.unit === 'QT-VL-MC')?.remindedAt).not.toBeNull();
    expect(rows.find((x) => x.unit === 'QT-DH-MC')?.remindedAt).toBeNull();
  });

  it('counts a unit only in the months it existed, by calendar day', async () => {
    const csv = [
      'code,name,kind,sector,parent_code,kiosks,valid_from,valid_to,successor_code',
      'QT-GL-MC2,Bộ phận một cửa Gio Linh (mới),one_stop_office,administration,QT-GL,0,2026-10-01,,',
      'QT-GL-MC,Văn phòng một cửa huyện Gio Linh,one_stop_office,administration,QT-GL,1,2000-01-01,2026-09-30,QT-GL-MC2',
    ].join('\n');
    expect((await admin.post('/api/v1/units/import', csv)).status).toBe(200);
    const units = async (period: string) =>
      ((await admin.get(`/api/v1/data-quality?period=${period}`)).body as { unit: string }[]).map((x) => x.unit);
    expect(await units('2026-09')).toContain('QT-GL-MC');
    expect(await units('2026-09')).not.toContain('QT-GL-MC2');
    expect(await units('2026-10')).not.toContain('QT-GL-MC');
    expect(await units('2026-10')).toContain('QT-GL-MC2');
  });

  it('exports CSV and XLSX', async () => {
    const csv = await admin.get('/api/v1/data-quality?period=2026-10&format=csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.text.split('\r\n')[0]).toContain('Mã đơn vị');
    expect(csv.text).toContain('QT-DH-MC');
    const xlsx = await fetch(`${tp.baseUrl}/api/v1/data-quality?period=2026-10&format=xlsx`, {
      headers: { cookie: admin.cookie as string },
    });
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    const bytes = Buffer.from(await xlsx.arrayBuffer());
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
  });
});

describe('dossier status lookup', () => {
  const from = (ip: string) => ({ 'x-forwarded-for': ip });
  it('shows the timeline for the right code and phone digits, and nothing personal', async () => {
    const r = await tp.client().get('/api/public/v1/dossiers/H02?phone4=5678', from('203.0.113.1'));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      code: 'H02',
      unit: 'Văn phòng một cửa thành phố Đông Hà',
      status: 'returned',
      timeliness: 'late',
    });
    expect(r.body.timeline.map((t: { status: string }) => t.status)).toEqual([
      'received',
      'processing',
      'more_documents',
      'returned',
    ]);
    expect(r.text).not.toMatch(/Nguyễn|0912|345678|phone|name/i);
  });

  it('finds a code typed in lower case', async () => {
    const r = await tp.client().get('/api/public/v1/dossiers/h02?phone4=5678', from('203.0.113.3'));
    expect(r.status).toBe(200);
    expect(r.body.code).toBe('H02');
  });

  it('answers a wrong phone suffix exactly like an unknown code', async () => {
    const wrong = await tp.client().get('/api/public/v1/dossiers/H02?phone4=0000', from('203.0.113.2'));
    const unknown = await tp.client().get('/api/public/v1/dossiers/NOPE-1?phone4=5678', from('203.0.113.2'));
    expect(wrong.status).toBe(404);
    expect(unknown.status).toBe(404);
    const strip = (b: Record<string, unknown>) => ({ ...b, requestId: undefined });
    expect(strip(wrong.body)).toEqual(strip(unknown.body));
    expect(wrong.body.code).toBe('dossier.not_found');
  });

  it('is rate limited per address and per code', async () => {
    for (let i = 0; i < LOOKUP_LIMITS.perIpPer10Min; i++)
      await tp.client().get(`/api/public/v1/dossiers/R${i}?phone4=1111`, from('198.51.100.20'));
    const limited = await tp.client().get('/api/public/v1/dossiers/H02?phone4=5678', from('198.51.100.20'));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    for (let i = 0; i < LOOKUP_LIMITS.perCodePerHour; i++)
      await tp.client().get('/api/public/v1/dossiers/H01.1?phone4=0000', from(`198.51.100.${100 + i}`));
    const code = await tp.client().get('/api/public/v1/dossiers/H01.1?phone4=5678', from('198.51.100.200'));
    expect(code.status).toBe(429);
  });
});
