// Scores against a fixture whose every figure is worked out by hand: means and
// shares with their intervals, suppression (and the complementary cell), shared
// ranks and bands, the previous-period test, flagged answers left out, event
// based indices, composites, versions, channels, scopes and the CLI.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../../src/commands.ts';
import { rebuildRollups } from '../../../src/modules/responses/rollups.ts';
import { type Client, startTestPlatform, type TestPlatform, userWithRole } from '../../support/platform.ts';
import { type Answers, halves, phoneResponse } from '../../support/responses.ts';

let tp: TestPlatform;
let admin: Client;
let tenantId: string;

const phone = phoneResponse;

async function submit(responses: unknown[]) {
  for (let i = 0; i < responses.length; i += 500) {
    const r = await admin.post('/api/v1/responses/batch', { responses: responses.slice(i, i + 500) });
    expect(r.status).toBe(200);
    expect(r.body.rejected, JSON.stringify(r.body.results.filter((x: { errors?: unknown }) => x.errors))).toBe(0);
  }
}

const scores = (q: string) => admin.get(`/api/v1/scores?${q}`);
type Row = { unit: string; n: number; value: number | null; ciLow: number | null; ciHigh: number | null } & Record<string, any>;
const byUnit = (rows: Row[]) => new Map(rows.map((r) => [r.unit, r]));

beforeAll(async () => {
  tp = await startTestPlatform();
  admin = await tp.admin();
  tenantId = (await tp.ctx.db.selectFrom('tenants').select('id').executeTakeFirstOrThrow()).id;

  // October 2026, phone. Đông Hà: 40 answers, SATISFACTION half 9, half 6; 10 asked to
  // come back; 2 paid without receipt, 4 with; the first gave no opinion on guidance.
  const dh = halves('QT-DH-MC', '2026-10-10', 40, 9, 6);
  dh.forEach((r, i) => {
    if (i < 10) r.answers.ASKED_TO_RETURN = true;
    if (i >= 10 && i < 12) r.answers.FEE_PAID = 'without_receipt';
    if (i >= 12 && i < 16) r.answers.FEE_PAID = 'with_receipt';
  });
  (dh[0] as { answers: Answers }).answers.GUIDANCE_CLARITY = 0;
  await submit([
    ...dh,
    ...halves('QT-GL-MC', '2026-10-11', 30, 10, 9),
    ...halves('QT-CL-MC', '2026-10-12', 30, 6, 5),
    ...halves('QT-HH-MC', '2026-10-13', 30, 8, 7),
    ...halves('QT-HL-MC', '2026-10-14', 12, 7, 8),
    ...halves('QT-VL-MC', '2026-10-15', 5, 7, 7),
    ...halves('QT-TP-MC', '2026-10-16', 3, 8, 8),
    // September: Gio Linh much lower, Đông Hà the same.
    ...halves('QT-GL-MC', '2026-09-11', 30, 7, 6),
    ...halves('QT-DH-MC', '2026-09-10', 40, 9, 6),
    // August: Vĩnh Linh alone under 10 answers.
    ...halves('QT-DH-MC', '2026-08-10', 20, 8, 8),
    ...halves('QT-VL-MC', '2026-08-11', 4, 7, 7),
    ...halves('QT-GL-MC', '2026-08-12', 25, 9, 9),
  ]);
});
afterAll(async () => tp?.stop());

describe('index definitions', () => {
  it('lists the built-in indices', async () => {
    const r = await admin.get('/api/v1/indices');
    expect(r.status).toBe(200);
    const codes = r.body.map((x: { code: string }) => x.code);
    for (const c of [
      'MSCORE_SATISFACTION',
      'MSCORE_STAFF',
      'ASKED_TO_RETURN',
      'PAID_NO_RECEIPT',
      'PAID_NO_RECEIPT_PAYERS',
      'ON_TIME_EVENTS',
      'KIOSK_SATISFIED',
      'HAPPY_INDEX',
      'MOH_SATISFACTION',
      'MOH_COMPREHENSIVE',
      'MOH_SECTION_A',
      'SIPAS',
      'SIPAS_ACC',
      'D766_DOSSIER_SATISFACTION',
      'PHONE_COMPLETION',
      'PHONE_COOPERATION',
    ])
      expect(codes).toContain(c);
    const one = await admin.get('/api/v1/indices/MSCORE_SATISFACTION');
    expect(one.body).toMatchObject({
      version: 1,
      builtin: true,
      kind: 'mean',
      channels: ['phone', 'web', 'app'],
      definition: { formula: { items: ['SATISFACTION'] } },
    });
    expect((await admin.get('/api/v1/indices/NO_SUCH')).body.code).toBe('index.not_found');
  });
});

describe('means, intervals, suppression, ranks and bands', () => {
  it('computes October on the phone sample', async () => {
    const r = await scores('index=MSCORE_SATISFACTION&period=2026-10&include=province');
    expect(r.status).toBe(200);
    expect(r.headers.get('x-score-channel')).toBe('phone');
    const [province, ...units] = r.body as Row[];
    // 40+30+30+30+12+5+3 answers; sum 300+285+165+225+90+35+24
    expect(province).toMatchObject({ unit: 'QT', level: 'province', n: 150, suppressed: false });
    expect(province?.value).toBeCloseTo(1124 / 150, 4);
    const u = byUnit(units);
    // every administrative serving unit has a row, those without answers hidden
    expect(u.get('QT-QTR-MC')).toMatchObject({ n: 0, suppressed: true, suppressedReason: 'no_answers', value: null });
    expect(u.has('QT-BVDK')).toBe(false);
    const dh = u.get('QT-DH-MC') as Row;
    expect(dh).toMatchObject({ n: 40, value: 7.5, suppressed: false, rank: 2, band: 'around' });
    // sd 1.5191, t(39) 2.0227
    expect(dh.ciLow).toBeCloseTo(7.0142, 3);
    expect(dh.ciHigh).toBeCloseTo(7.9858, 3);
    expect(u.get('QT-GL-MC')).toMatchObject({ n: 30, value: 9.5, rank: 1, band: 'above' });
    expect(u.get('QT-HH-MC')).toMatchObject({ n: 30, value: 7.5, rank: 2, band: 'around' });
    expect(u.get('QT-CL-MC')).toMatchObject({ n: 30, value: 5.5, rank: 4, band: 'below' });
    // published but under 30 answers: not ranked
    expect(u.get('QT-HL-MC')).toMatchObject({ n: 12, value: 7.5, rank: null, band: null, suppressed: false });
    // two hidden cells with answers: nothing else needs hiding
    expect(u.get('QT-VL-MC')).toMatchObject({
      n: 5,
      value: null,
      ciLow: null,
      suppressed: true,
      suppressedReason: 'small_sample',
    });
    expect(u.get('QT-TP-MC')).toMatchObject({ n: 3, suppressed: true, suppressedReason: 'small_sample' });
    // ranked units first, in rank order
    expect(units.slice(0, 4).map((x) => x.unit)).toEqual(['QT-GL-MC', 'QT-DH-MC', 'QT-HH-MC', 'QT-CL-MC']);
    // the contract fields
    for (const k of ['unit', 'n', 'value', 'ciLow', 'ciHigh', 'suppressed', 'rank', 'band']) expect(dh).toHaveProperty(k);
  });

  it('hides a second cell when a lone hidden one could be recomputed from the total', async () => {
    const r = await scores('index=MSCORE_SATISFACTION&period=2026-08');
    const u = byUnit(r.body);
    expect(u.get('QT-VL-MC')).toMatchObject({ n: 4, suppressed: true, suppressedReason: 'small_sample' });
    expect(u.get('QT-DH-MC')).toMatchObject({ n: 20, suppressed: true, suppressedReason: 'complementary', value: null });
    expect(u.get('QT-GL-MC')).toMatchObject({ n: 25, suppressed: false, value: 9 });
  });

  it('marks a change from the previous period as significant or not', async () => {
    const u = byUnit((await scores('index=MSCORE_SATISFACTION&period=2026-10')).body);
    expect(u.get('QT-GL-MC')?.previous).toMatchObject({ n: 30, value: 6.5, change: 3, significant: true });
    expect(u.get('QT-DH-MC')?.previous).toMatchObject({ n: 40, value: 7.5, change: 0, significant: false });
    expect(u.get('QT-CL-MC')?.previous).toBeNull();
  });

  it('takes quarters and years', async () => {
    const q = byUnit((await scores('index=MSCORE_SATISFACTION&period=2026-Q4')).body);
    expect(q.get('QT-GL-MC')).toMatchObject({ n: 30, value: 9.5 });
    expect(q.get('QT-GL-MC')?.previous).toMatchObject({ n: 55 }); // Q3: August and September
    const y = byUnit((await scores('index=MSCORE_SATISFACTION&period=2026')).body);
    expect(y.get('QT-GL-MC')).toMatchObject({ n: 85 });
    expect(y.get('QT-GL-MC')?.value).toBeCloseTo((285 + 195 + 225) / 85, 4);
  });

  it('averages several items per respondent, leaving out no-opinion answers', async () => {
    const u = byUnit((await scores('index=MSCORE_STAFF&period=2026-10')).body);
    // 39 respondents (8+6)/2 = 7 and one with guidance "no opinion": 8
    expect(u.get('QT-DH-MC')?.n).toBe(40);
    expect(u.get('QT-DH-MC')?.value).toBeCloseTo((39 * 7 + 8) / 40, 4);
  });

  it('computes shares with Wilson intervals and both receipt denominators', async () => {
    const ask = byUnit((await scores('index=ASKED_TO_RETURN&period=2026-10')).body).get('QT-DH-MC') as Row;
    expect(ask).toMatchObject({ n: 40, value: 25 });
    expect(ask.ciLow).toBeCloseTo(14.187, 2);
    expect(ask.ciHigh).toBeCloseTo(40.194, 2);
    const all = byUnit((await scores('index=PAID_NO_RECEIPT&period=2026-10')).body).get('QT-DH-MC') as Row;
    expect(all).toMatchObject({ n: 40, value: 5 });
    expect(all.ciLow).toBeCloseTo(1.382, 2);
    expect(all.ciHigh).toBeCloseTo(16.504, 2);
    const payers = byUnit((await scores('index=PAID_NO_RECEIPT_PAYERS&period=2026-10')).body).get('QT-DH-MC') as Row;
    expect(payers).toMatchObject({ n: 6, suppressed: true });
    const payersQ = await scores('index=PAID_NO_RECEIPT_PAYERS&period=2026-10&include=province');
    // only 6 payers in the whole province: even the total is hidden
    expect(payersQ.body[0]).toMatchObject({ level: 'province', n: 6, suppressed: true, value: null });
    // lower is better: fewer asked to come back ranks first
    const ranked = (await scores('index=ASKED_TO_RETURN&period=2026-10')).body as Row[];
    expect(ranked[0]?.rank).toBe(1);
    expect(ranked[0]?.unit).not.toBe('QT-DH-MC');
  });
});

describe('kiosk answers: never pooled, never ranked, flagged ones left out', () => {
  it('reports kiosk satisfaction and the Happy Index without the flagged answers', async () => {
    const faces = [4, 4, 4, 3, 3, 3, 3, 2, 2, 1, 4, 4];
    const rs = faces.map((f) => ({
      id: randomUUID(),
      instrument: 'KIOSK_QUICK',
      channel: 'kiosk',
      unit: 'QT-DH-MC',
      submittedAt: '2026-10-20T10:00:00+07:00',
      answers: { OVERALL: f },
    }));
    await submit(rs);
    // the last two were caught by a misuse rule
    await sql`update responses set flags = '{burst}' where id = any(${[rs[10]?.id, rs[11]?.id]}::uuid[])`.execute(tp.ctx.db);
    await rebuildRollups(tp.ctx.db, tenantId);
    const k = byUnit((await scores('index=KIOSK_SATISFIED&period=2026-10')).body).get('QT-DH-MC') as Row;
    expect(k).toMatchObject({ n: 10, value: 70, excluded: 2, rank: null, band: null });
    expect(k.ciLow).toBeCloseTo(39.678, 2);
    const h = byUnit((await scores('index=HAPPY_INDEX&period=2026-10')).body).get('QT-DH-MC') as Row;
    expect(h.value).toBeCloseTo((300 + 4 * (200 / 3) + 2 * (100 / 3)) / 10, 3);
    // kiosk answers never reach the phone index
    expect(byUnit((await scores('index=MSCORE_SATISFACTION&period=2026-10')).body).get('QT-DH-MC')?.n).toBe(40);
    const wrong = await scores('index=MSCORE_SATISFACTION&period=2026-10&channel=kiosk');
    expect(wrong.status).toBe(422);
    expect(wrong.body).toMatchObject({ code: 'score.channel_not_allowed', channels: ['phone', 'web', 'app'] });
  });
});

describe('indices over service events', () => {
  it('on-time return and the Decision 766 dossier satisfaction', async () => {
    const events = [];
    for (let i = 0; i < 10; i++) {
      const late = i >= 7;
      events.push({
        unit: 'QT-CL-MC',
        externalId: `SC-${i}`,
        kind: 'dossier',
        receivedAt: '2026-10-01T08:00:00+07:00',
        dueAt: '2026-10-15T17:00:00+07:00',
        returnedAt: late ? '2026-10-20T10:00:00+07:00' : '2026-10-14T10:00:00+07:00',
        status: 'returned',
        citizen: { phone: `091234${String(5600 + i)}` },
      });
    }
    // due in October, never returned: overdue
    events.push({
      unit: 'QT-CL-MC',
      externalId: 'SC-OVERDUE',
      kind: 'dossier',
      receivedAt: '2026-10-01T08:00:00+07:00',
      dueAt: '2026-10-05T17:00:00+07:00',
      status: 'processing',
    });
    const r = await admin.post('/api/v1/events', { events });
    expect(r.status).toBe(200);
    const onTime = byUnit((await scores('index=ON_TIME_EVENTS&period=2026-10')).body).get('QT-CL-MC') as Row;
    expect(onTime).toMatchObject({ n: 10, value: 70 });
    expect(onTime.ciLow).toBeCloseTo(39.678, 2);
    // an on-time dossier whose citizen was dissatisfied counts against Decision 766
    await submit([phone('QT-CL-MC', '2026-10-21', { SATISFACTION: 4 }, { eventId: r.body.results[0].id })]);
    const d = byUnit((await scores('index=D766_DOSSIER_SATISFACTION&period=2026-10')).body).get('QT-CL-MC') as Row;
    expect(d.n).toBe(11);
    expect(d.value).toBeCloseTo((6 / 11) * 100, 3);
    expect(d.ciLow).toBeCloseTo(28.009, 2);
    const wrong = await scores('index=ON_TIME_EVENTS&period=2026-10&channel=phone');
    expect(wrong.body.code).toBe('score.channel_not_allowed');
  });
});

describe('composites', () => {
  it('MoH comprehensive index, satisfaction share and section means', async () => {
    const inst = await admin.get('/api/v1/instruments/MOH_OUTPATIENT');
    const items: string[] = inst.body.versions[0].items.filter((c: string) => /^[A-E]\d/.test(c));
    expect(items).toHaveLength(31);
    const rs = Array.from({ length: 10 }, (_, i) => {
      const answers: Answers = Object.fromEntries(items.map((c) => [c, 5]));
      if (i < 3) answers.B1 = 3;
      if (i === 3) answers.C1 = 0; // not used: left out
      return {
        id: randomUUID(),
        instrument: 'MOH_OUTPATIENT',
        channel: 'phone',
        unit: 'QT-BVDK',
        submittedAt: '2026-10-05T10:00:00+07:00',
        answers,
      };
    });
    await submit(rs);
    const comp = await scores('index=MOH_COMPREHENSIVE&period=2026-10');
    const u = byUnit(comp.body);
    expect(u.has('QT-DH-MC')).toBe(false); // a health index lists health units
    expect(u.get('QT-BVDK')).toMatchObject({ n: 10, value: 70 });
    expect(u.get('QT-BVDK')?.value).toBe(70);
    const sat = byUnit((await scores('index=MOH_SATISFACTION&period=2026-10')).body).get('QT-BVDK') as Row;
    expect(sat.value).toBeCloseTo(((3 * 30) / 31 + 7) * 10, 3);
    const b = byUnit((await scores('index=MOH_SECTION_B&period=2026-10')).body).get('QT-BVDK') as Row;
    expect(b.value).toBeCloseTo((3 * 4.8 + 7 * 5) / 10, 4);
  });

  it('SIPAS: top box per criterion, factors, then the mean of the factors', async () => {
    const inst = await admin.get('/api/v1/instruments/SIPAS');
    const items: string[] = inst.body.versions[0].items;
    expect(items).toHaveLength(22);
    const rs = Array.from({ length: 10 }, (_, i) => ({
      id: randomUUID(),
      instrument: 'SIPAS',
      channel: 'phone',
      unit: 'QT-TTHCC',
      submittedAt: '2026-10-06T10:00:00+07:00',
      answers: { ...Object.fromEntries(items.map((c) => [c, 5])), ...(i < 5 ? { ACC1: 3 } : {}) },
    }));
    await submit(rs);
    const s = byUnit((await scores('index=SIPAS&period=2026-10')).body).get('QT-TTHCC') as Row;
    expect(s).toMatchObject({ n: 10 });
    expect(s.value).toBeCloseTo(97.5, 4);
    const acc = byUnit((await scores('index=SIPAS_ACC&period=2026-10')).body).get('QT-TTHCC') as Row;
    expect(acc.value).toBeCloseTo(87.5, 4);
  });
});

describe('alerts', () => {
  it('lists drops, receipts, kiosk-phone gaps and units under the minimum twice, with evidence', async () => {
    // Hướng Hóa was far better in September; Gio Linh's kiosk disagrees with its phone interviews.
    await submit(halves('QT-HH-MC', '2026-09-13', 30, 10, 9));
    await submit(
      Array.from({ length: 30 }, (_, i) => ({
        id: randomUUID(),
        instrument: 'KIOSK_QUICK',
        channel: 'kiosk',
        unit: 'QT-GL-MC',
        submittedAt: '2026-10-22T10:00:00+07:00',
        answers: { OVERALL: i < 10 ? 3 : 1 },
      })),
    );
    const r = await admin.get('/api/v1/alerts?period=2026-10');
    expect(r.status).toBe(200);
    const of = (kind: string, unit: string) =>
      r.body.find((a: { kind: string; unit: string }) => a.kind === kind && a.unit === unit);
    expect(of('paid_without_receipt', 'QT-DH-MC')).toMatchObject({ severity: 'high', evidence: { reports: 2, n: 40 } });
    expect(r.body[0].severity).toBe('high');
    expect(of('significant_drop', 'QT-HH-MC')).toMatchObject({
      index: 'MSCORE_SATISFACTION',
      evidence: { value: 7.5, previousValue: 9.5, change: -2 },
    });
    // Gio Linh rose: no alert for it
    expect(of('significant_drop', 'QT-GL-MC')).toBeUndefined();
    expect(of('kiosk_phone_gap', 'QT-GL-MC')).toMatchObject({ evidence: { kiosk: 33.3, kioskN: 30, phone: 100, phoneN: 30 } });
    // Đông Hà: 70% of 10 on the kiosk against 50% of 40 by phone is not a significant gap
    expect(of('kiosk_phone_gap', 'QT-DH-MC')).toBeUndefined();
    expect(of('small_sample', 'QT-VL-MC')).toMatchObject({ evidence: { n: 5, previousN: 0, minimum: 10 } });
    expect(of('small_sample', 'QT-HL-MC')).toBeUndefined();
    expect((await admin.get('/api/v1/alerts?period=nope')).status).toBe(422);
    const { client: gl } = await userWithRole(tp, admin, 'gl-alerts', 'unit_manager', 'QT-GL');
    const mine = await gl.get('/api/v1/alerts?period=2026-10');
    expect(new Set(mine.body.map((a: { unit: string }) => a.unit))).toEqual(new Set(['QT-GL-MC']));
  });
});

describe('requests', () => {
  it('refuses bad periods and unknown indices, and exports CSV and XLSX', async () => {
    expect((await scores('index=MSCORE_SATISFACTION&period=2026-13')).body.code).toBe('period.invalid');
    expect((await scores('index=MSCORE_SATISFACTION&period=2026-13')).status).toBe(422);
    expect((await scores('index=NOPE&period=2026-10')).status).toBe(404);
    expect((await scores('index=MSCORE_SATISFACTION&period=2026-10&unit=QT-NOPE')).body.code).toBe('unit.not_found');
    const one = await scores('index=MSCORE_SATISFACTION&period=2026-10&unit=QT-GL-MC');
    expect(one.body).toHaveLength(1);
    expect(one.body[0]).toMatchObject({ unit: 'QT-GL-MC', rank: 1 });
    const csv = await scores('index=MSCORE_SATISFACTION&period=2026-10&format=csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.text).toContain('QT-GL-MC,Văn phòng một cửa huyện Gio Linh,30,9.5,');
    const xlsx = await fetch(`${tp.baseUrl}/api/v1/scores?index=MSCORE_SATISFACTION&period=2026-10&format=xlsx`, {
      headers: { cookie: admin.cookie as string },
    });
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    expect(
      Buffer.from(await xlsx.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
  });

  it('trends by month, quarter and year, for a unit or the province', async () => {
    const t = await admin.get('/api/v1/scores/trend?index=MSCORE_SATISFACTION&from=2026-08&to=2026-10&unit=QT-GL-MC');
    expect(t.status).toBe(200);
    expect(t.body).toMatchObject({ index: 'MSCORE_SATISFACTION', unit: 'QT-GL-MC', channel: 'phone', step: 'month' });
    expect(t.body.points.map((p: Row) => [p.period, p.n, p.value])).toEqual([
      ['2026-08', 25, 9],
      ['2026-09', 30, 6.5],
      ['2026-10', 30, 9.5],
    ]);
    const q = await admin.get('/api/v1/scores/trend?index=MSCORE_SATISFACTION&from=2026-07&to=2026-12&step=quarter');
    expect(q.body.unit).toBe('QT');
    expect(q.body.points.map((p: Row) => p.period)).toEqual(['2026-Q3', '2026-Q4']);
    expect(q.body.points[0].n).toBe(20 + 4 + 25 + 30 + 40 + 30);
    const y = await admin.get('/api/v1/scores/trend?index=MSCORE_SATISFACTION&from=2025-01&to=2026-10&step=year');
    expect(y.body.points.map((p: Row) => [p.period, p.suppressed])).toEqual([
      ['2025', true],
      ['2026', false],
    ]);
    expect((await admin.get('/api/v1/scores/trend?index=MSCORE_SATISFACTION&from=2026-10&to=2026-08')).status).toBe(422);
    expect((await admin.get('/api/v1/scores/trend?index=MSCORE_SATISFACTION&from=2026-08&to=2026-10&channel=sms')).status).toBe(
      422,
    );
  });

  it('counts the reasons people chose', async () => {
    const bad = (reasons: string[]) => ({
      id: randomUUID(),
      instrument: 'KIOSK_QUICK',
      channel: 'kiosk',
      unit: 'QT-CL-MC',
      submittedAt: '2026-10-23T10:00:00+07:00',
      answers: { OVERALL: 2, REASONS_BAD: reasons },
    });
    await submit([bad(['long_wait']), bad(['long_wait']), bad(['long_wait', 'asked_for_money'])]);
    const r = await admin.get('/api/v1/scores/reasons?unit=QT-CL-MC&period=2026-10');
    expect(r.status).toBe(200);
    expect(r.body.map((x: { value: string; count: number }) => [x.value, x.count])).toEqual([
      ['long_wait', 3],
      ['asked_for_money', 1],
    ]);
    expect(r.body[0]).toMatchObject({ instrument: 'KIOSK_QUICK', item: 'REASONS_BAD', label: { vi: 'Phải chờ lâu' } });
    expect((await admin.get('/api/v1/scores/reasons?unit=QT-NONE&period=2026-10')).status).toBe(404);
  });

  it('a new answer shows in the next read (computed scores are kept only until data changes)', async () => {
    const read = async () => byUnit((await scores('index=MSCORE_SATISFACTION&period=2026-10')).body).get('QT-HL-MC')?.n;
    expect(await read()).toBe(12);
    expect(await read()).toBe(12);
    await submit(halves('QT-HL-MC', '2026-10-27', 1, 9, 9));
    expect(await read()).toBe(13);
  });

  it('mscore scores --json prints what the API returns', async () => {
    const api = await scores('index=MSCORE_SATISFACTION&period=2026-10');
    const cli = await runCommand(tp.ctx, ['scores', '--index', 'MSCORE_SATISFACTION', '--period', '2026-10', '--json']);
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.stdout)).toEqual(api.body);
    const text = await runCommand(tp.ctx, ['scores', '--index', 'MSCORE_SATISFACTION', '--period', '2026-10']);
    expect(text.stdout).toContain('QT-GL-MC');
    const bad = await runCommand(tp.ctx, ['scores', '--index', 'MSCORE_SATISFACTION', '--period', 'autumn']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('period');
    const list = await runCommand(tp.ctx, ['indices', '--json']);
    expect(JSON.parse(list.stdout).map((x: { code: string }) => x.code)).toContain('SIPAS');
  });

  it('a unit manager sees the units of their grant; a data clerk sees no scores', async () => {
    const { client: gl } = await userWithRole(tp, admin, 'gl-manager', 'unit_manager', 'QT-GL');
    const mine = await gl.get('/api/v1/scores?index=MSCORE_SATISFACTION&period=2026-10&include=province');
    expect(mine.status).toBe(200);
    expect(mine.body.map((r: Row) => r.unit)).toEqual(['QT', 'QT-GL-MC']);
    // ranks are those of the whole province
    expect(mine.body[1]).toMatchObject({ rank: 1 });
    expect((await gl.get('/api/v1/scores?index=MSCORE_SATISFACTION&period=2026-10&unit=QT-DH-MC')).status).toBe(403);
    const { client: clerk } = await userWithRole(tp, admin, 'clerk', 'data_clerk', null);
    expect((await clerk.get('/api/v1/scores?index=MSCORE_SATISFACTION&period=2026-10')).status).toBe(403);
    expect((await gl.put('/api/v1/indices/MY_INDEX', { definition: {} })).status).toBe(403);
  });
});

describe('versions', () => {
  it('publishes new versions, keeps old ones frozen and computes with either', async () => {
    const def = {
      name: { vi: 'Thái độ cán bộ', en: 'Staff attitude' },
      sector: 'administration',
      display: { unit: 'points', min: 1, max: 9, decimals: 2 },
      higherIsBetter: true,
      formula: { kind: 'mean', instruments: ['MSCORE_PHONE'], channels: ['phone'], items: ['STAFF_ATTITUDE'] },
    };
    const v1 = await admin.put('/api/v1/indices/STAFF_ONLY', { definition: def, note: 'attitude alone' });
    expect(v1.status).toBe(201);
    expect(v1.body).toEqual({ code: 'STAFF_ONLY', version: 1 });
    const v2 = await admin.put('/api/v1/indices/STAFF_ONLY', {
      definition: { ...def, formula: { ...def.formula, items: ['GUIDANCE_CLARITY'] } },
    });
    expect(v2.body.version).toBe(2);
    const now = byUnit((await scores('index=STAFF_ONLY&period=2026-10')).body).get('QT-DH-MC') as Row;
    expect(now).toMatchObject({ n: 39, value: 6 });
    const then = byUnit((await scores('index=STAFF_ONLY&period=2026-10&version=1')).body).get('QT-DH-MC') as Row;
    expect(then).toMatchObject({ n: 40, value: 8 });
    expect((await admin.get('/api/v1/indices/STAFF_ONLY')).body.versions).toHaveLength(2);
    await expect(sql`update score_index_versions set note = 'x' where code = 'STAFF_ONLY'`.execute(tp.ctx.db)).rejects.toThrow(
      /frozen/,
    );

    const bad = await admin.put('/api/v1/indices/BROKEN', {
      definition: { ...def, formula: { kind: 'share', instruments: ['MSCORE_PHONE'], channels: ['phone'], item: 'lower' } },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('index.definition_invalid');
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toContain('formula.item');
    const unknown = await admin.put('/api/v1/indices/BROKEN', {
      definition: { ...def, formula: { ...def.formula, instruments: ['NO_SUCH_FORM'] } },
    });
    expect(unknown.body.errors[0]).toMatchObject({ code: 'instrument.not_found' });
    expect((await admin.get('/api/v1/indices/BROKEN')).status).toBe(404);
  });
});

describe('publication: review, right of reply, corrections, frozen snapshot, open data, verification', () => {
  it('freezes a period, takes replies while the window is open, then publishes it for everyone', async () => {
    const created = await admin.post('/api/v1/snapshots', { period: '2026-10', sector: 'administration', replyDays: 7 });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body.inputsHash).toMatch(/^[0-9a-f]{64}$/);
    const early = await admin.post(`/api/v1/snapshots/${id}/publish`);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('snapshot.reply_window_open');
    expect((await admin.get('/api/public/v1/rankings?sector=administration&period=2026-10')).status).toBe(404);

    // the right of reply, for the manager's own units only
    const { client: gl } = await userWithRole(tp, admin, 'gl-replier', 'unit_manager', 'QT-GL');
    const reply = await gl.post(`/api/v1/snapshots/${id}/replies`, {
      unit: 'QT-GL-MC',
      text: 'Tháng 10 đơn vị đã bổ sung hai cán bộ ở bộ phận một cửa.',
    });
    expect(reply.status).toBe(201);
    expect((await gl.post(`/api/v1/snapshots/${id}/replies`, { unit: 'QT-DH-MC', text: 'không phải của tôi' })).status).toBe(403);
    const seen = await gl.get(`/api/v1/snapshots/${id}`);
    expect(seen.status).toBe(200);
    const sat = seen.body.results.find((r: { index: string }) => r.index === 'MSCORE_SATISFACTION');
    expect(sat.rows.map((r: Row) => r.unit)).toEqual(['QT-GL-MC']);
    expect(seen.body.replies).toHaveLength(1);
    expect(seen.body.method).toMatchObject({ MSCORE_SATISFACTION: 1, SIPAS: 1 });
    expect(seen.body.method.MOH_SATISFACTION).toBeUndefined(); // a health index is not in the administration snapshot

    // a late answer, then a logged correction
    await submit(halves('QT-GL-MC', '2026-10-25', 2, 1, 1));
    const fix = await admin.post(`/api/v1/snapshots/${id}/recompute`, { reason: 'Gio Linh: hai phiếu phỏng vấn nhập muộn' });
    expect(fix.status).toBe(200);
    expect(fix.body.changedRows).toBeGreaterThan(0);
    expect(fix.body.inputsHash).not.toBe(created.body.inputsHash);
    const detail = await admin.get(`/api/v1/snapshots/${id}`);
    expect(detail.body.corrections).toHaveLength(1);
    expect(detail.body.corrections[0]).toMatchObject({ oldHash: created.body.inputsHash, newHash: fix.body.inputsHash });

    // the window closes: no more replies; publication freezes it
    await sql`update score_snapshots set reply_until = now() - interval '1 minute' where id = ${id}`.execute(tp.ctx.db);
    expect((await gl.post(`/api/v1/snapshots/${id}/replies`, { unit: 'QT-GL-MC', text: 'muộn' })).body.code).toBe(
      'snapshot.reply_closed',
    );
    expect((await gl.post(`/api/v1/snapshots/${id}/publish`)).status).toBe(403);
    const pub = await admin.post(`/api/v1/snapshots/${id}/publish`);
    expect(pub.status).toBe(200);
    expect((await admin.post(`/api/v1/snapshots/${id}/recompute`, { reason: 'again' })).body.code).toBe('snapshot.published');
    await expect(sql`update score_snapshots set period = '2026-09' where id = ${id}`.execute(tp.ctx.db)).rejects.toThrow(
      /published/,
    );

    // public, cacheable rankings: no session needed
    const anon = tp.client();
    const pr = await anon.get('/api/public/v1/rankings?sector=administration&period=2026-10');
    expect(pr.status).toBe(200);
    expect(pr.headers.get('cache-control')).toContain('public');
    const etag = pr.headers.get('etag') as string;
    expect(etag).toContain(id);
    expect(pr.body[0]).toMatchObject({ level: 'province', index: 'MSCORE_SATISFACTION', snapshotId: id, period: '2026-10' });
    const glRow = pr.body.find((r: Row) => r.unit === 'QT-GL-MC');
    expect(glRow).toMatchObject({ n: 32, rank: 1 });
    expect(pr.body.find((r: Row) => r.unit === 'QT-VL-MC')).toMatchObject({ suppressed: true, value: null });
    expect(
      (await anon.get('/api/public/v1/rankings?sector=administration&period=2026-10', { 'if-none-match': etag })).status,
    ).toBe(304);
    expect((await anon.get('/api/public/v1/rankings?sector=administration')).body[0].snapshotId).toBe(id);
    const asked = await anon.get('/api/public/v1/rankings?sector=administration&period=2026-10&index=ASKED_TO_RETURN');
    expect(asked.body[0].index).toBe('ASKED_TO_RETURN');
    expect((await anon.get('/api/public/v1/rankings?sector=health')).status).toBe(404);

    // open data
    const list = await anon.get('/api/public/v1/snapshots');
    expect(list.body.map((s: { id: string }) => s.id)).toEqual([id]);
    const json = await anon.get(`/api/public/v1/snapshots/${id}`);
    expect(json.body).toMatchObject({ id, period: '2026-10', sector: 'administration', methodVersion: 'mscore-scores/1' });
    expect(json.body.indices.length).toBeGreaterThan(5);
    const csv = await anon.get(`/api/public/v1/snapshots/${id}?format=csv`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.text).toContain('MSCORE_SATISFACTION,1,phone,QT-GL-MC,');
    // a snapshot in review stays private
    const review = await admin.post('/api/v1/snapshots', { period: '2026-09', sector: 'administration' });
    expect((await anon.get(`/api/public/v1/snapshots/${review.body.id}`)).status).toBe(404);
    const methodology = await anon.get('/api/public/v1/indices');
    expect(methodology.body.find((x: { code: string }) => x.code === 'SIPAS')).toMatchObject({ kind: 'composite' });
  });

  it('mscore scores verify recomputes from the raw answers and reports any difference', async () => {
    const [snap] = (await admin.get('/api/v1/snapshots')).body.filter((s: { status: string }) => s.status === 'published');
    const ok = await runCommand(tp.ctx, ['scores', 'verify', snap.id]);
    expect(ok.stdout).toContain('0 differences');
    expect(ok.code).toBe(0);
    // damaged rollups change what the console shows, not what verification reads
    await sql`update response_rollups set count = count + 5 where item = 'SATISFACTION' and value = '10'`.execute(tp.ctx.db);
    expect((await runCommand(tp.ctx, ['scores', 'verify', snap.id])).code).toBe(0);
    await rebuildRollups(tp.ctx.db, tenantId);
    // an answer added to the period afterwards is a difference
    await submit(halves('QT-GL-MC', '2026-10-26', 1, 10, 10));
    const bad = await runCommand(tp.ctx, ['scores', 'verify', snap.id, '--json']);
    expect(bad.code).toBe(1);
    const report = JSON.parse(bad.stdout);
    expect(report.ok).toBe(false);
    expect(report.differences).toContainEqual({
      index: 'MSCORE_SATISFACTION',
      unit: 'QT-GL-MC',
      field: 'n',
      stored: 32,
      recomputed: 33,
    });
    expect((await runCommand(tp.ctx, ['scores', 'verify', '00000000-0000-0000-0000-000000000000'])).code).toBe(2);
  });
});
