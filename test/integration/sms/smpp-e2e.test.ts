// End to end over SMPP against a local SMSC (the npm smpp server): the
// platform's dispatcher binds as a transceiver, the invitation is submitted,
// the delivery receipt settles it, the citizen's "4" becomes the rating, and
// after the SMSC restarts the next message still goes out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../src/modules/sms/dispatcher.ts';
import { type Client, startTestPlatform, type TestPlatform } from '../../support/platform.ts';
import { type Smsc, startSmsc } from '../../support/smsc.ts';

let tp: TestPlatform;
let admin: Client;
let smsc: Smsc;

beforeAll(async () => {
  tp = await startTestPlatform();
  admin = await tp.admin();
  await tp.ctx.sms?.stop();
  tp.ctx.sms = createDispatcher({ db: tp.ctx.db, vault: tp.ctx.vault, log: tp.app.log as never, clock: tp.ctx.clock });
  smsc = await startSmsc({ systemId: 'mscore', password: 'secret', autoReceipt: 'DELIVRD', receiptDelayMs: 50 });
  const noon = new Date(Date.now() + 86_400_000 + 7 * 3600_000).toISOString().slice(0, 10);
  const d = new Date(`${noon}T12:00:00+07:00`);
  tp.ctx.clock.now = () => d;
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
    sender: '8077',
    maxAttempts: 5,
    gateway: {
      kind: 'smpp',
      config: { host: '127.0.0.1', port: smsc.port, systemId: 'mscore', password: 'secret', enquireLinkSeconds: 1 },
    },
  });
  expect(s.status, s.text).toBe(200);
});
afterAll(async () => {
  await tp?.ctx.sms?.stop();
  await smsc?.close();
  await tp?.stop();
});

async function returned(externalId: string, phone: string) {
  const r = await admin.post('/api/v1/events', {
    events: [
      {
        unit: 'QT-DH-MC',
        externalId,
        kind: 'dossier',
        returnedAt: new Date(Date.now() - 60_000).toISOString(),
        citizen: { name: 'Phạm Văn Cường', phone },
      },
    ],
  });
  expect(r.status, r.text).toBe(200);
  return r.body.results[0].id as string;
}

const message = (eventId: string) =>
  tp.ctx.db
    .selectFrom('sms_messages')
    .select(['id', 'status', 'delivery_state', 'last_error'])
    .where('event_id', '=', eventId)
    .executeTakeFirstOrThrow();

describe('SMS over SMPP', () => {
  it('submits the invitation, settles the receipt, and takes the reply as the rating', async () => {
    const eventId = await returned('SMPP-1', '0914111222');
    expect(await tp.ctx.sms?.tick()).toBe(1);
    const sub = smsc.submitted.find((m) => m.to === '84914111222');
    expect(sub?.text).toContain('SMPP-1');
    expect(sub?.from).toBe('8077');
    await expect.poll(async () => (await message(eventId)).status, { timeout: 10_000 }).toBe('delivered');
    await smsc.sendInbound({ from: '84914111222', to: '8077', text: 'Tôi chấm 4' });
    const response = () =>
      tp.ctx.db.selectFrom('responses').select(['id', 'channel']).where('event_id', '=', eventId).executeTakeFirst();
    await expect.poll(async () => (await response())?.channel, { timeout: 10_000 }).toBe('sms');
  });

  it('sends again after the SMSC restarts', async () => {
    await smsc.restart();
    const eventId = await returned('SMPP-2', '0914111333');
    // Ticks until the session is bound again: the message waits meanwhile, without using up attempts.
    await expect
      .poll(
        async () => {
          await tp.ctx.sms?.tick();
          tp.ctx.clock.now = (
            (d) => () =>
              d
          )(new Date(tp.ctx.clock.now().getTime() + 20_000));
          return (await message(eventId)).status;
        },
        { timeout: 20_000, interval: 500 },
      )
      .toMatch(/sent|delivered/);
    expect(smsc.submitted.filter((m) => m.to === '84914111333')).toHaveLength(1);
  });
});
