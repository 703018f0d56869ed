// start: config -> database -> migrations -> app -> listen
import pino, { type Logger } from 'pino';
import { buildApp } from './app.ts';
import { type Config, loadConfigOrExit } from './config.ts';
import { DataDirBusyError } from './db/datadir-lock.ts';
import { restoreIndexes } from './db/deferred-indexes.ts';
import { exclusively, migrate, openDatabase } from './db/index.ts';
import { generateDemo, historyIsEmpty } from './modules/demo/generate.ts';
import { generateDemoRounds } from './modules/demo/rounds.ts';
import { generateDemoSms } from './modules/demo/sms.ts';
import { listRemindersJob } from './modules/events/reminders-job.ts';
import { dossierCheckJob } from './modules/kiosk/dossier-check-job.ts';
import { bootstrapTenant } from './modules/org/commands/bootstrap-tenant.ts';
import { compactRollupsJob } from './modules/responses/rollups.ts';
import { ensureBuiltinIndices } from './modules/scoring/commands/ensure-builtins.ts';
import { createDispatcher } from './modules/sms/dispatcher.ts';
import { ensureBuiltinInstruments } from './modules/surveys/commands/ensure-builtins.ts';
import { sessionCleanupJob } from './platform/auth/cleanup-job.ts';
import type { AppContext } from './platform/context.ts';
import { createJobs } from './platform/jobs.ts';
import { controlToken } from './platform/local-control.ts';
import { periodOf } from './platform/time.ts';
import { createVault } from './platform/vault.ts';

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    // Personal data and secrets never reach the logs.
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'password',
        '*.password',
        'token',
        '*.token',
        'phone',
        '*.phone',
      ],
      censor: '[redacted]',
    },
  });
}

/** Opens everything the platform needs; used by `npm start`, `mscore serve` and the tests. */
export async function startPlatform(config: Config, log: Logger, opts: { listen?: boolean; workers?: boolean } = {}) {
  const t0 = performance.now();
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    const applied = await migrate(database);
    if (applied.length) log.info({ applied }, 'migrations applied');
    const vault = createVault(config.secretKey);
    const jobs = createJobs(database.db, log);
    const ctx: AppContext = { config, database, db: database.db, vault, jobs, log, clock: { now: () => new Date() } };
    jobs.define(sessionCleanupJob(database.db));
    jobs.define(listRemindersJob(database.db));
    jobs.define(compactRollupsJob(database.db));
    jobs.define(dossierCheckJob(database.db));
    // Processes starting together on one PostgreSQL take turns here.
    const boot = await exclusively(database, 727274003, async () => {
      // A bulk load that stopped before rebuilding its indexes leaves them to the next start.
      const rebuilt = await restoreIndexes(database.db, (line) => log.info(line));
      if (rebuilt.length) log.info({ rebuilt }, 'deferred indexes rebuilt');
      const boot = await bootstrapTenant(database.db, config);
      if (boot.created) {
        log.info({ tenant: config.tenantCode, demo: config.demo }, 'tenant created');
        if (boot.generatedPassword) {
          // Printed once, on the console only: it is not kept anywhere.
          process.stdout.write(
            `\n  Tài khoản quản trị / administrator account:  admin  /  ${boot.adminPassword}\n  (set MSCORE_ADMIN_PASSWORD to choose it; this is shown only once)\n\n`,
          );
        }
      }
      for (const t of await database.db.selectFrom('tenants').select('id').execute()) {
        const added = await ensureBuiltinInstruments(database.db, t.id);
        if (added.length) log.info({ added }, 'built-in instruments added');
        const indices = await ensureBuiltinIndices(database.db, t.id);
        if (indices.length) log.info({ indices }, 'built-in indices added');
      }
      await jobs.start({ workers: config.jobs && opts.workers !== false, timeZone: config.timeZone });
      return boot;
    });
    if (config.jobs && opts.workers !== false) {
      ctx.sms = createDispatcher({ db: database.db, vault, log, clock: ctx.clock, publicUrl: config.publicUrl });
      ctx.sms.start();
    }
    // Only a server loads it: a command or a worker process never does.
    if (opts.listen !== false && config.demo && config.demoMonths > 0) await loadDemoHistory(ctx, boot.tenantId);
    const app = await buildApp(ctx);
    if (opts.listen !== false) {
      await app.listen({ port: config.port, host: config.host });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      database.lock?.update({ port, controlToken });
    } else {
      await app.ready();
    }
    const startupMs = Math.round(performance.now() - t0);
    let closing: Promise<void> | undefined;
    const close = () => {
      closing ??= (async () => {
        await app.close();
        await ctx.sms?.stop();
        await jobs.stop();
        await database.close();
      })();
      return closing;
    };
    return { app, ctx, close, startupMs };
  } catch (e) {
    await database.close().catch(() => {});
    throw e;
  }
}

/**
 * The first start with demo data: a living province (the months before this
 * one) before the server listens. Done once per tenant (recorded in its
 * settings); a start interrupted before any month was stored tries again.
 */
async function loadDemoHistory(ctx: AppContext, tenantId: string) {
  const { config, db } = ctx;
  const t = await db.selectFrom('tenants').select('settings').where('id', '=', tenantId).executeTakeFirstOrThrow();
  const settings = (t.settings ?? {}) as { demo?: boolean; demoHistory?: unknown };
  if (!settings.demo || settings.demoHistory) return;
  if (!(await historyIsEmpty(db, tenantId))) {
    ctx.log.warn('demo history incomplete (an earlier start stopped while loading it); `mscore demo generate` completes it');
    return;
  }
  const [y, m] = periodOf(new Date(), config.timeZone).split('-').map(Number) as [number, number];
  const until = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
  const say = (line: string) => process.stdout.write(`  ${line}\n`);
  say(
    `Đang tạo dữ liệu mẫu ${config.demoMonths} tháng / loading ${config.demoMonths} months of demo history (MSCORE_DEMO_MONTHS=0 to skip)...`,
  );
  const r = await generateDemo(ctx.database, ctx.vault, {
    tenantId,
    timeZone: config.timeZone,
    until,
    months: config.demoMonths,
    seed: 2014,
    scale: 1,
    path: 'bulk',
    secretKey: config.secretKey,
    onProgress: say,
  });
  say(`${r.events.toLocaleString('en')} events, ${r.responses.toLocaleString('en')} responses in ${r.seconds.toFixed(1)} s`);
  const t0 = performance.now();
  const rounds = await generateDemoRounds(db, { tenantId, timeZone: config.timeZone, months: r.months, now: new Date() });
  if (rounds.interviewer)
    say(
      `${rounds.rounds} phone-interview rounds in ${((performance.now() - t0) / 1000).toFixed(1)} s; demo interviewer / điều tra viên mẫu (/interviewer/): ${rounds.interviewer.username}  /  ${rounds.interviewer.password}`,
    );
  const sms = await generateDemoSms(db, ctx.vault, { tenantId, months: r.months });
  if (sms)
    say(
      `${sms.toLocaleString('en')} SMS invitations of ${r.months.at(-1)} with their replies (development gateway: nothing is sent)`,
    );
  const demoHistory = { months: r.months.length, until, events: r.events, responses: r.responses, at: new Date().toISOString() };
  await db
    .updateTable('tenants')
    .set({ settings: JSON.stringify({ ...settings, demoHistory }) })
    .where('id', '=', tenantId)
    .execute();
  ctx.log.info({ events: r.events, responses: r.responses, seconds: r.seconds }, 'demo history loaded');
}

export async function runServer(opts: { listen?: boolean } = {}) {
  const config = loadConfigOrExit();
  const log = createLogger(config);
  try {
    if (opts.listen === false && !config.databaseUrl) {
      process.stderr.write(
        'Separate worker processes need PostgreSQL (DATABASE_URL); the server runs the workers itself on the embedded database.\n',
      );
      process.exit(78);
    }
    const { close, startupMs } = await startPlatform(config, log, { listen: opts.listen });
    log.info(
      { startupMs, rssMb: Math.round(process.memoryUsage().rss / 1048576) },
      opts.listen === false ? 'mscore worker ready' : `mscore ready on http://${config.host}:${config.port}`,
    );
    const stop = (signal: string) => {
      log.info({ signal }, 'shutting down');
      const timer = setTimeout(() => process.exit(1), 15_000);
      timer.unref();
      close().then(
        () => process.exit(0),
        (err) => {
          log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  } catch (e) {
    if (e instanceof DataDirBusyError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(75);
    }
    log.fatal({ err: e }, 'start failed');
    process.exit(1);
  }
}

if (import.meta.main) await runServer();
