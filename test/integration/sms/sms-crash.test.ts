// A server killed between the SMSC's acceptance of a message and the database
// update sends no second copy: the message it was sending becomes `uncertain`
// after its lease, and the next server leaves it for a person to decide.
import type { ChildProcess } from 'node:child_process';
import { sql } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/index.ts';
import { ADMIN_PASSWORD, Client, freePort, freshDatabase, type TestDb } from '../../support/platform.ts';
import { startServerProcess } from '../../support/server-process.ts';
import { type Smsc, startSmsc } from '../../support/smsc.ts';

const children: ChildProcess[] = [];
let db: TestDb | undefined;
let smsc: Smsc | undefined;

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await smsc?.close();
  await db?.drop();
});

const PHONE = '0915222333';
const TO = '84915222333';

it('a server killed after the SMSC took the message sends no second copy', { timeout: 240_000 }, async () => {
  db = await freshDatabase();
  let server: ChildProcess | undefined;
  let killed = false;
  smsc = await startSmsc({
    systemId: 'mscore',
    password: 'secret',
    // The SMSC has the message; the server dies before it hears so.
    onSubmit: (_pdu, sms) => {
      if (sms.to === TO && !killed) {
        killed = true;
        server?.kill('SIGKILL');
      }
    },
  });
  const port = await freePort();
  server = await startServerProcess(db, port, children);
  const admin = new Client(`http://127.0.0.1:${port}`);
  expect((await admin.login('admin', ADMIN_PASSWORD)).status).toBe(200);
  const s = await admin.put('/api/v1/sms/settings', {
    invitations: true,
    invitationMode: 'reply',
    invitationDelayMinutes: 0,
    invitationMaxAgeHours: 72,
    reminderAfterHours: null,
    statusNotifications: false,
    listReminders: false,
    sendFrom: 0,
    sendTo: 24,
    sender: '8077',
    maxAttempts: 5,
    gateway: { kind: 'smpp', config: { host: '127.0.0.1', port: smsc.port, systemId: 'mscore', password: 'secret' } },
  });
  expect(s.status, s.text).toBe(200);
  const ev = await admin.post('/api/v1/events', {
    events: [
      {
        unit: 'QT-DH-MC',
        externalId: 'CRASH-1',
        kind: 'dossier',
        returnedAt: new Date(Date.now() - 60_000).toISOString(),
        citizen: { phone: PHONE },
      },
    ],
  });
  expect(ev.status, ev.text).toBe(200);
  const first = server;
  await new Promise<void>((r) => (first.exitCode !== null || first.signalCode !== null ? r() : first.once('exit', () => r())));
  expect(killed).toBe(true);
  expect(smsc.submitted.filter((m) => m.to === TO)).toHaveLength(1);

  // The send was claimed and never recorded; its lease is let run out rather than waited for.
  const database = await openDatabase({ url: db.url, dataDir: db.dataDir });
  const before = await sql<{ status: string }>`select status from sms_messages where kind = 'invitation'`.execute(database.db);
  expect(before.rows).toEqual([{ status: 'sending' }]);
  await sql`update sms_messages set lease_until = now() - interval '1 second' where status = 'sending'`.execute(database.db);
  await database.close();

  server = await startServerProcess(db, port, children);
  const again = new Client(`http://127.0.0.1:${port}`);
  expect((await again.login('admin', ADMIN_PASSWORD)).status).toBe(200);
  await expect
    .poll(async () => (await again.get('/api/v1/sms/messages?kind=invitation')).body.items[0]?.status, { timeout: 20_000 })
    .toBe('uncertain');
  // Several rounds of the new server's dispatcher later, still one copy at the SMSC.
  await new Promise((r) => setTimeout(r, 3000));
  expect(smsc.submitted.filter((m) => m.to === TO)).toHaveLength(1);
  const m = (await again.get('/api/v1/sms/messages?kind=invitation')).body.items[0];
  expect(m.lastError).toContain('not resent automatically');
  expect(m.attempts).toBe(1);
});
