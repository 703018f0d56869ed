// The kiosk misuse rules (METHODS.md section 7) run on each batch a device
// sends, over its ratings around the batch: flagged ratings stay stored and
// are left out of scores, counted per rule.
import { sql } from 'kysely';
import type { Executor } from '../../db/index.ts';
import { flagResponses } from '../responses/commands/flag-responses.ts';
import { holidaySet, isOpenAt, unitHours } from './hours.ts';

export const MISUSE_RULES = ['burst', 'outside_hours', 'identical_run'] as const;
export type MisuseRule = (typeof MISUSE_RULES)[number];

/** Three or more ratings from one device within 10 seconds: nobody queues that fast (the screen locks for 6 s). */
export const BURST = { windowMs: 10_000, min: 3 };
/** Ten or more identical ratings in a row from one device within an hour. */
export const IDENTICAL_RUN = { min: 10, withinMs: 3_600_000 };

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
  return flagResponses(db, input.tenantId, flags);
}
