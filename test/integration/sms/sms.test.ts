// SMS over HTTP with the development recorder: an invitation queued in the
// same statement as the returned event, once; checks at send time; quiet hours
// with a moved clock; replies parsed into responses; opt-out blocks the next
// send; delivery reports in any order; templates; replay; statistics; scopes.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordDeliveryReport } from '../../../src/modules/sms/receive.ts';
import { type Client, startTestPlatform, type TestPlatform, userWithRole } from '../../support/platform.ts';

let tp: TestPlatform;
let admin: Client;
const UNIT = 'QT-DH-MC';

beforeAll(async () => {
  tp = await startTestPlatform();
  admin = await tp.admin();
  // The test drives sending itself, one round at a time.
  await tp.ctx.sms?.stop();
});
afterAll(async () => tp?.stop());

function at(iso: string) {
  const d = new Date(iso);
  tp.ctx.clock.now = () => d;
}
/** Now in Vietnam at the given local hour, tomorrow (always after the database's own now). */
function tomorrowAt(hour: number): string {
  const d = new Date(Date.now() + 86_400_000 + 7 * 3600_000);
  const day = d.toISOString().slice(0, 10);
  return `${day}T${String(hour).padStart(2, '0')}:00:00+07:00`;
}

let seq = 200_000;
const nextPhone = () => `0913${String(seq++).padStart(6, '0')}`;

const settings = (over: Record<string, unknown> = {}) => ({
  invitations: true,
  invitationMode: 'reply',
  invitationDelayMinutes: 0,
  invitationMaxAgeHours: 72,
  reminderAfterHours: null,
  statusNotifications: false,
  listReminders: false,
  sendFrom: 7,
  sendTo: 21,
  sender: '8077',
  maxAttempts: 3,
  gateway: { kind: 'recorder' },
  ...over,
});

async function returned(externalId: string, phone: string | null, extra: Record<string, unknown> = {}) {
  const r = await admin.post('/api/v1/events', {
    events: [
      {
        unit: UNIT,
        externalId,
        kind: 'dossier',
        receivedAt: new Date(Date.now() - 5 * 86_400_000).toISOString(),
        returnedAt: new Date(Date.now() - 60_000).toISOString(),
        citizen: { name: 'Nguyễn Văn An', ...(phone ? { phone } : {}) },
        ...extra,
      },
    ],
  });
  expect(r.status, r.text).toBe(200);
  return r.body.results[0].id as string;
}

const messagesOf = (eventId: string) =>
  tp.ctx.db.selectFrom('sms_messages').selectAll().where('event_id', '=', eventId).orderBy('created_at').execute();

async function tick() {
  const d = tp.ctx.sms;
  if (!d) throw new Error('no dispatcher');
  return d.tick();
}

describe('SMS with the recorder gateway', () => {
  beforeAll(async () => {
    const { createDispatcher } = await import('../../../src/modules/sms/dispatcher.ts');
    tp.ctx.sms = createDispatcher({ db: tp.ctx.db, vault: tp.ctx.vault, log: tp.app.log as never, clock: tp.ctx.clock });
    const r = await admin.put('/api/v1/sms/settings', settings());
    expect(r.status, r.text).toBe(200);
  });

  it('queues one invitation in the same statement as the return, and none on a replay', async () => {
    at(tomorrowAt(9));
    const phone = nextPhone();
    const id = await returned('SMS-1', phone);
    expect(await messagesOf(id)).toHaveLength(1);
    // The same event again, and again with new content: still one invitation.
    await returned('SMS-1', phone);
    await returned('SMS-1', phone, { service: 'Cấp giấy phép xây dựng' });
    const ms = await messagesOf(id);
    expect(ms).toHaveLength(1);
    expect(ms[0]?.message_key).toBe(`invite:${id}`);
    expect(ms[0]?.status).toBe('queued');
  });

  it('invites nobody without a mobile number, for a landline, or for an old return', async () => {
    const none = await returned('SMS-NOPHONE', null);
    const landline = await returned('SMS-LANDLINE', '0233 3852 123');
    const old = await admin.post('/api/v1/events', {
      events: [
        {
          unit: UNIT,
          externalId: 'SMS-OLD',
          kind: 'dossier',
          returnedAt: '2025-01-10T10:00:00+07:00',
          citizen: { phone: nextPhone() },
        },
      ],
    });
    expect(old.status).toBe(200);
    expect(await messagesOf(none)).toHaveLength(0);
    expect(await messagesOf(landline)).toHaveLength(0);
    expect(await messagesOf(old.body.results[0].id)).toHaveLength(0);
  });

  it('sends within the hours, records the text and the delivery', async () => {
    at(tomorrowAt(9));
    const id = await returned('SMS-2', nextPhone());
    expect(await tick()).toBeGreaterThan(0);
    let [m] = await messagesOf(id);
    expect(m?.status).toBe('sent');
    expect(m?.body).toContain('SMS-2');
    expect(m?.encoding).toBe('gsm7'); // unaccented by default
    expect(m?.body).not.toMatch(/[^\x20-\x7e]/);
    await expect.poll(async () => (await messagesOf(id))[0]?.status, { timeout: 5000 }).toBe('delivered');
    [m] = await messagesOf(id);
    expect(m?.delivered_at).not.toBeNull();
  });

  it('holds a message due at night until 07:00, then sends it', async () => {
    at(tomorrowAt(22));
    const id = await returned('SMS-NIGHT', nextPhone());
    await tick();
    let [m] = await messagesOf(id);
    expect(m?.status).toBe('queued');
    expect(new Date(m?.not_before as Date).toISOString()).toBe(new Date(nextMorning()).toISOString());
    expect(m?.attempts).toBe(0);
    at(nextMorning(6, 59));
    await tick();
    [m] = await messagesOf(id);
    expect(m?.status).toBe('queued');
    at(nextMorning());
    await tick();
    [m] = await messagesOf(id);
    expect(m?.status).toBe('sent');
  });

  it('reads a reply "5 điểm, rất tốt" as a rating of the SMS instrument for the event, once', async () => {
    at(tomorrowAt(10));
    const phone = nextPhone();
    const id = await returned('SMS-REPLY', phone);
    await tick();
    const r = await admin.post('/api/v1/sms/recorder/inbound', { phone, text: '5 điểm, rất tốt' });
    expect(r.status, r.text).toBe(200);
    expect(r.body.kind).toBe('rating');
    const resp = await tp.ctx.db
      .selectFrom('responses')
      .select(['id', 'channel', 'event_id'])
      .where('event_id', '=', id)
      .execute();
    expect(resp).toEqual([{ id: r.body.responseId, channel: 'sms', event_id: id }]);
    const answers = await tp.ctx.db
      .selectFrom('response_answers')
      .select(['item', 'value'])
      .where('response_id', '=', r.body.responseId)
      .orderBy('item')
      .execute();
    expect(answers.find((a) => a.item === 'RATING')?.value).toBe('5');
    expect(answers.find((a) => a.item === 'COMMENT')?.value).toContain('rất tốt');
    // A second message is a comment kept for review, not a second rating.
    const again = await admin.post('/api/v1/sms/recorder/inbound', { phone, text: '4' });
    expect(again.body.kind).toBe('comment');
    expect(await tp.ctx.db.selectFrom('responses').select('id').where('event_id', '=', id).execute()).toHaveLength(1);
    // A thank-you goes back once.
    const thanks = await tp.ctx.db.selectFrom('sms_messages').select('kind').where('message_key', '=', `thanks:${id}`).execute();
    expect(thanks).toHaveLength(1);
  });

  it('keeps anything else for review, with the number masked', async () => {
    const phone = nextPhone();
    const r = await admin.post('/api/v1/sms/recorder/inbound', { phone, text: 'Cán bộ hẹn tôi 3 lần vẫn chưa trả hồ sơ' });
    expect(r.body.kind).toBe('feedback');
    const list = await admin.get('/api/v1/sms/inbound?kind=feedback&unreviewed=true');
    expect(list.status).toBe(200);
    const item = list.body.items.find((i: { id: string }) => i.id === r.body.id);
    expect(item.text).toBe('Cán bộ hẹn tôi 3 lần vẫn chưa trả hồ sơ');
    expect(item.phoneMasked).toBe(`${phone.slice(0, 3)}***${phone.slice(-4)}`);
    expect(list.text).not.toContain(phone);
    const rv = await admin.post(`/api/v1/sms/inbound/${r.body.id}/review`);
    expect(rv.status).toBe(200);
    const after = await admin.get('/api/v1/sms/inbound?kind=feedback&unreviewed=true');
    expect(after.body.items.some((i: { id: string }) => i.id === r.body.id)).toBe(false);
  });

  it('"Từ chối" puts the number on the do-not-contact list: what is queued and the next invitation are not sent', async () => {
    at(tomorrowAt(11));
    const phone = nextPhone();
    const first = await returned('SMS-OPT-1', phone);
    await tick();
    const queued = await returned('SMS-OPT-2', phone); // queued, not yet sent
    const r = await admin.post('/api/v1/sms/recorder/inbound', { phone, text: '  Từ   Chối ' });
    expect(r.body.kind).toBe('opt_out');
    expect((await messagesOf(queued))[0]?.status).toBe('skipped');
    const next = await returned('SMS-OPT-3', phone);
    expect(await messagesOf(next)).toHaveLength(0);
    const dnc = await admin.get('/api/v1/do-not-contact');
    expect(dnc.body.items.some((i: { source: string }) => i.source === 'sms')).toBe(true);
    // The acknowledgement still goes out, once.
    await tick();
    const ack = await tp.ctx.db.selectFrom('sms_messages').select(['status']).where('kind', '=', 'opt_out').execute();
    expect(ack.map((a) => a.status)).toEqual(['sent']);
    expect((await messagesOf(first))[0]?.status).not.toBe('skipped');
  });

  it('does not send an invitation for an event answered meanwhile', async () => {
    at(tomorrowAt(12));
    const id = await returned('SMS-ANSWERED', nextPhone());
    const resp = await admin.post('/api/v1/responses', {
      id: randomUUID(),
      instrument: 'MSCORE_PHONE',
      channel: 'phone',
      unit: UNIT,
      eventId: id,
      submittedAt: new Date().toISOString(),
      status: 'partial',
      answers: {},
    });
    expect([200, 201]).toContain(resp.status);
    await tick();
    expect((await messagesOf(id))[0]).toMatchObject({ status: 'skipped', skip_reason: 'answered' });
  });

  it('settles delivery reports the same in any order and when repeated, also before the gateway id is stored', async () => {
    const tenantId = (await tp.ctx.db.selectFrom('tenants').select('id').executeTakeFirstOrThrow()).id;
    const [m] = await tp.ctx.db
      .insertInto('sms_messages')
      .values({ tenant_id: tenantId, message_key: `test:${randomUUID()}`, kind: 'thanks', status: 'sent', parts: 2 })
      .returning('id')
      .execute();
    const id = (m as { id: string }).id;
    const t0 = new Date('2026-12-01T03:00:00Z');
    const rep = (gid: string, state: 'delivered' | 'enroute' | 'undeliverable', min: number) =>
      recordDeliveryReport(tp.ctx.db, tenantId, {
        gatewayMessageId: gid,
        state,
        at: new Date(t0.getTime() + min * 60_000),
        raw: state,
      });
    // Part b's receipt comes before anyone knows "b" belongs to this message.
    await rep('b', 'delivered', 2);
    await tp.ctx.db
      .insertInto('sms_gateway_ids')
      .values([
        { tenant_id: tenantId, gateway_message_id: 'a', message_id: id, part: 0 },
        { tenant_id: tenantId, gateway_message_id: 'b', message_id: id, part: 1 },
      ])
      .execute();
    const { attachOrphanReports } = await import('../../../src/modules/sms/receive.ts');
    await attachOrphanReports(tp.ctx.db, tenantId, [{ messageId: id, gatewayMessageId: 'b' }]);
    const state = async () =>
      tp.ctx.db.selectFrom('sms_messages').select(['status', 'delivery_state']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(await state()).toEqual({ status: 'sent', delivery_state: 'enroute' }); // one part of two
    await rep('a', 'delivered', 3);
    await rep('a', 'enroute', 1); // late and out of order
    await rep('a', 'delivered', 3); // repeated
    expect(await state()).toEqual({ status: 'delivered', delivery_state: 'delivered' });
    const n = await sql<{ n: number }>`select count(*)::int as n from sms_delivery_reports where message_id = ${id}`.execute(
      tp.ctx.db,
    );
    expect(n.rows[0]?.n).toBe(3);
  });

  it('checks template variables, counts parts, and returns to the built-in text', async () => {
    const bad = await admin.put('/api/v1/sms/templates/invitation', { body: 'Xin cham diem {unit} {ten}' });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('sms.template_variable');
    expect(bad.body.errors[0].variable).toBe('ten');
    const ok = await admin.put('/api/v1/sms/templates/invitation', { body: 'Xin chấm điểm {unit}, hồ sơ {code}: nhắn 1-5' });
    expect(ok.status).toBe(200);
    expect(ok.body.size.encoding).toBe('ucs2');
    const list = await admin.get('/api/v1/sms/templates');
    expect(list.body.find((t: { kind: string }) => t.kind === 'invitation').custom).toBe(true);
    // An accented text was chosen knowingly: it leaves as UCS-2 with the unit's name accented too.
    at(tomorrowAt(13));
    const id = await returned('SMS-TPL', nextPhone());
    await tick();
    const [m] = await messagesOf(id);
    expect(m?.body).toMatch(/^Xin chấm điểm .*Đông Hà, hồ sơ SMS-TPL: nhắn 1-5$/);
    expect(m?.encoding).toBe('ucs2');
    const reset = await admin.put('/api/v1/sms/templates/invitation', { body: '' });
    expect(reset.body.custom).toBe(false);
  });

  it('retries a refused send with back-off, gives up after the attempts allowed, and replays from the log', async () => {
    const { createDispatcher } = await import('../../../src/modules/sms/dispatcher.ts');
    const { GatewayError } = await import('../../../src/modules/sms/gateway.ts');
    let sends = 0;
    const failing = createDispatcher({
      db: tp.ctx.db,
      vault: tp.ctx.vault,
      log: tp.app.log as never,
      clock: tp.ctx.clock,
      factory: async () => ({
        kind: 'recorder',
        window: 10,
        start: async () => {},
        stop: async () => {},
        send: async () => {
          sends++;
          throw new GatewayError('smpp.throttled', 'throttled', true);
        },
      }),
    });
    let t = new Date(tomorrowAt(14)).getTime();
    tp.ctx.clock.now = () => new Date(t);
    const id = await returned('SMS-RETRY', nextPhone());
    for (let i = 0; i < 3; i++) {
      await failing.tick();
      t += 3600_000;
    }
    await failing.stop();
    let [m] = await messagesOf(id);
    expect(sends).toBe(3);
    expect(m).toMatchObject({ status: 'dead', attempts: 3 });
    expect(m?.last_error).toContain('throttled');
    const log = await admin.get('/api/v1/sms/messages?status=dead');
    expect(log.body.items.map((i: { id: string }) => i.id)).toContain(m?.id);
    const replay = await admin.post('/api/v1/sms/messages/replay', { ids: [m?.id] });
    expect(replay.status, replay.text).toBe(200);
    await tick();
    [m] = await messagesOf(id);
    expect(m?.status).toBe('sent');
    const again = await admin.post('/api/v1/sms/messages/replay', { ids: [m?.id] });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('sms.not_replayable');
  });

  it('notices a request for more documents, reminds the unanswered once, and reminds a late unit by SMS', async () => {
    const on = await admin.put(
      '/api/v1/sms/settings',
      settings({ statusNotifications: true, reminderAfterHours: 24, listReminders: true }),
    );
    expect(on.status, on.text).toBe(200);
    at(tomorrowAt(9));
    const phone = nextPhone();
    const r = await admin.post('/api/v1/events', {
      events: [
        {
          unit: UNIT,
          externalId: 'SMS-MORE',
          kind: 'dossier',
          receivedAt: new Date().toISOString(),
          status: 'more_documents',
          citizen: { phone },
        },
      ],
    });
    const id = r.body.results[0].id as string;
    await tick();
    const [notice] = await messagesOf(id);
    expect(notice).toMatchObject({ kind: 'status', status: 'sent', message_key: `status:${id}:more_documents` });
    expect(notice?.body).toContain('bo sung');
    // An invitation sent a day ago without an answer gets one reminder.
    const inv = await returned('SMS-REMIND', nextPhone());
    await tick();
    await tp.ctx.db
      .updateTable('sms_messages')
      .set({ sent_at: new Date(Date.now() - 25 * 3600_000) })
      .where('event_id', '=', inv)
      .execute();
    const { enqueueSurveyReminders, enqueueListReminders } = await import('../../../src/modules/sms/enqueue.ts');
    expect(await enqueueSurveyReminders(tp.ctx.db)).toBe(1);
    expect(await enqueueSurveyReminders(tp.ctx.db)).toBe(0);
    expect((await messagesOf(inv)).map((m) => m.kind)).toEqual(['invitation', 'reminder']);
    // A unit with a contact whose list is late: one SMS for the recorded reminder.
    const c = await admin.put('/api/v1/sms/contacts/QT-HH-MC', { name: 'Chị Hoa', phone: '0987 654 321' });
    expect(c.status, c.text).toBe(200);
    expect(c.body.phoneMasked).toBe('098***4321');
    const tenantId = (await tp.ctx.db.selectFrom('tenants').select('id').executeTakeFirstOrThrow()).id;
    const unit = await tp.ctx.db.selectFrom('units').select('id').where('code', '=', 'QT-HH-MC').executeTakeFirstOrThrow();
    await tp.ctx.db.insertInto('list_reminders').values({ tenant_id: tenantId, unit_id: unit.id, period: '2026-10' }).execute();
    expect(await enqueueListReminders(tp.ctx.db, tenantId, '2026-10')).toBe(1);
    expect(await enqueueListReminders(tp.ctx.db, tenantId, '2026-10')).toBe(0);
    await tick();
    const list = await tp.ctx.db
      .selectFrom('sms_messages')
      .select(['status', 'body'])
      .where('message_key', '=', `list:${unit.id}:2026-10`)
      .executeTakeFirstOrThrow();
    expect(list.status).toBe('sent');
    expect(list.body).toContain('10/2026');
    expect(list.body).toContain('05/11/2026');
    await admin.put('/api/v1/sms/settings', settings());
  });

  it('keeps messages while the gateway is unreachable, without using up attempts, and raises the alert once', async () => {
    const { createDispatcher } = await import('../../../src/modules/sms/dispatcher.ts');
    const { GatewayError } = await import('../../../src/modules/sms/gateway.ts');
    const errors: string[] = [];
    const log = { ...tp.app.log, error: (_o: unknown, msg: string) => errors.push(msg), warn: () => {} };
    let down = true;
    const sent: string[] = [];
    const flaky = createDispatcher({
      db: tp.ctx.db,
      vault: tp.ctx.vault,
      log: log as never,
      clock: tp.ctx.clock,
      factory: async () => ({
        kind: 'smpp',
        window: 10,
        start: async () => {},
        stop: async () => {},
        send: async (m) => {
          if (down) throw new GatewayError('smpp.not_connected', 'no session with the SMSC', true);
          sent.push(m.id);
          return { gatewayMessageIds: [`g-${m.id}`] };
        },
      }),
    });
    let t = new Date(tomorrowAt(15)).getTime();
    tp.ctx.clock.now = () => new Date(t);
    const id = await returned('SMS-OUTAGE', nextPhone());
    for (let i = 0; i < 12; i++) {
      await flaky.tick();
      t += 20_000; // four minutes of an outage
    }
    let [m] = await messagesOf(id);
    expect(m).toMatchObject({ status: 'queued', attempts: 0 });
    const state = await tp.ctx.db.selectFrom('sms_gateway_state').selectAll().executeTakeFirstOrThrow();
    expect(state.up).toBe(false);
    expect(state.alerted_at).not.toBeNull();
    expect(errors.filter((e) => e.includes('SMS gateway unreachable'))).toHaveLength(1);
    down = false;
    t += 20_000;
    await flaky.tick();
    await flaky.stop();
    [m] = await messagesOf(id);
    expect(m?.status).toBe('sent');
    expect(sent).toEqual([m?.id]);
  });

  it('sends the one-time web survey link instead of asking for a digit when the tenant chooses it', async () => {
    expect((await admin.put('/api/v1/sms/settings', settings({ invitationMode: 'link' }))).status).toBe(200);
    at(tomorrowAt(16));
    const id = await returned('SMS-LINK', nextPhone());
    await tick();
    const [m] = await messagesOf(id);
    const code = /\/s\/([A-Za-z0-9_-]+)/.exec(m?.body ?? '')?.[1];
    expect(code, m?.body ?? '').toBeDefined();
    expect(m?.encoding).toBe('gsm7');
    const survey = await tp.client().get(`/api/public/v1/surveys/${code}`);
    expect(survey.status).toBe(200);
    expect(survey.body).toMatchObject({ kind: 'link', state: 'open', unit: { code: UNIT } });
    expect((await admin.put('/api/v1/sms/settings', settings())).status).toBe(200);
  });

  it('shows statistics per unit, and the log to a unit manager only for their unit', async () => {
    const period = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 7);
    const s = await admin.get(`/api/v1/sms/stats?period=${period}`);
    expect(s.status).toBe(200);
    const row = s.body.units.find((u: { unit: string }) => u.unit === UNIT);
    expect(row.invitations).toBeGreaterThanOrEqual(5);
    expect(row.sent).toBeGreaterThanOrEqual(4);
    expect(row.replies).toBeGreaterThanOrEqual(1);
    expect(row.skipped.optedOut).toBeGreaterThanOrEqual(1);
    const other = await userWithRole(tp, admin, 'sms-other', 'unit_manager', 'QT-HH-MC');
    const theirs = await other.client.get('/api/v1/sms/messages');
    expect(theirs.status).toBe(200);
    // Only their unit's (its list reminder), none of this unit's invitations.
    expect(theirs.body.total).toBe(1);
    expect(theirs.body.items.map((i: { unit: string }) => i.unit)).toEqual(['QT-HH-MC']);
    // The gateway's state is every reader's, its last error only the managers'.
    const g = await other.client.get('/api/v1/sms/gateway');
    expect(g.status).toBe(200);
    expect(g.body).toMatchObject({ lastError: null });
    expect((await admin.get('/api/v1/sms/gateway')).body.lastError).toContain('no session with the SMSC');
    const settingsDenied = await other.client.get('/api/v1/sms/settings');
    expect(settingsDenied.status).toBe(403);
    const all = await admin.get(`/api/v1/sms/messages?unit=${UNIT}`);
    expect(all.body.total).toBeGreaterThan(0);
    for (const i of all.body.items) expect(i.phoneMasked ?? '***').toMatch(/^\d{3}\*\*\*\d{4}$|^\*\*\*$/);
  });
});

function nextMorning(h = 7, mi = 0) {
  const d = new Date(Date.now() + 2 * 86_400_000 + 7 * 3600_000);
  return `${d.toISOString().slice(0, 10)}T${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}:00+07:00`;
}
