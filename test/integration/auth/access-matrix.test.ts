// Generated matrix: every /api/v1 route x every role (as a session and as an
// API token) granted on one subtree, aimed at objects of another subtree and of
// another tenant. Forbidden or not found, never their data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../../src/db/types.ts';
import { DEFAULT_SETTINGS } from '../../../src/modules/sms/settings.ts';
import { hashPassword } from '../../../src/platform/auth/passwords.ts';
import { rolesFor } from '../../../src/platform/auth/policy.ts';
import { newToken, tokenHash } from '../../../src/platform/auth/tokens.ts';
import { searchKey } from '../../../src/platform/text.ts';
import { Client, startTestPlatform, type TestPlatform, userWithRole } from '../../support/platform.ts';

let tp: TestPlatform;
const OWN = 'QT-DH'; // Đông Hà: QT-DH and QT-DH-MC
type Foreign = {
  unitCode: string;
  userId: string;
  grantId: string;
  tokenId: string;
  eventId: string;
  importId: string;
  responseId: string;
  assignmentId: string;
  snapshotId: string;
  deviceId: string;
  roundId: string;
  sampleId: string;
  contactId: string;
  smsMessageId: string;
  inboundId: string;
  markers: string[];
};
let sameTenant: Foreign;
let indexDefinition: unknown;
let otherTenant: Foreign;
const principals: { label: string; role: string; client: Client; tenantWide: boolean }[] = [];

beforeAll(async () => {
  tp = await startTestPlatform();
  const admin = await tp.admin();
  // Foreign objects in another subtree of the same tenant.
  const fu = await userWithRole(tp, admin, 'foreign.user', 'data_clerk', 'QT-VL-MC');
  const fg = (await admin.get('/api/v1/users')).body.find((u: { id: string }) => u.id === fu.id).grants[0];
  const ft = await admin.post('/api/v1/tokens', { name: 'foreign-token', role: 'data_clerk', unitCode: 'QT-VL-MC' });
  await admin.post('/api/v1/events', {
    events: [
      {
        unit: 'QT-VL-MC',
        externalId: 'FOREIGN-EV',
        kind: 'dossier',
        receivedAt: '2026-10-01',
        citizen: { name: 'Lê Văn Ngoại', phone: '0912000111' },
      },
    ],
  });
  const fe = await tp.ctx.db
    .selectFrom('service_events')
    .select(['id', 'content_hash'])
    .where('external_id', '=', 'FOREIGN-EV')
    .executeTakeFirstOrThrow();
  const list = new FormData();
  list.append('unit', 'QT-VL-MC');
  list.append('file', new Blob(['Mã hồ sơ,Ngày tiếp nhận\nFOREIGN-LIST-1,01/10/2026\n']), 'foreign-list.csv');
  const fi = await admin.post('/api/v1/imports', list);
  if (fi.status !== 200) throw new Error(`import: ${fi.text}`);
  const fr = await admin.post('/api/v1/responses', foreignResponse('QT-VL-MC'));
  if (fr.status !== 201) throw new Error(`response: ${fr.text}`);
  const fa = await admin.put('/api/v1/instrument-assignments', { channel: 'web', instrument: 'SIPAS', unit: 'QT-VL-MC' });
  if (fa.status !== 200) throw new Error(`assignment: ${fa.text}`);
  const sameRound = await foreignRound(admin, 'QT-VL-MC');
  const sameSms = await foreignSms(tp, 'QT-VL-MC', fe.id);
  sameTenant = {
    ...sameRound,
    ...sameSms,
    responseId: fr.body.id,
    assignmentId: fa.body.id,
    unitCode: 'QT-VL-MC',
    importId: fi.body.id,
    userId: fu.id,
    grantId: fg.id,
    tokenId: ft.body.id,
    eventId: fe.id,
    snapshotId: (await admin.post('/api/v1/snapshots', { period: '2026-10', sector: 'administration', replyDays: 7 })).body.id,
    deviceId: (await foreignDevice(tp, 'QT-VL-MC', 'FOREIGN-TABLET')).id,
    markers: [
      'FOREIGN-TABLET',
      'QT-VL-MC',
      'Vĩnh Linh',
      'foreign.user',
      'foreign-token',
      'FOREIGN-EV',
      'Lê Văn Ngoại',
      '0912000111',
      'foreign-list.csv',
      'FOREIGN-SMS QT-VL-MC',
    ],
  };

  // Another tenant, written directly: no API creates tenants.
  const db = tp.ctx.db;
  const t = await db
    .insertInto('tenants')
    .values({ code: 'QN', name: 'Tỉnh Quảng Nam', settings: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const unit = await db
    .insertInto('units')
    .values({
      tenant_id: t.id,
      code: 'QN-HA',
      name: 'Văn phòng một cửa Hội An',
      kind: 'one_stop_office',
      sector: 'administration',
      search_key: searchKey('Văn phòng một cửa Hội An'),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const user = await db
    .insertInto('users')
    .values({
      tenant_id: t.id,
      username: 'qn.officer',
      display_name: 'QN',
      password_hash: await hashPassword('qn-officer-password'),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const grant = await db
    .insertInto('role_grants')
    .values({ tenant_id: t.id, user_id: user.id, role: 'unit_manager', unit_id: unit.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  const token = await db
    .insertInto('api_tokens')
    .values({
      tenant_id: t.id,
      name: 'qn-token',
      token_hash: tokenHash(newToken()),
      prefix: 'mst_qn',
      role: 'data_clerk',
      unit_id: unit.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const event = await db
    .insertInto('service_events')
    .values({
      tenant_id: t.id,
      unit_id: unit.id,
      kind: 'dossier',
      external_id: 'QN-EV',
      period: '2026-10',
      status: 'received',
      source: 'api',
      content_hash: fe.content_hash,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const qnImport = await db
    .insertInto('import_batches')
    .values({
      tenant_id: t.id,
      unit_id: unit.id,
      filename: 'qn-list.csv',
      sha256: 'x',
      bytes: 1,
      errors: '[]',
      quality: '{}',
      created_by_type: 'user',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const qnInstrument = await db
    .insertInto('instruments')
    .values({ tenant_id: t.id, code: 'QN_ONLY', name: '{"vi":"Phiếu Quảng Nam"}', sector: null, channels: ['kiosk', 'web'] })
    .returning('id')
    .executeTakeFirstOrThrow();
  const kioskDef = await db
    .selectFrom('instrument_versions as v')
    .innerJoin('instruments as i', 'i.id', 'v.instrument_id')
    .select('v.definition')
    .where('i.code', '=', 'KIOSK_QUICK')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('instrument_versions')
    .values({
      tenant_id: t.id,
      instrument_id: qnInstrument.id,
      version: 1,
      status: 'draft',
      definition: JSON.stringify(kioskDef.definition),
    })
    .execute();
  const qnAssignment = await db
    .insertInto('instrument_assignments')
    .values({ tenant_id: t.id, instrument_id: qnInstrument.id, channel: 'kiosk', unit_id: unit.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  const qnResponse = crypto.randomUUID();
  await db
    .insertInto('responses')
    .values({
      tenant_id: t.id,
      id: qnResponse,
      instrument_id: qnInstrument.id,
      version: 1,
      channel: 'kiosk',
      unit_id: unit.id,
      status: 'complete',
      day: '2026-10-01',
      submitted_at: new Date(),
      language: 'vi',
      source_type: 'user',
      content_hash: Buffer.alloc(32),
    })
    .execute();
  const satisfaction = await db
    .selectFrom('score_index_versions')
    .select('definition')
    .where('code', '=', 'MSCORE_SATISFACTION')
    .executeTakeFirstOrThrow();
  await db.insertInto('score_indices').values({ tenant_id: t.id, code: 'QN_INDEX', current_version: 1 }).execute();
  await db
    .insertInto('score_index_versions')
    .values({ tenant_id: t.id, code: 'QN_INDEX', version: 1, definition: JSON.stringify(satisfaction.definition) })
    .execute();
  indexDefinition = satisfaction.definition;
  const qnSnapshot = await db
    .insertInto('score_snapshots')
    .values({
      tenant_id: t.id,
      period: '2026-10',
      sector: 'administration',
      status: 'review',
      method: '{}',
      method_version: 'mscore-scores/1',
      inputs_hash: 'x',
      results: '[]',
      reply_until: new Date(Date.now() + 86_400_000),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const qnRound = await db
    .insertInto('interview_rounds')
    .values({
      tenant_id: t.id,
      name: 'QN round',
      period_from: '2026-10',
      period_to: '2026-10',
      kinds: ['dossier'],
      design: '{}',
      seed: 'qn',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const qnPhone = tp.ctx.vault.hash('0912999888', 'phone');
  const qnSample = await db
    .insertInto('interview_sample')
    .values({
      tenant_id: t.id,
      round_id: qnRound.id,
      unit_id: unit.id,
      event_id: event.id,
      instrument_id: qnInstrument.id,
      stratum: unit.id,
      phone_hash: qnPhone,
      draw_key: '0',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('do_not_contact')
    .values({ tenant_id: t.id, phone_hash: qnPhone, phone_enc: Buffer.from('x'), source: 'staff' })
    .execute();
  const qnSms = await foreignSms(tp, 'QN-HA', event.id);
  otherTenant = {
    ...qnSms,
    roundId: qnRound.id,
    sampleId: qnSample.id,
    contactId: qnPhone.toString('hex'),
    responseId: qnResponse,
    assignmentId: qnAssignment.id,
    snapshotId: qnSnapshot.id,
    deviceId: (
      await db
        .insertInto('devices')
        .values({ tenant_id: t.id, unit_id: unit.id, name: 'QN-TABLET', credential_hash: tokenHash(newToken('mk_')) })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id,
    unitCode: 'QN-HA',
    importId: qnImport.id,
    userId: user.id,
    grantId: grant.id,
    tokenId: token.id,
    eventId: event.id,
    markers: ['QN-HA', 'Hội An', 'qn.officer', 'qn-token', 'QN-EV', 'qn-list.csv', 'QN-TABLET', 'FOREIGN-SMS QN-HA'],
  };

  for (const role of ROLES) {
    const s = await userWithRole(tp, admin, `m.${role}`, role, OWN);
    principals.push({ label: `${role} session on ${OWN}`, role, client: s.client, tenantWide: false });
    const tok = await admin.post('/api/v1/tokens', { name: `m-${role}`, role, unitCode: OWN });
    const c = new Client(tp.baseUrl);
    c.bearer = tok.body.token;
    principals.push({ label: `${role} token on ${OWN}`, role, client: c, tenantWide: false });
  }
  principals.push({ label: 'tenant-wide admin', role: 'admin', client: admin, tenantWide: true });
});
afterAll(async () => tp?.stop());

/** batch: answered item by item; every item aimed at a foreign unit must be rejected. echo: markers the request itself carries */
type Probe = {
  method: string;
  url: string;
  body?: unknown;
  kind: 'object' | 'list' | 'create' | 'self' | 'batch';
  echo?: string[];
  headers?: Record<string, string>;
};

const WAV = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVE'), Buffer.alloc(32)]);
const AUDIO = { 'content-type': 'audio/wav' };

/** A tablet of another subtree, enrolled the way the console and the tablet do it. */
async function foreignDevice(tp: TestPlatform, unit: string, name: string): Promise<{ id: string }> {
  const admin = await tp.admin();
  const pairing = await admin.post('/api/v1/devices/pairings', { unit });
  const r = await tp.client().post('/api/kiosk/v1/enroll', { code: pairing.body.code, name });
  if (r.status !== 201) throw new Error(`enroll: ${r.text}`);
  return { id: r.body.deviceId };
}

/** A published interview round of another subtree, one of its records, and a number on the do-not-contact list. */
async function foreignRound(admin: Client, unit: string) {
  const e = await admin.post('/api/v1/events', {
    events: [
      {
        unit,
        externalId: 'FOREIGN-ROUND-EV',
        kind: 'dossier',
        receivedAt: '2026-10-01',
        returnedAt: '2026-10-05T10:00:00+07:00',
        citizen: { name: 'Lê Văn Ngoại', phone: '0912000112' },
      },
    ],
  });
  if (e.status !== 200) throw new Error(`event: ${e.text}`);
  const r = await admin.post('/api/v1/rounds', {
    name: 'probe round',
    periodFrom: '2026-10',
    units: [unit],
    design: { floor: 1 },
  });
  if (r.status !== 201) throw new Error(`round: ${r.text}`);
  const p = await admin.post(`/api/v1/rounds/${r.body.id}/publish`);
  if (p.status !== 200) throw new Error(`publish: ${p.text}`);
  const sample = await tp.ctx.db
    .selectFrom('interview_sample')
    .select('id')
    .where('round_id', '=', r.body.id)
    .executeTakeFirstOrThrow();
  await admin.post('/api/v1/do-not-contact', { phone: '0912000113' });
  const contacts = await admin.get('/api/v1/do-not-contact');
  return { roundId: r.body.id as string, sampleId: sample.id, contactId: contacts.body.items[0].id as string };
}

/** A sent SMS about a foreign event and a citizen's message kept for review, written directly. */
async function foreignSms(tp: TestPlatform, unitCode: string, eventId: string) {
  const db = tp.ctx.db;
  const unit = await db.selectFrom('units').select(['id', 'tenant_id']).where('code', '=', unitCode).executeTakeFirstOrThrow();
  const m = await db
    .insertInto('sms_messages')
    .values({
      tenant_id: unit.tenant_id,
      message_key: `invite:${eventId}`,
      kind: 'invitation',
      event_id: eventId,
      unit_id: unit.id,
      status: 'failed',
      body: `FOREIGN-SMS ${unitCode}`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const i = await db
    .insertInto('sms_inbound')
    .values({
      tenant_id: unit.tenant_id,
      from_enc: tp.ctx.vault.encrypt('0912000114', `sms_inbound:${unit.tenant_id}:from`),
      from_hash: tp.ctx.vault.hash('0912000114', 'phone'),
      text_enc: tp.ctx.vault.encrypt(`FOREIGN-SMS ${unitCode} feedback`, `sms_inbound:${unit.tenant_id}`),
      received_at: new Date(),
      kind: 'feedback',
      unit_id: unit.id,
      event_id: eventId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { smsMessageId: m.id, inboundId: i.id };
}

function foreignResponse(unit: string) {
  return {
    id: crypto.randomUUID(),
    instrument: 'KIOSK_QUICK',
    channel: 'kiosk',
    unit,
    submittedAt: '2026-10-02T09:00:00+07:00',
    answers: { OVERALL: 3 },
  };
}

function listUpload(unitCode: string): FormData {
  const f = new FormData();
  f.append('unit', unitCode);
  f.append('file', new Blob(['Mã hồ sơ,Ngày tiếp nhận\nMATRIX-LIST,01/10/2026\n']), 'matrix.csv');
  return f;
}

/** How to aim each route at a foreign object; a route missing here fails the test. */
const probes: Record<string, (f: Foreign) => Probe[]> = {
  'GET /api/v1/rounds': () => [{ method: 'GET', url: '/api/v1/rounds', kind: 'list' }],
  // Rounds are run tenant-wide: a unit-scoped manager may not create one.
  'POST /api/v1/rounds': (f) =>
    f === otherTenant
      ? []
      : [
          {
            method: 'POST',
            url: '/api/v1/rounds',
            body: { name: 'x', periodFrom: '2026-10', units: [f.unitCode] },
            kind: 'object',
            echo: [f.unitCode],
          },
        ],
  // A round is the whole tenant's: unit-scoped readers get it with their own units' rows only.
  'GET /api/v1/rounds/:id': (f) => [
    { method: 'GET', url: `/api/v1/rounds/${f.roundId}`, kind: f === otherTenant ? 'object' : 'list' },
  ],
  'PUT /api/v1/rounds/:id': (f) => [
    { method: 'PUT', url: `/api/v1/rounds/${f.roundId}`, body: { name: 'x', periodFrom: '2026-10' }, kind: 'object' },
  ],
  'DELETE /api/v1/rounds/:id': (f) => [{ method: 'DELETE', url: `/api/v1/rounds/${f.roundId}`, kind: 'object' }],
  'POST /api/v1/rounds/:id/publish': (f) => [{ method: 'POST', url: `/api/v1/rounds/${f.roundId}/publish`, kind: 'object' }],
  'POST /api/v1/rounds/:id/close': (f) => [{ method: 'POST', url: `/api/v1/rounds/${f.roundId}/close`, kind: 'object' }],
  'GET /api/v1/rounds/:id/interviewers': (f) => [
    { method: 'GET', url: `/api/v1/rounds/${f.roundId}/interviewers`, kind: f === otherTenant ? 'object' : 'list' },
  ],
  'GET /api/v1/rounds/:id/records': (f) => [
    { method: 'GET', url: `/api/v1/rounds/${f.roundId}/records`, kind: f === otherTenant ? 'object' : 'list' },
  ],
  'POST /api/v1/rounds/:id/reassign': (f) => [
    { method: 'POST', url: `/api/v1/rounds/${f.roundId}/reassign`, body: { from: null, to: null }, kind: 'object' },
  ],
  'GET /api/v1/rounds/:id/export': (f) => [{ method: 'GET', url: `/api/v1/rounds/${f.roundId}/export`, kind: 'object' }],
  'GET /api/v1/interviewers': () => [{ method: 'GET', url: '/api/v1/interviewers', kind: 'list' }],
  // SMS settings, templates, replies and contacts are the whole tenant's: a unit-scoped grant gets 403.
  'GET /api/v1/sms/settings': (f) => [
    { method: 'GET', url: '/api/v1/sms/settings', kind: f === otherTenant ? 'list' : 'object' },
  ],
  'PUT /api/v1/sms/settings': (f) =>
    f === otherTenant ? [] : [{ method: 'PUT', url: '/api/v1/sms/settings', body: DEFAULT_SETTINGS, kind: 'object' }],
  'GET /api/v1/sms/templates': () => [{ method: 'GET', url: '/api/v1/sms/templates', kind: 'list' }],
  'GET /api/v1/sms/gateway': () => [{ method: 'GET', url: '/api/v1/sms/gateway', kind: 'list' }],
  'PUT /api/v1/sms/templates/:kind': (f) =>
    f === otherTenant
      ? []
      : [{ method: 'PUT', url: '/api/v1/sms/templates/thanks', body: { body: 'Cam on {unit}' }, kind: 'object' }],
  'GET /api/v1/sms/messages': (f) => [
    { method: 'GET', url: '/api/v1/sms/messages', kind: 'list' },
    { method: 'GET', url: `/api/v1/sms/messages?unit=${f.unitCode}&status=failed`, kind: 'list', echo: [f.unitCode] },
  ],
  'GET /api/v1/sms/messages/:id': (f) => [{ method: 'GET', url: `/api/v1/sms/messages/${f.smsMessageId}`, kind: 'object' }],
  'POST /api/v1/sms/messages/replay': (f) => [
    { method: 'POST', url: '/api/v1/sms/messages/replay', body: { ids: [f.smsMessageId] }, kind: 'object' },
  ],
  'GET /api/v1/sms/stats': () => [{ method: 'GET', url: '/api/v1/sms/stats?period=2026-12', kind: 'list' }],
  'GET /api/v1/sms/inbound': (f) => [{ method: 'GET', url: '/api/v1/sms/inbound', kind: f === otherTenant ? 'list' : 'object' }],
  'POST /api/v1/sms/inbound/:id/review': (f) => [
    { method: 'POST', url: `/api/v1/sms/inbound/${f.inboundId}/review`, kind: 'object' },
  ],
  'POST /api/v1/sms/recorder/inbound': (f) =>
    f === otherTenant
      ? []
      : [{ method: 'POST', url: '/api/v1/sms/recorder/inbound', body: { phone: '0912000115', text: 'x' }, kind: 'object' }],
  'GET /api/v1/sms/contacts': (f) => [
    { method: 'GET', url: '/api/v1/sms/contacts', kind: f === otherTenant ? 'list' : 'object' },
  ],
  'PUT /api/v1/sms/contacts/:unit': (f) => [
    {
      method: 'PUT',
      url: `/api/v1/sms/contacts/${f.unitCode}`,
      body: { name: 'x', phone: '0912000116' },
      kind: 'object',
      echo: [f.unitCode],
    },
  ],
  'POST /api/v1/interviews/next': () => [{ method: 'POST', url: '/api/v1/interviews/next', body: {}, kind: 'list' }],
  'GET /api/v1/interviews/mine': () => [{ method: 'GET', url: '/api/v1/interviews/mine', kind: 'list' }],
  'GET /api/v1/interviews/:id': (f) => [{ method: 'GET', url: `/api/v1/interviews/${f.sampleId}`, kind: 'object' }],
  'POST /api/v1/interviews/:id/reveal-phone': (f) => [
    { method: 'POST', url: `/api/v1/interviews/${f.sampleId}/reveal-phone`, kind: 'object' },
  ],
  'POST /api/v1/interviews/:id/outcome': (f) => [
    {
      method: 'POST',
      url: `/api/v1/interviews/${f.sampleId}/outcome`,
      body: { attemptId: crypto.randomUUID(), outcome: 'refused', startedAt: new Date().toISOString() },
      kind: 'object',
    },
  ],
  'POST /api/v1/interviews/:id/release': (f) => [
    { method: 'POST', url: `/api/v1/interviews/${f.sampleId}/release`, kind: 'object' },
  ],
  'GET /api/v1/do-not-contact': () => [{ method: 'GET', url: '/api/v1/do-not-contact', kind: 'list' }],
  'POST /api/v1/do-not-contact': () => [
    { method: 'POST', url: '/api/v1/do-not-contact', body: { phone: '0912000114' }, kind: 'create' },
  ],
  'DELETE /api/v1/do-not-contact/:id': (f) => [
    { method: 'DELETE', url: `/api/v1/do-not-contact/${f.contactId}`, kind: 'object' },
  ],
  'GET /api/v1/devices': (f) => [
    { method: 'GET', url: '/api/v1/devices', kind: 'list' },
    { method: 'GET', url: `/api/v1/devices?unit=${f.unitCode}`, kind: 'object' },
  ],
  'POST /api/v1/devices/pairings': (f) => [
    { method: 'POST', url: '/api/v1/devices/pairings', body: { unit: f.unitCode }, kind: 'object' },
  ],
  'POST /api/v1/devices/:id/revoke': (f) => [{ method: 'POST', url: `/api/v1/devices/${f.deviceId}/revoke`, kind: 'object' }],
  'GET /api/v1/units/:code/opening-hours': (f) => [
    { method: 'GET', url: `/api/v1/units/${f.unitCode}/opening-hours`, kind: 'object' },
  ],
  'PUT /api/v1/units/:code/opening-hours': (f) => [
    { method: 'PUT', url: `/api/v1/units/${f.unitCode}/opening-hours`, body: { openings: [] }, kind: 'object' },
  ],
  // Tenant-wide things: a unit-scoped grant may read but not change them; another tenant's are out of reach by design.
  'GET /api/v1/kiosk/settings': () => [{ method: 'GET', url: '/api/v1/kiosk/settings', kind: 'list' }],
  'PUT /api/v1/kiosk/settings': (f) =>
    f === otherTenant
      ? []
      : [{ method: 'PUT', url: '/api/v1/kiosk/settings', body: { idleSeconds: 30, lockSeconds: 6 }, kind: 'object' }],
  'GET /api/v1/holidays': () => [{ method: 'GET', url: '/api/v1/holidays', kind: 'list' }],
  'PUT /api/v1/holidays/:day': (f) =>
    f === otherTenant ? [] : [{ method: 'PUT', url: '/api/v1/holidays/2026-12-25', body: { name: 'x' }, kind: 'object' }],
  'DELETE /api/v1/holidays/:day': (f) =>
    f === otherTenant ? [] : [{ method: 'DELETE', url: '/api/v1/holidays/2026-12-25', kind: 'object' }],
  'GET /api/v1/instruments/:code/audio': (f) =>
    f === otherTenant ? [{ method: 'GET', url: '/api/v1/instruments/QN_ONLY/audio', kind: 'object' }] : [],
  'PUT /api/v1/instruments/:code/audio/:prompt/:language': (f) =>
    f === otherTenant
      ? [{ method: 'PUT', url: '/api/v1/instruments/QN_ONLY/audio/OVERALL/vi', body: WAV, headers: AUDIO, kind: 'object' }]
      : [{ method: 'PUT', url: '/api/v1/instruments/KIOSK_QUICK/audio/OVERALL/vi', body: WAV, headers: AUDIO, kind: 'object' }],
  'DELETE /api/v1/instruments/:code/audio/:prompt/:language': (f) => [
    {
      method: 'DELETE',
      url: `/api/v1/instruments/${f === otherTenant ? 'QN_ONLY' : 'KIOSK_QUICK'}/audio/OVERALL/vi`,
      kind: 'object',
    },
  ],
  'GET /api/v1/instruments/:code/audio/:prompt/:language': (f) =>
    f === otherTenant ? [{ method: 'GET', url: '/api/v1/instruments/QN_ONLY/audio/OVERALL/vi', kind: 'object' }] : [],
  'GET /api/v1/auth/me': () => [{ method: 'GET', url: '/api/v1/auth/me', kind: 'list' }],
  'POST /api/v1/auth/logout': () => [{ method: 'POST', url: '/api/v1/auth/logout', kind: 'self' }],
  'GET /api/v1/units': () => [{ method: 'GET', url: '/api/v1/units', kind: 'list' }],
  'GET /api/v1/units/:code': (f) => [{ method: 'GET', url: `/api/v1/units/${f.unitCode}`, kind: 'object' }],
  // Unit codes are per tenant: importing another tenant's code would create a new unit here, so only same-tenant.
  'POST /api/v1/units/import': (f) =>
    f === otherTenant
      ? []
      : [
          {
            method: 'POST',
            url: '/api/v1/units/import',
            body: `code,name,kind,sector,parent_code,kiosks\n${f.unitCode},Đổi tên,one_stop_office,administration,,1\n`,
            kind: 'object',
          },
        ],
  'GET /api/v1/services': () => [{ method: 'GET', url: '/api/v1/services', kind: 'list' }],
  'GET /api/v1/users': () => [{ method: 'GET', url: '/api/v1/users', kind: 'list' }],
  'POST /api/v1/users': () => [
    {
      method: 'POST',
      url: '/api/v1/users',
      body: { username: `new.${Math.random().toString(36).slice(2, 8)}`, displayName: 'x', password: 'a-long-enough-password' },
      kind: 'create',
    },
  ],
  'PATCH /api/v1/users/:id': (f) => [
    { method: 'PATCH', url: `/api/v1/users/${f.userId}`, body: { disabled: true }, kind: 'object' },
  ],
  'POST /api/v1/users/:id/grants': (f) => [
    { method: 'POST', url: `/api/v1/users/${f.userId}/grants`, body: { role: 'admin', unitCode: OWN }, kind: 'object' },
    { method: 'POST', url: `/api/v1/users/${f.userId}/grants`, body: { role: 'admin', unitCode: f.unitCode }, kind: 'object' },
  ],
  'DELETE /api/v1/users/:id/grants/:grantId': (f) => [
    { method: 'DELETE', url: `/api/v1/users/${f.userId}/grants/${f.grantId}`, kind: 'object' },
  ],
  'GET /api/v1/tokens': () => [{ method: 'GET', url: '/api/v1/tokens', kind: 'list' }],
  'POST /api/v1/tokens': (f) => [
    {
      method: 'POST',
      url: '/api/v1/tokens',
      body: { name: `t-${Math.random()}`, role: 'admin', unitCode: f.unitCode },
      kind: 'object',
    },
  ],
  'DELETE /api/v1/tokens/:id': (f) => [{ method: 'DELETE', url: `/api/v1/tokens/${f.tokenId}`, kind: 'object' }],
  'GET /api/v1/audit': () => [{ method: 'GET', url: '/api/v1/audit', kind: 'list' }],
  'GET /api/v1/audit/verify': () => [{ method: 'GET', url: '/api/v1/audit/verify', kind: 'list' }],
  'POST /api/v1/events': (f) => [
    {
      method: 'POST',
      url: '/api/v1/events',
      body: { events: [{ unit: f.unitCode, externalId: 'MATRIX-1', kind: 'dossier' }] },
      kind: 'batch',
      echo: [f.unitCode],
    },
  ],
  'GET /api/v1/events': () => [{ method: 'GET', url: '/api/v1/events', kind: 'list' }],
  'GET /api/v1/events/:id': (f) => [{ method: 'GET', url: `/api/v1/events/${f.eventId}`, kind: 'object' }],
  'POST /api/v1/events/:id/reveal-phone': (f) => [
    { method: 'POST', url: `/api/v1/events/${f.eventId}/reveal-phone`, kind: 'object' },
  ],
  'POST /api/v1/imports/preview': (f) => [
    { method: 'POST', url: '/api/v1/imports/preview', body: listUpload(f.unitCode), kind: 'object' },
  ],
  'POST /api/v1/imports': (f) => [{ method: 'POST', url: '/api/v1/imports', body: listUpload(f.unitCode), kind: 'object' }],
  'GET /api/v1/imports': () => [{ method: 'GET', url: '/api/v1/imports', kind: 'list' }],
  'GET /api/v1/imports/:id': (f) => [{ method: 'GET', url: `/api/v1/imports/${f.importId}`, kind: 'object' }],
  'GET /api/v1/data-quality': () => [{ method: 'GET', url: '/api/v1/data-quality?period=2026-10', kind: 'list' }],
  'GET /api/v1/instruments': () => [{ method: 'GET', url: '/api/v1/instruments', kind: 'list' }],
  // Instruments belong to the whole tenant: only another tenant's are foreign.
  'GET /api/v1/instruments/:code': (f) =>
    f === otherTenant ? [{ method: 'GET', url: '/api/v1/instruments/QN_ONLY', kind: 'object' }] : [],
  'POST /api/v1/instruments': () => [
    {
      method: 'POST',
      url: '/api/v1/instruments',
      body: { code: 'MATRIX_NEW', name: { vi: 'x' }, sector: null, channels: ['web'], definition: {} },
      kind: 'create',
    },
  ],
  'PATCH /api/v1/instruments/:code': (f) =>
    f === otherTenant
      ? [{ method: 'PATCH', url: '/api/v1/instruments/QN_ONLY', body: { name: { vi: 'Đổi' } }, kind: 'object' }]
      : [],
  'PUT /api/v1/instruments/:code/draft': (f) =>
    f === otherTenant
      ? [{ method: 'PUT', url: '/api/v1/instruments/QN_ONLY/draft', body: { definition: {} }, kind: 'object' }]
      : [],
  'DELETE /api/v1/instruments/:code/draft': (f) =>
    f === otherTenant ? [{ method: 'DELETE', url: '/api/v1/instruments/QN_ONLY/draft', kind: 'object' }] : [],
  'POST /api/v1/instruments/:code/versions/:version/publish': (f) =>
    f === otherTenant ? [{ method: 'POST', url: '/api/v1/instruments/QN_ONLY/versions/1/publish', kind: 'object' }] : [],
  'GET /api/v1/instrument-assignments': () => [{ method: 'GET', url: '/api/v1/instrument-assignments', kind: 'list' }],
  'PUT /api/v1/instrument-assignments': (f) => [
    {
      method: 'PUT',
      url: '/api/v1/instrument-assignments',
      body: { channel: 'web', instrument: 'KIOSK_QUICK', unit: f.unitCode },
      kind: 'object',
    },
  ],
  'DELETE /api/v1/instrument-assignments/:id': (f) => [
    { method: 'DELETE', url: `/api/v1/instrument-assignments/${f.assignmentId}`, kind: 'object' },
  ],
  'GET /api/v1/units/:code/instruments': (f) => [
    { method: 'GET', url: `/api/v1/units/${f.unitCode}/instruments`, kind: 'object' },
  ],
  'GET /api/v1/units/:code/survey-qr': (f) => [{ method: 'GET', url: `/api/v1/units/${f.unitCode}/survey-qr`, kind: 'object' }],
  'GET /api/v1/units/:code/survey-poster.pdf': (f) => [
    { method: 'GET', url: `/api/v1/units/${f.unitCode}/survey-poster.pdf`, kind: 'object' },
  ],
  'POST /api/v1/survey-links': (f) => [
    { method: 'POST', url: '/api/v1/survey-links', body: { eventId: f.eventId }, kind: 'object' },
  ],
  // Another tenant's unit code is simply unknown here (422), so that probe only checks for leaks.
  'POST /api/v1/responses': (f) => [
    {
      method: 'POST',
      url: '/api/v1/responses',
      body: foreignResponse(f.unitCode),
      kind: f === otherTenant ? 'create' : 'object',
      echo: [f.unitCode],
    },
  ],
  'POST /api/v1/responses/batch': (f) => [
    {
      method: 'POST',
      url: '/api/v1/responses/batch',
      body: { responses: [foreignResponse(f.unitCode), foreignResponse(f.unitCode)] },
      kind: 'batch',
      echo: [f.unitCode],
    },
  ],
  'GET /api/v1/indices': () => [{ method: 'GET', url: '/api/v1/indices', kind: 'list' }],
  'GET /api/v1/indices/:code': (f) =>
    f === otherTenant ? [{ method: 'GET', url: '/api/v1/indices/QN_INDEX', kind: 'object' }] : [],
  // Index codes are per tenant: the same code here is this tenant's own index.
  'PUT /api/v1/indices/:code': (f) =>
    f === otherTenant
      ? []
      : [{ method: 'PUT', url: '/api/v1/indices/MATRIX_INDEX', body: { definition: indexDefinition }, kind: 'create' }],
  'GET /api/v1/scores': (f) => [
    { method: 'GET', url: '/api/v1/scores?index=MSCORE_SATISFACTION&period=2026-10', kind: 'list' },
    {
      method: 'GET',
      url: `/api/v1/scores?index=MSCORE_SATISFACTION&period=2026-10&unit=${f.unitCode}`,
      kind: 'object',
      echo: [f.unitCode],
    },
  ],
  'GET /api/v1/scores/trend': (f) => [
    {
      method: 'GET',
      url: `/api/v1/scores/trend?index=MSCORE_SATISFACTION&from=2026-08&to=2026-10&unit=${f.unitCode}`,
      kind: 'object',
      echo: [f.unitCode],
    },
  ],
  'GET /api/v1/scores/reasons': (f) => [
    { method: 'GET', url: `/api/v1/scores/reasons?unit=${f.unitCode}&period=2026-10`, kind: 'object', echo: [f.unitCode] },
  ],
  'GET /api/v1/alerts': () => [{ method: 'GET', url: '/api/v1/alerts?period=2026-10', kind: 'list' }],
  'GET /api/v1/snapshots': () => [{ method: 'GET', url: '/api/v1/snapshots', kind: 'list' }],
  'POST /api/v1/snapshots': (f) =>
    f === otherTenant
      ? []
      : [{ method: 'POST', url: '/api/v1/snapshots', body: { period: '2026-09', sector: 'health' }, kind: 'create' }],
  // A snapshot is the whole tenant's: unit-scoped readers get it with their own units' rows only.
  'GET /api/v1/snapshots/:id': (f) => [
    { method: 'GET', url: `/api/v1/snapshots/${f.snapshotId}`, kind: f === otherTenant ? 'object' : 'list' },
  ],
  'POST /api/v1/snapshots/:id/replies': (f) => [
    {
      method: 'POST',
      url: `/api/v1/snapshots/${f.snapshotId}/replies`,
      body: { unit: f.unitCode, text: 'phản hồi' },
      kind: 'object',
      echo: [f.unitCode],
    },
  ],
  'POST /api/v1/snapshots/:id/recompute': (f) => [
    { method: 'POST', url: `/api/v1/snapshots/${f.snapshotId}/recompute`, body: { reason: 'probe' }, kind: 'object' },
  ],
  'POST /api/v1/snapshots/:id/publish': (f) => [
    { method: 'POST', url: `/api/v1/snapshots/${f.snapshotId}/publish`, kind: 'object' },
  ],
  'GET /api/v1/responses/:id': (f) => [{ method: 'GET', url: `/api/v1/responses/${f.responseId}`, kind: 'object' }],
  'GET /api/v1/response-counts': (f) => [
    { method: 'GET', url: `/api/v1/response-counts?instrument=KIOSK_QUICK&unit=${f.unitCode}`, kind: 'object' },
  ],
};

describe('access matrix', () => {
  it('has a probe for every /api/v1 route', () => {
    const missing = tp.app.apiRoutes
      .filter((r) => r.action && !probes[`${r.method} ${r.url}`])
      .map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
  });

  it('every route x role x foreign unit or tenant: 403 or 404, never data', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const route of tp.app.apiRoutes.filter((r) => r.action)) {
      const make = probes[`${route.method} ${route.url}`];
      if (!make) continue;
      const allowed = route.action === 'authenticated' ? [...ROLES] : rolesFor(route.action as string);
      for (const p of principals) {
        for (const [scopeLabel, foreign] of [
          ['other subtree', sameTenant],
          ['other tenant', otherTenant],
        ] as const) {
          if (p.tenantWide && scopeLabel === 'other subtree') continue; // the whole tenant is its own
          for (const probe of make(foreign)) {
            if (probe.kind === 'self') continue;
            const r = await p.client.request(probe.method, probe.url, probe.body, probe.headers);
            checked++;
            const where = `${p.label} ${probe.method} ${probe.url} (${scopeLabel})`;
            const leaked = foreign.markers.filter((m) => !probe.echo?.includes(m) && r.text.includes(m));
            if (leaked.length) failures.push(`${where}: response contains ${leaked.join(', ')}`);
            const permitted = allowed.includes(p.role as never);
            if (!permitted) {
              if (r.status !== 403) failures.push(`${where}: role lacks the permission but got ${r.status}`);
            } else if (probe.kind === 'object') {
              if (![403, 404].includes(r.status)) failures.push(`${where}: expected 403/404, got ${r.status}`);
            } else if (probe.kind === 'batch') {
              const items = (r.body as { results?: { result: string }[] })?.results ?? [];
              if (r.status !== 200 || items.length === 0 || items.some((i) => i.result !== 'rejected')) {
                failures.push(`${where}: expected every item rejected, got ${r.status} ${r.text.slice(0, 200)}`);
              }
            } else if (r.status >= 500) {
              failures.push(`${where}: ${r.status}`);
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(300);
  });

  it('the foreign objects are untouched', async () => {
    const admin = await tp.admin();
    const users = (await admin.get('/api/v1/users')).body as { id: string; disabled: boolean; grants: unknown[] }[];
    const fu = users.find((u) => u.id === sameTenant.userId);
    expect(fu?.disabled).toBe(false);
    expect(fu?.grants).toHaveLength(1);
    const tokens = (await admin.get('/api/v1/tokens')).body as { id: string; revokedAt: string | null }[];
    expect(tokens.find((t) => t.id === sameTenant.tokenId)?.revokedAt).toBeNull();
    expect((await admin.get('/api/v1/units/QT-VL-MC')).body.name).toBe('Văn phòng một cửa huyện Vĩnh Linh');
    const qnDraft = await tp.ctx.db
      .selectFrom('instrument_versions as v')
      .innerJoin('instruments as i', 'i.id', 'v.instrument_id')
      .select(['v.status', 'i.name'])
      .where('i.code', '=', 'QN_ONLY')
      .execute();
    expect(qnDraft).toEqual([{ status: 'draft', name: { vi: 'Phiếu Quảng Nam' } }]);
    const assignments = (await admin.get('/api/v1/instrument-assignments')).body as { id: string }[];
    expect(assignments.some((a) => a.id === sameTenant.assignmentId)).toBe(true);
    const qn = await tp.ctx.db.selectFrom('units').select('name').where('code', '=', 'QN-HA').execute();
    expect(qn.map((u) => u.name)).toEqual(['Văn phòng một cửa Hội An']);
  });

  it('a unit-scoped principal sees its own subtree', async () => {
    const clerk = principals.find((p) => p.label === `data_clerk token on ${OWN}`) as (typeof principals)[number];
    const units = (await clerk.client.get('/api/v1/units')).body as { code: string }[];
    expect(units.map((u) => u.code).sort()).toEqual(['QT-DH', 'QT-DH-MC']);
    expect((await clerk.client.get('/api/v1/units/QT-DH-MC')).status).toBe(200);
  });
});
