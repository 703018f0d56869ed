// The kiosk misuse rules (METHODS.md section 7) run on each batch a device
// sends, over its ratings around the batch: flagged ratings stay stored and
// are left out of scores, counted per rule.
import { sql } from 'kysely';
import type { Executor } from '../../db/index.ts';
import { flagResponses } from '../responses/commands/flag-responses.ts';
import { holidaySet, isOpenAt, unitHours } from './hours.ts';

export const MISUSE_RULES = ['burst', 'outside_hours', 'identical_run', 'hour_spike', 'exceeds_dossiers'] as const;
export type MisuseRule = (typeof MISUSE_RULES)[number];

/** Three or more ratings from one device within 10 seconds: nobody queues that fast (the screen locks for 6 s). */
export const BURST = { windowMs: 10_000, min: 3 };
/** Ten or more identical ratings in a row from one device within an hour. */
export const IDENTICAL_RUN = { min: 10, withinMs: 3_600_000 };
/** An hour of one device with at least 20 ratings and three times the mean of the same weekday-hour of the 4 weeks before. */
export const HOUR_SPIKE = { min: 20, factor: 3, weeks: 4 };

/** Whether an hour's count is far above its usual level (the mean of the same hour in the weeks before). */
export function isHourSpike(count: number, usual: number): boolean {
  return count >= HOUR_SPIKE.min && count >= HOUR_SPIKE.factor * usual;
}

type Rated = { id: string; at: number; signature: string; fresh: boolean };

/** Which ratings each rule flags among one device's ratings in time order. */
export function misuseFlags(ratings: Rated[], isOpen: (at: Date) => boolean): Map<string, MisuseRule[]> {
  const out = new Map<string, MisuseRule[]>();
  const add = (id: string, rule: MisuseRule) => {
    const rs = out.get(id) ?? [];
    if (!rs.includes(rule)) rs.push(rule);
    out.set(id, rs);
  };
  // burst: every rating inside a 10-second window holding three or more
  let j = 0;
  for (let i = 0; i < ratings.length; i++) {
    if (j < i) j = i;
    while (j + 1 < ratings.length && (ratings[j + 1] as Rated).at - (ratings[i] as Rated).at <= BURST.windowMs) j++;
    if (j - i + 1 >= BURST.min) for (let k = i; k <= j; k++) add((ratings[k] as Rated).id, 'burst');
  }
  // identical answers in a long run
  for (let i = 0; i < ratings.length; ) {
    let j = i;
    while (j + 1 < ratings.length && (ratings[j + 1] as Rated).signature === (ratings[i] as Rated).signature) j++;
    const span = (ratings[j] as Rated).at - (ratings[i] as Rated).at;
    if (j - i + 1 >= IDENTICAL_RUN.min && span <= IDENTICAL_RUN.withinMs)
      for (let k = i; k <= j; k++) add((ratings[k] as Rated).id, 'identical_run');
    i = j + 1;
  }
  // given while the unit was closed (by the device's clock; a wrong clock raises its own alert)
  for (const r of ratings) if (r.fresh && !isOpen(new Date(r.at))) add(r.id, 'outside_hours');
  return out;
}

/** Runs the rules for the ratings a device just sent; returns how many ratings were newly flagged. */
export async function applyMisuseRules(
  db: Executor,
  input: { tenantId: string; deviceId: string; unitId: string; ids: string[]; timeZone: string },
): Promise<number> {
  if (!input.ids.length) return 0;
  const span = await sql<{ lo: Date; hi: Date }>`
    select min(submitted_at) as lo, max(submitted_at) as hi from responses
    where tenant_id = ${input.tenantId} and id = any(${input.ids}::uuid[])`.execute(db);
  const { lo, hi } = span.rows[0] ?? {};
  if (!lo || !hi) return 0;
  const rows = await sql<{ id: string; at: Date; signature: string | null }>`
    select r.id, r.submitted_at as at,
      (select string_agg(a.item || '=' || a.value, ',' order by a.item, a.ord)
         from response_answers a where a.tenant_id = r.tenant_id and a.response_id = r.id) as signature
    from responses r
    where r.tenant_id = ${input.tenantId} and r.device_id = ${input.deviceId} and r.status = 'complete'
      and r.submitted_at between ${new Date(lo.getTime() - IDENTICAL_RUN.withinMs)} and ${new Date(hi.getTime() + IDENTICAL_RUN.withinMs)}
    order by r.submitted_at, r.id`.execute(db);
  const fresh = new Set(input.ids);
  const hours = (await unitHours(db, input.tenantId, [input.unitId])).get(input.unitId);
  const holidays = await holidaySet(db, input.tenantId);
  const flags = misuseFlags(
    rows.rows.map((r) => ({ id: r.id, at: r.at.getTime(), signature: r.signature ?? '', fresh: fresh.has(r.id) })),
    (at) => (hours ? isOpenAt(hours, holidays, at, input.timeZone) : true),
  );
  for (const id of await hourSpikes(db, input)) flags.set(id, [...(flags.get(id) ?? []), 'hour_spike']);
  return flagResponses(db, input.tenantId, flags);
}

/** The ratings of the device's local hours touched by the batch that are far above the same hours of the weeks before. */
async function hourSpikes(db: Executor, input: { tenantId: string; deviceId: string; ids: string[]; timeZone: string }) {
  // Counted straight on the table (by its device index), not through a CTE, which would copy the device's whole history.
  const mine = sql`r.tenant_id = ${input.tenantId} and r.device_id = ${input.deviceId} and r.status = 'complete'`;
  const r = await sql<{ h: Date; n: number; usual: number }>`
    with hours as (
      select distinct date_trunc('hour', submitted_at at time zone ${input.timeZone}) at time zone ${input.timeZone} as h
      from responses where tenant_id = ${input.tenantId} and id = any(${input.ids}::uuid[])
    )
    select h,
      (select count(*)::int from responses r where ${mine} and r.submitted_at >= h and r.submitted_at < h + interval '1 hour') as n,
      (select count(*)::float8 / ${HOUR_SPIKE.weeks} from generate_series(1, ${HOUR_SPIKE.weeks}) w
        join responses r on ${mine}
         and r.submitted_at >= h - w * interval '7 days' and r.submitted_at < h - w * interval '7 days' + interval '1 hour') as usual
    from hours`.execute(db);
  const spikes = r.rows.filter((x) => isHourSpike(x.n, x.usual));
  if (!spikes.length) return [];
  const ids = await sql<{ id: string }>`
    select id from responses
    where tenant_id = ${input.tenantId} and device_id = ${input.deviceId} and status = 'complete'
      and date_trunc('hour', submitted_at at time zone ${input.timeZone}) at time zone ${input.timeZone} = any(${spikes.map((x) => x.h)}::timestamptz[])`.execute(
    db,
  );
  return ids.rows.map((x) => x.id);
}

/**
 * Kiosk ratings of a unit on a day that outnumber the dossiers or visits it
 * handled that day (received or returned), once the unit's list for the month
 * has arrived: that day's kiosk ratings are flagged. Returns how many were.
 */
export async function flagRatingsBeyondDossiers(
  db: Executor,
  input: { tenantId: string; timeZone: string; from: string; to: string },
): Promise<number> {
  const days = await sql<{ unit_id: string; day: string }>`
    with rated as (
      select unit_id, day, count(*)::int as n from responses
      where tenant_id = ${input.tenantId} and channel = 'kiosk' and status = 'complete'
        and day between ${input.from}::date and ${input.to}::date
      group by unit_id, day
    )
    select r.unit_id, r.day::text as day from rated r
    where exists (select 1 from list_submissions s
                  where s.tenant_id = ${input.tenantId} and s.unit_id = r.unit_id and s.period = to_char(r.day, 'YYYY-MM'))
      and r.n > (select count(*) from service_events e
                 where e.tenant_id = ${input.tenantId} and e.unit_id = r.unit_id
                   and ((e.received_at at time zone ${input.timeZone})::date = r.day
                     or (e.returned_at at time zone ${input.timeZone})::date = r.day))`.execute(db);
  if (!days.rows.length) return 0;
  const ids = await sql<{ id: string }>`
    select r.id from responses r
    join unnest(${days.rows.map((d) => d.unit_id)}::uuid[], ${days.rows.map((d) => d.day)}::date[]) as d(unit_id, day)
      on r.unit_id = d.unit_id and r.day = d.day
    where r.tenant_id = ${input.tenantId} and r.channel = 'kiosk' and r.status = 'complete'`.execute(db);
  return flagResponses(db, input.tenantId, new Map(ids.rows.map((x) => [x.id, ['exceeds_dossiers']])));
}
