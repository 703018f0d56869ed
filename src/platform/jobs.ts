// Postgres-backed job queue (pg-boss). A job is enqueued through the business
// transaction's executor (outbox): it exists only if that transaction commits.
// Handlers run at least once and must be safe to run twice.
import { hostname } from 'node:os';
import { CompiledQuery } from 'kysely';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Executor } from '../db/index.ts';

export type JobDefinition<T extends object = Record<string, unknown>> = {
  name: string;
  handler: (data: T, job: { id: string; retryCount: number }) => Promise<void>;
  retryLimit?: number;
  /** seconds; doubled on each retry */
  retryDelay?: number;
  /** cron expression in the tenant time zone, for periodic jobs */
  cron?: string;
};

export type Jobs = {
  boss: PgBoss;
  define<T extends object>(def: JobDefinition<T>): void;
  send(on: Executor, name: string, data: object, opts?: PgBoss.SendOptions): Promise<string | null>;
  start(opts: { workers: boolean; timeZone: string }): Promise<void>;
  stop(): Promise<void>;
  deadLetterName(name: string): string;
};

function adapter(on: Executor): PgBoss.Db {
  return {
    executeSql: async (text: string, values?: unknown[]) => {
      const r = await on.executeQuery(CompiledQuery.raw(text, values ?? []));
      return { rows: r.rows } as never;
    },
  };
}

/** Which process ran a job, as the run log shows it. */
export const PROCESS = `${hostname()}:${process.pid}`;

export function createJobs(db: Executor, log: Logger): Jobs {
  const boss = new PgBoss({
    db: adapter(db),
    schedule: true,
    supervise: true,
    maintenanceIntervalSeconds: 300,
  });
  boss.on('error', (err) => log.error({ err }, 'job queue error'));
  const defs = new Map<string, JobDefinition<never>>();
  let started = false;
  const deadLetterName = (name: string) => `${name}.dead`;

  return {
    boss,
    deadLetterName,
    define(def) {
      defs.set(def.name, def as JobDefinition<never>);
    },
    async send(on, name, data, opts = {}) {
      if (!defs.has(name)) throw new Error(`jobs: unknown job "${name}"`);
      return boss.send(name, data, { ...opts, db: adapter(on) });
    },
    async start({ workers, timeZone }) {
      await boss.start();
      started = true;
      for (const def of defs.values()) {
        await boss.createQueue(deadLetterName(def.name), { name: deadLetterName(def.name) });
        await boss.createQueue(def.name, {
          name: def.name,
          retryLimit: def.retryLimit ?? 5,
          retryDelay: def.retryDelay ?? 10,
          retryBackoff: true,
          deadLetter: deadLetterName(def.name),
        });
        if (def.cron) await boss.schedule(def.name, def.cron, {}, { tz: timeZone });
        if (workers) {
          await boss.work<never>(def.name, { pollingIntervalSeconds: 1, includeMetadata: true }, async (jobs) => {
            for (const job of jobs) {
              const started = new Date();
              const logRun = (status: 'ok' | 'failed', error: string | null) =>
                db
                  .insertInto('job_runs')
                  .values({
                    job_id: job.id,
                    name: def.name,
                    process: PROCESS,
                    attempt: job.retryCount + 1,
                    started_at: started,
                    finished_at: new Date(),
                    status,
                    error,
                  })
                  .execute()
                  .catch((err) => log.warn({ err, job: def.name }, 'job run not logged'));
              try {
                await def.handler(job.data, { id: job.id, retryCount: job.retryCount });
                await logRun('ok', null);
              } catch (err) {
                log.warn({ err, job: def.name, jobId: job.id, retry: job.retryCount }, 'job failed');
                await logRun('failed', String((err as Error)?.message ?? err).slice(0, 1000));
                throw err;
              }
            }
          });
        }
      }
    },
    async stop() {
      if (started) await boss.stop({ graceful: true, close: false, wait: true, timeout: 10_000 });
      started = false;
    },
  };
}
