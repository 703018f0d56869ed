// The one intake path: idempotency under concurrency, conflicts, partial
// responses, validation per item type, versions, and rollups that always
// equal a recomputation from the raw answers.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAnswerPhone } from '../../../src/modules/responses/commands/submit-responses.ts';
import {
  compactRollups,
  diffRollups,
  readRollups,
  rebuildRollups,
  recomputeFromAnswers,
} from '../../../src/modules/responses/rollups.ts';
import { Client, startTestPlatform, type TestPlatform, userWithRole } from '../../support/platform.ts';

let tp: TestPlatform;
let admin: Client;
let tenantId: string;
beforeAll(async () => {
  tp = await startTestPlatform();
  admin = await tp.admin();
  tenantId = (await tp.ctx.db.selectFrom('tenants').select('id').executeTakeFirstOrThrow()).id;
});
afterAll(async () => tp?.stop());

const kiosk = (extra: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  instrument: 'KIOSK_QUICK',
  channel: 'kiosk',
  unit: 'QT-DH-MC',
  submittedAt: '2026-11-02T09:15:00+07:00',
  answers: { OVERALL: 4, REASONS_GOOD: ['fast', 'friendly_staff'] },
  ...extra,
});

async function countRows(table: 'responses' | 'response_answers', id: string) {
  const col = table === 'responses' ? 'id' : 'response_id';
  const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where ${sql.ref(col)} = ${id}`.execute(
    tp.ctx.db,
  );
  return r.rows[0]?.n;
}

async function newEvent(externalId: string, unit = 'QT-DH-MC') {
  const r = await admin.post('/api/v1/events', {
    events: [{ unit, externalId, kind: 'dossier', returnedAt: '2026-11-01T10:00:00+07:00', citizen: { phone: '0912345678' } }],
  });
  expect(r.body.results[0]).toMatchObject({ result: 'created', id: expect.any(String) });
  return r.body.results[0].id as string;
}

describe('instruments contract', () => {
  it('lists the built-in instruments with versions and item codes', async () => {
    const r = await admin.get('/api/v1/instruments');
    expect(r.status).toBe(200);
    const byCode = new Map(r.body.map((i: { code: string }) => [i.code, i]));
    for (const code of ['MSCORE_PHONE', 'KIOSK_QUICK', 'SMS_ONE', 'MOH_OUTPATIENT', 'MOH_INPATIENT', 'SIPAS'])
      expect(byCode.get(code)).toMatchObject({ builtin: true, latestVersion: 1 });
    expect(byCode.get('KIOSK_QUICK')).toMatchObject({
      channels: ['kiosk', 'web', 'app'],
      versions: [{ version: 1, status: 'published', items: ['OVERALL', 'REASONS_GOOD', 'REASONS_BAD', 'CALLBACK_PHONE'] }],
    });
    const one = await admin.get('/api/v1/instruments/MOH_OUTPATIENT');
    expect(one.status).toBe(200);
    expect(one.body.versions[0].items).toHaveLength(33);
    expect(one.body.versions[0].definition.items[0]).toMatchObject({ code: 'A1', type: 'scale', min: 1, max: 5 });
    expect((await admin.get('/api/v1/instruments/NO_SUCH')).status).toBe(404);
  });
});

describe('idempotent intake', () => {
  it('creates, replays, and refuses a tampered replay', async () => {
    const body = kiosk();
    const a = await admin.post('/api/v1/responses', body);
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ id: body.id, result: 'created', status: 'complete' });
    const b = await admin.post('/api/v1/responses', body);
    expect(b.status).toBe(200);
    expect(b.body).toMatchObject({ result: 'replayed', receivedAt: a.body.receivedAt });
    const c = await admin.post('/api/v1/responses', { ...body, answers: { OVERALL: 1 } });
    expect(c.status).toBe(409);
    expect(c.body.code).toBe('response.conflict');
    expect(c.headers.get('content-type')).toContain('application/problem+json');
    expect(await countRows('response_answers', body.id)).toBe(3);
  });

  it('100 concurrent replays of one response leave one row', async () => {
    const body = kiosk();
    const rs = await Promise.all(Array.from({ length: 100 }, () => admin.post('/api/v1/responses', body)));
    const statuses = rs.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(99);
    expect(await countRows('responses', body.id)).toBe(1);
    expect(await countRows('response_answers', body.id)).toBe(3);
    const diff = await diffRollups(tp.ctx.db, { tenantId });
    expect(diff.diffs).toEqual([]);
  });

  it('one complete response per service event and channel', async () => {
    const eventId = await newEvent('RESP-EV-1');
    const first = await admin.post('/api/v1/responses', kiosk({ eventId }));
    expect(first.status).toBe(201);
    const second = await admin.post('/api/v1/responses', kiosk({ eventId }));
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('response.duplicate_event');
    // Another channel may answer about the same event.
    const web = await admin.post('/api/v1/responses', kiosk({ eventId, channel: 'web' }));
    expect(web.status).toBe(201);
    const wrongUnit = await admin.post('/api/v1/responses', kiosk({ eventId, unit: 'QT-VL-MC' }));
    expect(wrongUnit.body.code).toBe('response.event_unit_mismatch');
    const unknown = await admin.post('/api/v1/responses', kiosk({ eventId: randomUUID() }));
    expect(unknown.body.code).toBe('response.event_not_found');
  });

  it('partial, then complete: counted once, and only when complete', async () => {
    const id = randomUUID();
    const unit = 'QT-GL-MC';
    const n = async () =>
      (await readRollups(tp.ctx.db, { tenantId, channel: 'phone' }))
        .filter((r) => r.item === '_n')
        .reduce((s, r) => s + Number(r.count), 0);
    const before = await n();
    const partial = {
      id,
      instrument: 'MSCORE_PHONE',
      channel: 'phone',
      unit,
      submittedAt: '2026-11-03T10:00:00+07:00',
      status: 'partial',
      answers: { IDENTITY: true, RESULT_STATUS: 'late' },
    };
    const p1 = await admin.post('/api/v1/responses', partial);
    expect(p1.status).toBe(201);
    expect(p1.body.status).toBe('partial');
    expect(await n()).toBe(before);
    // A partial may be extended...
    const p2 = await admin.post('/api/v1/responses', { ...partial, answers: { ...partial.answers, ASKED_TO_RETURN: false } });
    expect(p2.body).toMatchObject({ result: 'updated', status: 'partial' });
    expect(await n()).toBe(before);
    // ...and completed in place; a complete response must pass the required checks.
    const incomplete = await admin.post('/api/v1/responses', { ...partial, status: 'complete' });
    expect(incomplete.status).toBe(422);
    expect(incomplete.body.errors.map((e: { item: string; code: string }) => `${e.item}:${e.code}`)).toContain(
      'SATISFACTION:answer.required',
    );
    const complete = {
      ...partial,
      status: 'complete',
      submittedAt: '2026-11-03T10:12:00+07:00',
      answers: {
        IDENTITY: true,
        RESULT_STATUS: 'late',
        ASKED_TO_RETURN: true,
        RETURN_TIMES: 2,
        RETURN_REASONS: ['result_not_ready'],
        FEE_PAID: 'with_receipt',
        EXTRA_PAYMENT: false,
        STAFF_ATTITUDE: 8,
        GUIDANCE_CLARITY: 0,
        SATISFACTION: 9,
        BEST_THING: 'Cán bộ nhiệt tình',
      },
    };
    const c1 = await admin.post('/api/v1/responses', complete);
    expect(c1.status).toBe(200);
    expect(c1.body).toMatchObject({ result: 'updated', status: 'complete' });
    expect(await n()).toBe(before + 1);
    const again = await admin.post('/api/v1/responses', complete);
    expect(again.body.result).toBe('replayed');
    expect(await n()).toBe(before + 1);
    // Once complete it is final.
    const late = await admin.post('/api/v1/responses', { ...partial });
    expect(late.status).toBe(409);
    const stored = await admin.get(`/api/v1/responses/${id}`);
    expect(stored.body).toMatchObject({ status: 'complete', channel: 'phone', unit, interviewerId: expect.any(String) });
    expect(stored.body.answers).toContainEqual({ item: 'GUIDANCE_CLARITY', value: 'na', num: null });
    expect(stored.body.answers).toContainEqual({ item: 'SATISFACTION', value: '9', num: 9 });
    expect((await diffRollups(tp.ctx.db, { tenantId })).diffs).toEqual([]);
  });

  it('a token scoped to a unit cannot write another unit’s responses', async () => {
    const t = await admin.post('/api/v1/tokens', { name: 'kiosk-gl', role: 'data_clerk', unitCode: 'QT-GL-MC' });
    const c = new Client(tp.baseUrl);
    c.bearer = t.body.token;
    expect((await c.post('/api/v1/responses', kiosk({ unit: 'QT-GL-MC' }))).status).toBe(201);
    const other = await c.post('/api/v1/responses', kiosk({ unit: 'QT-DH-MC' }));
    expect(other.status).toBe(403);
    // An administrator of one subtree may not change the tenant's instruments, and the console is told so.
    const local = await userWithRole(tp, admin, 'local.admin', 'admin', 'QT-GL');
    const me = await local.client.get('/api/v1/auth/me');
    expect(me.body.permissions).toContain('surveys.write');
    expect(me.body.tenantWidePermissions).not.toContain('surveys.write');
    expect((await admin.get('/api/v1/auth/me')).body.tenantWidePermissions).toContain('surveys.write');
    const edit = await local.client.patch('/api/v1/instruments/SMS_ONE', { name: { vi: 'Đổi tên' } });
    expect(edit.status).toBe(403);
    const viewer = await userWithRole(tp, admin, 'resp.viewer', 'board', 'QT-GL');
    expect((await viewer.client.post('/api/v1/responses', kiosk())).status).toBe(403);
  });
});

describe('validation against the instrument version', () => {
  const definition = {
    languages: ['vi', 'en'],
    lists: {
      why: [
        { code: 'slow', label: { vi: 'Chậm' } },
        { code: 'rude', label: { vi: 'Thiếu lịch sự' } },
      ],
    },
    items: [
      { code: 'FACE', type: 'faces', label: { vi: 'Mặt cười' }, required: true },
      {
        code: 'S5',
        type: 'scale',
        min: 1,
        max: 5,
        label: { vi: 'Thang 5' },
        noOpinion: { value: 0, label: { vi: 'Không ý kiến' } },
      },
      { code: 'S9', type: 'scale', min: 1, max: 9, label: { vi: 'Thang 9' } },
      { code: 'S10', type: 'scale', min: 1, max: 10, label: { vi: 'Thang 10' } },
      { code: 'YN', type: 'yesno', label: { vi: 'Có/không' }, required: true },
      {
        code: 'ONE',
        type: 'single',
        options: [
          { code: 'a', label: { vi: 'A' } },
          { code: 'b', label: { vi: 'B' } },
        ],
        label: { vi: 'Một' },
      },
      {
        code: 'MANY',
        type: 'multiple',
        optionsFrom: 'why',
        label: { vi: 'Nhiều' },
        showIf: { item: 'FACE', op: 'lte', value: 2 },
      },
      { code: 'NUM', type: 'number', min: 0, max: 600, integer: true, label: { vi: 'Số phút' } },
      { code: 'TXT', type: 'text', maxLength: 20, label: { vi: 'Góp ý' } },
      { code: 'TEL', type: 'phone', personal: true, label: { vi: 'Số điện thoại' } },
    ],
  };
  const base = () => ({
    id: randomUUID(),
    instrument: 'ALL_TYPES',
    channel: 'web',
    unit: 'QT-DH-MC',
    submittedAt: '2026-11-04T08:00:00+07:00',
  });

  beforeAll(async () => {
    const c = await admin.post('/api/v1/instruments', {
      code: 'ALL_TYPES',
      name: { vi: 'Mọi loại câu hỏi', en: 'Every item type' },
      sector: null,
      channels: ['web', 'kiosk'],
      definition,
    });
    expect(c.status).toBe(201);
    // Not answerable while it is a draft.
    const draft = await admin.post('/api/v1/responses', { ...base(), answers: { FACE: 3, YN: true } });
    expect(draft.body.code).toBe('response.instrument_not_found');
    expect((await admin.post('/api/v1/instruments/ALL_TYPES/versions/1/publish')).status).toBe(204);
  });

  const errorsOf = async (answers: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    const r = await admin.post('/api/v1/responses', { ...base(), answers, ...extra });
    if (r.status === 201) return [];
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('response.invalid');
    return r.body.errors.map((e: { item: string; code: string }) => `${e.item}:${e.code}`);
  };

  it('accepts a full, valid response and normalises it', async () => {
    const body = {
      ...base(),
      consent: true,
      answers: {
        FACE: 2,
        S5: 0,
        S9: 9,
        S10: 1,
        YN: false,
        ONE: 'b',
        MANY: ['rude', 'slow'],
        NUM: 45,
        TXT: '  Cần nhanh hơn ',
        TEL: '84 912.345.678',
      },
    };
    const r = await admin.post('/api/v1/responses', body);
    expect(r.status).toBe(201);
    const rows = await tp.ctx.db
      .selectFrom('response_answers')
      .select(['item', 'ord', 'value', 'num'])
      .where('response_id', '=', body.id)
      .orderBy('item')
      .orderBy('ord')
      .execute();
    const tel = rows.find((x) => x.item === 'TEL');
    expect(tel?.value).not.toContain('912');
    expect(readAnswerPhone(tp.ctx.vault, tenantId, body.id, tel?.value as string)).toBe('0912345678');
    expect(rows.filter((x) => x.item !== 'TEL')).toEqual([
      { item: 'FACE', ord: 0, value: '2', num: 2 },
      { item: 'MANY', ord: 0, value: 'rude', num: null },
      { item: 'MANY', ord: 1, value: 'slow', num: null },
      { item: 'NUM', ord: 0, value: '45', num: 45 },
      { item: 'ONE', ord: 0, value: 'b', num: null },
      { item: 'S10', ord: 0, value: '1', num: 1 },
      { item: 'S5', ord: 0, value: 'na', num: null },
      { item: 'S9', ord: 0, value: '9', num: 9 },
      { item: 'TXT', ord: 0, value: 'Cần nhanh hơn', num: null },
      { item: 'YN', ord: 0, value: '0', num: 0 },
    ]);
  });

  it('names every bad item with its own code', async () => {
    expect(await errorsOf({ FACE: 5, YN: true })).toEqual(['FACE:answer.out_of_range']);
    expect(await errorsOf({ FACE: '4', YN: true })).toEqual(['FACE:answer.invalid_type']);
    expect(await errorsOf({ FACE: 3, YN: true, S5: 6 })).toEqual(['S5:answer.out_of_range']);
    expect(await errorsOf({ FACE: 3, YN: true, S9: 2.5 })).toEqual(['S9:answer.out_of_range']);
    expect(await errorsOf({ FACE: 3, YN: true, S10: 0 })).toEqual(['S10:answer.out_of_range']);
    expect(await errorsOf({ FACE: 3, YN: 'yes' })).toEqual(['YN:answer.invalid_type']);
    expect(await errorsOf({ FACE: 3, YN: true, ONE: 'c' })).toEqual(['ONE:answer.invalid_option']);
    expect(await errorsOf({ FACE: 1, YN: true, MANY: ['slow', 'slow'] })).toEqual(['MANY:answer.duplicate_option']);
    expect(await errorsOf({ FACE: 1, YN: true, MANY: ['late'] })).toEqual(['MANY:answer.invalid_option']);
    expect(await errorsOf({ FACE: 1, YN: true, MANY: 'slow' })).toEqual(['MANY:answer.invalid_type']);
    expect(await errorsOf({ FACE: 3, YN: true, NUM: 12.5 })).toEqual(['NUM:answer.not_integer']);
    expect(await errorsOf({ FACE: 3, YN: true, NUM: 601 })).toEqual(['NUM:answer.out_of_range']);
    expect(await errorsOf({ FACE: 3, YN: true, TXT: 'x'.repeat(21) })).toEqual(['TXT:answer.too_long']);
    expect(await errorsOf({ FACE: 3, YN: true, TEL: '0912345678' })).toEqual(['TEL:answer.needs_consent']);
    expect(await errorsOf({ FACE: 3, YN: true, TEL: '12345' }, { consent: true })).toEqual(['TEL:answer.invalid_phone']);
    expect(await errorsOf({ YN: true })).toEqual(['FACE:answer.required']);
    expect(await errorsOf({ FACE: 4, YN: true, MANY: ['slow'] })).toEqual(['MANY:answer.skipped']);
    expect(await errorsOf({ FACE: 4, YN: true, EXTRA: 1 })).toEqual(['EXTRA:answer.unknown_item']);
    // Several problems at once, each named.
    expect(await errorsOf({ FACE: 0, YN: 1, ONE: 'z' })).toEqual([
      'FACE:answer.out_of_range',
      'YN:answer.invalid_type',
      'ONE:answer.invalid_option',
    ]);
  });

  it('refuses bad envelopes with specific codes', async () => {
    const r = await admin.post('/api/v1/responses', { ...base(), channel: 'sms', answers: { FACE: 3, YN: true } });
    expect(r.body.code).toBe('response.channel_not_allowed');
    const u = await admin.post('/api/v1/responses', { ...base(), unit: 'NOPE', answers: { FACE: 3, YN: true } });
    expect(u.body.code).toBe('response.unit_not_found');
    const v = await admin.post('/api/v1/responses', { ...base(), version: 9, answers: { FACE: 3, YN: true } });
    expect(v.body.code).toBe('response.version_not_found');
    const f = await admin.post('/api/v1/responses', {
      ...base(),
      submittedAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      answers: { FACE: 3, YN: true },
    });
    expect(f.body.code).toBe('response.submitted_in_future');
    const s = await admin.post('/api/v1/responses', { ...base(), nonsense: 1, answers: {} });
    expect(s.status).toBe(400);
    expect(s.body.code).toBe('request.invalid');
  });

  it('a published version cannot change; a new version keeps old answers and their items', async () => {
    const db = tp.ctx.db;
    const inst = await db.selectFrom('instruments').select('id').where('code', '=', 'ALL_TYPES').executeTakeFirstOrThrow();
    await expect(
      sql`update instrument_versions set definition = '{}'::jsonb where instrument_id = ${inst.id} and version = 1`.execute(db),
    ).rejects.toThrow(/published/);
    await expect(
      sql`delete from instrument_versions where instrument_id = ${inst.id} and version = 1`.execute(db),
    ).rejects.toThrow(/published/);
    const old = { ...base(), answers: { FACE: 3, YN: true, ONE: 'a' } };
    expect((await admin.post('/api/v1/responses', old)).status).toBe(201);
    // Version 2 drops ONE.
    const v2 = { ...definition, items: definition.items.filter((i) => i.code !== 'ONE') };
    const d = await admin.put('/api/v1/instruments/ALL_TYPES/draft', { definition: v2, note: 'bỏ câu ONE' });
    expect(d.body).toEqual({ code: 'ALL_TYPES', version: 2 });
    const bad = await admin.put('/api/v1/instruments/ALL_TYPES/draft', {
      definition: { ...v2, items: [...v2.items, { code: 'S7', type: 'scale', min: 1, max: 7, label: { vi: 'x' } }] },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('instrument.definition_invalid');
    expect(bad.body.errors[0].path).toBe('items.9.max');
    expect((await admin.post('/api/v1/instruments/ALL_TYPES/versions/2/publish')).status).toBe(204);
    expect((await admin.post('/api/v1/instruments/ALL_TYPES/versions/2/publish')).status).toBe(409);
    const now = await admin.post('/api/v1/responses', { ...base(), answers: { FACE: 3, YN: true, ONE: 'a' } });
    expect(now.body.errors).toEqual([expect.objectContaining({ item: 'ONE', code: 'answer.unknown_item' })]);
    // Naming version 1 still works, and its replay keeps version 1.
    const pinned = { ...base(), version: 1, answers: { FACE: 4, YN: true, ONE: 'b' } };
    expect((await admin.post('/api/v1/responses', pinned)).status).toBe(201);
    expect((await admin.get(`/api/v1/responses/${old.id}`)).body.version).toBe(1);
    const counts = await admin.get('/api/v1/response-counts?instrument=ALL_TYPES');
    const one = counts.body.rows.filter((r: { item: string }) => r.item === 'ONE');
    expect(one).toEqual(
      expect.arrayContaining([
        { version: 1, item: 'ONE', value: 'a', flag: '', count: 1 },
        { version: 1, item: 'ONE', value: 'b', flag: '', count: 2 },
      ]),
    );
    const detail = await admin.get('/api/v1/instruments/ALL_TYPES');
    expect(detail.body.versions.map((v: { version: number; status: string }) => `${v.version}:${v.status}`)).toEqual([
      '1:published',
      '2:published',
    ]);
    expect(detail.body.versions[0].items).toContain('ONE');
  });
});

describe('batch form', () => {
  it('judges each item alone and keeps the good ones', async () => {
    const good = kiosk({ unit: 'QT-CL-MC' });
    const dup = { ...good };
    const tampered = { ...good, answers: { OVERALL: 1 } };
    const bad = kiosk({ answers: { OVERALL: 9 } });
    const r = await admin.post('/api/v1/responses/batch', {
      responses: [good, bad, dup, { nonsense: true }, tampered, kiosk({ unit: 'QT-CL-MC' })],
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ created: 2, replayed: 1, rejected: 3 });
    expect(r.body.results.map((x: { result: string; code?: string }) => x.code ?? x.result)).toEqual([
      'created',
      'response.invalid',
      'replayed',
      'response.invalid',
      'response.conflict',
      'created',
    ]);
    expect(r.body.results[1].errors[0]).toMatchObject({ item: 'OVERALL', code: 'answer.out_of_range' });
    expect(await countRows('responses', good.id)).toBe(1);
    const big = await admin.post('/api/v1/responses/batch', { responses: Array.from({ length: 501 }, () => kiosk()) });
    expect(big.status).toBe(400);
    expect(big.body.code).toBe('request.invalid');
  });
});

describe('rollups', () => {
  it('equal a recomputation from raw answers on random data, before and after compaction, and after a rebuild', async () => {
    let seed = 20141;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)] as T;
    const units = ['QT-DH-MC', 'QT-VL-MC', 'QT-GL-MC', 'QT-CL-MC', 'QT-TP-MC'];
    const make = () => {
      const overall = 1 + Math.floor(rand() * 4);
      const answers: Record<string, unknown> = { OVERALL: overall };
      if (overall >= 3 && rand() < 0.6) answers.REASONS_GOOD = ['on_time', 'fast', 'professional'].filter(() => rand() < 0.5);
      if (overall <= 2 && rand() < 0.6) answers.REASONS_BAD = ['long_wait', 'asked_for_money'].filter(() => rand() < 0.6);
      const day = 1 + Math.floor(rand() * 28);
      return kiosk({
        unit: pick(units),
        channel: pick(['kiosk', 'web', 'app']),
        submittedAt: `2026-10-${String(day).padStart(2, '0')}T${pick(['06', '12', '23'])}:30:00+07:00`,
        answers,
        status: rand() < 0.1 ? 'partial' : 'complete',
      });
    };
    for (let b = 0; b < 4; b++) {
      const batch = Array.from({ length: 150 }, make);
      const r = await admin.post('/api/v1/responses/batch', { responses: batch });
      expect(r.body.rejected).toBe(0);
      if (b === 1) await compactRollups(tp.ctx.db);
    }
    const f = { tenantId, from: '2026-10-01', to: '2026-10-31' };
    expect((await diffRollups(tp.ctx.db, f)).diffs).toEqual([]);
    const beforeRebuild = await readRollups(tp.ctx.db, f);
    // Days are local: 23:30 on the 31st in Vietnam stays in October.
    expect(beforeRebuild.every((r) => r.day >= '2026-10-01' && r.day <= '2026-10-28')).toBe(true);
    expect(beforeRebuild.filter((r) => r.item === '_n').reduce((s, r) => s + Number(r.count), 0)).toBeGreaterThan(450);
    await compactRollups(tp.ctx.db);
    expect(await readRollups(tp.ctx.db, f)).toEqual(beforeRebuild);
    const pending = await sql<{ n: number }>`select count(*)::int as n from response_rollup_deltas`.execute(tp.ctx.db);
    expect(pending.rows[0]?.n).toBe(0);
    await rebuildRollups(tp.ctx.db, tenantId);
    expect(await readRollups(tp.ctx.db, f)).toEqual(beforeRebuild);
    expect(await recomputeFromAnswers(tp.ctx.db, f)).toEqual(beforeRebuild);
  });

  it('`mscore rollups check` and `rebuild` report agreement', async () => {
    const { runCommand } = await import('../../../src/commands.ts');
    const check = await runCommand(tp.ctx, ['rollups', 'check']);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/0 differences/);
    // A count that drifted from the answers is reported, and a rebuild repairs it.
    await sql`update response_rollups set count = count + 1 where ctid = (select ctid from response_rollups limit 1)`.execute(
      tp.ctx.db,
    );
    const broken = await runCommand(tp.ctx, ['rollups', 'check']);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/1 differences/);
    const rebuilt = await runCommand(tp.ctx, ['rollups', 'rebuild']);
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stdout).toMatch(/rebuilt \d+ rollup rows .* 0 differences/);
  });
});
