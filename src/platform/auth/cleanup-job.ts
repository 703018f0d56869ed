// Periodic purge of ended sessions, old login attempts and rate-limit windows (safe to run twice).
import { sql } from 'kysely';
import type { Executor } from '../../db/index.ts';
import type { JobDefinition } from '../jobs.ts';

export const SESSION_CLEANUP = 'platform.session-cleanup';

export async function purgeSessions(db: Executor, now = new Date()) {
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const sessions = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<', dayAgo), eb('idle_expires_at', '<', dayAgo), eb('revoked_at', '<', dayAgo)]))
    .executeTakeFirst();
  const attempts = await db
    .deleteFrom('login_attempts')
    .where('at', '<', sql<Date>`${now}::timestamptz - interval '30 days'`)
    .executeTakeFirst();
  await db.deleteFrom('rate_limits').where('window_start', '<', dayAgo).execute();
  await db.deleteFrom('job_runs').where('started_at', '<', sql<Date>`${now}::timestamptz - interval '30 days'`).execute();
  return { sessions: Number(sessions.numDeletedRows), attempts: Number(attempts.numDeletedRows) };
}

export function sessionCleanupJob(db: Executor): JobDefinition {
  return {
    name: SESSION_CLEANUP,
    cron: '17 * * * *',
    retryLimit: 3,
    handler: async () => {
      await purgeSessions(db);
    },
  };
}
