// SMS sent to a local SMSC (its own process) over SMPP with a window of 10:
// the dispatcher claiming, checking, sending and recording queued messages on
// PostgreSQL, sustained. Baseline: the same SMPP client sending the same
// number of messages with no database at all.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { type Db, migrate, openDatabase } from '../src/db/index.ts';
import { bootstrapTenant } from '../src/modules/org/commands/bootstrap-tenant.ts';
import { createDispatcher } from '../src/modules/sms/dispatcher.ts';
import { smppGateway } from '../src/modules/sms/gateways/smpp.ts';
import { outboundContext } from '../src/modules/sms/receive.ts';
import { DEFAULT_SETTINGS, writeSettings } from '../src/modules/sms/settings.ts';
import { phoneHash } from '../src/platform/do-not-contact.ts';
import { createVault } from '../src/platform/vault.ts';
import { BENCH_SECRET, freshPostgres, root } from './lib/server.ts';

type Figure = { name: string; value: number; unit: string; baseline?: number; note?: string };

const MESSAGES = Number(process.env.BENCH_SMS_MESSAGES ?? 6000);
const WINDOW = 10;

async function smscProcess(): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, [`${root}/bench/lib/smsc-process.ts`], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((res) =>
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', res),
  );
  return { port: (JSON.parse(line) as { port: number }).port, child };
}

async function baseline(port: number): Promise<number> {
  const g = smppGateway({ host: '127.0.0.1', port, systemId: 'bench', password: 'bench', window: WINDOW });
  await g.start({ onDeliveryReport: async () => {}, onInbound: async () => {} });
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: MESSAGES }, (_, i) =>
      g.send({
        id: String(i),
        to: `8491${String(i).padStart(7, '0')}`,
        text: 'Cam on Ong/Ba. Xin cham diem 1-5.',
        encoding: 'gsm7',
      }),
    ),
  );
  const rate = MESSAGES / ((performance.now() - t0) / 1000);
  await g.stop();
  return rate;
}

async function queue(db: Db, tenantId: string, vault: ReturnType<typeof createVault>) {
  const rows = Array.from({ length: MESSAGES }, (_, i) => {
    const national = `091${String(i).padStart(7, '0')}`;
    return {
      tenant_id: tenantId,
      message_key: `bench:${i}`,
      kind: 'thanks' as const,
      phone_enc: vault.encrypt(national, outboundContext(tenantId)),
      phone_hash: phoneHash(vault, national),
    };
  });
  for (let i = 0; i < rows.length; i += 1000)
    await db
      .insertInto('sms_messages')
      .values(rows.slice(i, i + 1000))
      .execute();
}

export async function run(): Promise<Figure[]> {
  const smsc = await smscProcess();
  const pgdb = await freshPostgres('mscore_bench_sms');
  const database = await openDatabase({ url: pgdb.url, dataDir: '' });
  try {
    await migrate(database);
    const config = loadConfig({
      DATABASE_URL: pgdb.url,
      MSCORE_SECRET_KEY: BENCH_SECRET,
      MSCORE_ADMIN_PASSWORD: 'bench-admin-password',
    });
    const { tenantId } = await bootstrapTenant(database.db, config);
    const vault = createVault(BENCH_SECRET);
    const base = await baseline(smsc.port);
    await writeSettings(
      database.db,
      vault,
      tenantId,
      {
        ...DEFAULT_SETTINGS,
        sendFrom: 0,
        sendTo: 24,
        gateway: {
          kind: 'smpp',
          config: { host: '127.0.0.1', port: smsc.port, systemId: 'bench', password: 'bench', window: WINDOW },
        },
      },
      null,
    );
    await queue(database.db, tenantId, vault);
    const dispatcher = createDispatcher({
      db: database.db,
      vault,
      log: pino({ level: 'warn' }),
      clock: { now: () => new Date() },
      batch: 100,
    });
    await dispatcher.gateway(tenantId); // bound before the clock starts
    const t0 = performance.now();
    let sent = 0;
    while (sent < MESSAGES && performance.now() - t0 < 120_000) sent += await dispatcher.tick();
    const seconds = (performance.now() - t0) / 1000;
    await dispatcher.stop();
    const states = await database.db
      .selectFrom('sms_messages')
      .select(['status'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .groupBy('status')
      .execute();
    return [
      {
        name: `SMS to a local SMSC over SMPP, window ${WINDOW}, PostgreSQL`,
        value: MESSAGES / seconds,
        unit: 'msg/s',
        baseline: base,
        note: `${MESSAGES} queued messages claimed, checked, sent and recorded in ${seconds.toFixed(1)} s (${states.map((s) => `${s.status} ${s.n}`).join(', ')}); baseline: the same SMPP client with no database`,
      },
    ];
  } finally {
    await database.close();
    await pgdb.drop();
    smsc.child.kill('SIGTERM');
  }
}
