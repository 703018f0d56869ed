// End to end through Debian's Kannel with its fake SMSC: a returned dossier
// gets its invitation through sendsms, the delivery reports come back on the
// dlr-url, and the citizen's reply "5" comes back through the sms-service
// get-url as a rating of the SMS instrument for that dossier.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../src/modules/sms/dispatcher.ts';
import { callbackToken } from '../../../src/modules/sms/settings.ts';
import { hasKannel, type Kannel, startKannel } from '../../support/kannel.ts';
import { type Client, startTestPlatform, type TestPlatform } from '../../support/platform.ts';

let tp: TestPlatform;
let admin: Client;
let kannel: Kannel;

describe.skipIf(!hasKannel)('SMS through Kannel', () => {
  beforeAll(async () => {
    tp = await startTestPlatform();
    admin = await tp.admin();
    await tp.ctx.sms?.stop();
    tp.ctx.sms = createDispatcher({ db: tp.ctx.db, vault: tp.ctx.vault, log: tp.app.log as never, clock: tp.ctx.clock });
    const tenantId = (await tp.ctx.db.selectFrom('tenants').select('id').executeTakeFirstOrThrow()).id;
    kannel = await startKannel({ callbackBase: tp.baseUrl, callbackToken: callbackToken(tp.ctx.vault, tenantId) });
    // Within sending hours whatever the hour of the run.
    const noon = new Date(Date.now() + 86_400_000 + 7 * 3600_000).toISOString().slice(0, 10);
    const d = new Date(`${noon}T12:00:00+07:00`);
    tp.ctx.clock.now = () => d;
  }, 60_000);
  afterAll(async () => {
    await kannel?.stop();
    await tp?.stop();
  });

  it('sends an invitation, records its delivery report, and takes the reply "5" as the rating', async () => {
    const s = await admin.put('/api/v1/sms/settings', {
      invitations: true,
      invitationMode: 'reply',
      invitationDelayMinutes: 0,
      invitationMaxAgeHours: 72,
      reminderAfterHours: null,
      statusNotifications: false,
      listReminders: false,
      sendFrom: 7,
      sendTo: 21,
      sender: kannel.shortCode,
      maxAttempts: 3,
      gateway: {
        kind: 'http',
        config: { sendUrl: kannel.sendsmsUrl, username: kannel.username, password: kannel.password, callbackBase: tp.baseUrl },
      },
    });
    expect(s.status, s.text).toBe(200);
    const phone = '0912345678';
    const ev = await admin.post('/api/v1/events', {
      events: [
        {
          unit: 'QT-DH-MC',
          externalId: 'KANNEL-1',
          kind: 'dossier',
          returnedAt: new Date(Date.now() - 60_000).toISOString(),
          citizen: { name: 'Trần Thị Bình', phone },
        },
      ],
    });
    expect(ev.status, ev.text).toBe(200);
    const eventId = ev.body.results[0].id as string;
    expect(await tp.ctx.sms?.tick()).toBe(1);
    const got = await kannel.waitForReceived((m) => m.to.endsWith('912345678'), 15_000);
    expect(got.text).toContain('KANNEL-1');
    const message = () =>
      tp.ctx.db
        .selectFrom('sms_messages')
        .select(['id', 'status', 'delivery_state'])
        .where('event_id', '=', eventId)
        .executeTakeFirstOrThrow();
    await expect.poll(async () => (await message()).status, { timeout: 15_000 }).toBe('delivered');
    const reports = await tp.ctx.db
      .selectFrom('sms_delivery_reports')
      .select('state')
      .where('message_id', '=', (await message()).id)
      .execute();
    expect(reports.map((r) => r.state)).toContain('delivered');

    await kannel.injectInbound({ from: '84912345678', text: '5' });
    const response = () =>
      tp.ctx.db.selectFrom('responses').select(['id', 'channel']).where('event_id', '=', eventId).executeTakeFirst();
    await expect.poll(async () => (await response())?.channel, { timeout: 15_000 }).toBe('sms');
    const rating = await tp.ctx.db
      .selectFrom('response_answers')
      .select('value')
      .where('response_id', '=', (await response())?.id as string)
      .where('item', '=', 'RATING')
      .executeTakeFirst();
    expect(rating?.value).toBe('5');
    const inbound = await admin.get('/api/v1/sms/inbound?kind=rating');
    expect(inbound.body.items[0]).toMatchObject({ rating: 5, dossier: 'KANNEL-1', phoneMasked: '091***5678' });
  });

  it('refuses callbacks without the tenant’s token', async () => {
    const r = await fetch(`${tp.baseUrl}/api/v1/sms/hooks/http/incoming?token=wrong&from=84912345678&text=5`);
    expect(r.status).toBe(403);
  });
});
