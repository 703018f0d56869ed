// Daily: records a reminder for every unit whose monthly list is late (past
// the due day with nothing received), and queues its SMS to the unit's contact
// when the tenant sends them. Safe to run twice (one reminder, one SMS per unit and month).
import { sql } from 'kysely';
import type { Executor } from '../../db/index.ts';
import type { JobDefinition } from '../../platform/jobs.ts';
import { periodOf } from '../../platform/time.ts';
import { enqueueListReminders } from '../sms/enqueue.ts';
import { listDueDate } from './queries.ts';

export const LIST_REMINDERS = 'events.list-reminders';

/** The period whose list is due this month: the previous month in the tenant's zone. */
export function previousPeriod(now: Date, timeZone: string): string {
  const [y, m] = periodOf(now, timeZone).split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export async function recordLateListReminders(db: Executor, now = new Date()): Promise<number> {
  const tenants = await db.selectFrom('tenants').select(['id', 'time_zone', 'settings']).execute();
  let recorded = 0;
  for (const t of tenants) {
    const period = previousPeriod(now, t.time_zone);
    const dueDay = ((t.settings ?? {}) as { listDueDay?: number }).listDueDay ?? 5;
    if (now <= listDueDate(period, dueDay, t.time_zone)) continue;
    const r = await sql`
      insert into list_reminders (tenant_id, unit_id, period)
      select u.tenant_id, u.id, ${period} from units u
      where u.tenant_id = ${t.id} and u.sector is not null
        and u.kind in ('one_stop_office','service_centre','hospital','health_centre')
        and u.valid_to is null
        and not exists (select 1 from list_submissions s where s.tenant_id = u.tenant_id and s.unit_id = u.id and s.period = ${period})
      on conflict do nothing`.execute(db);
    recorded += Number(r.numAffectedRows ?? 0);
    await enqueueListReminders(db, t.id, period);
  }
  return recorded;
}

export function listRemindersJob(db: Executor): JobDefinition {
  return {
    name: LIST_REMINDERS,
    cron: '0 8 * * *',
    retryLimit: 3,
    handler: async () => {
      await recordLateListReminders(db);
    },
  };
}
