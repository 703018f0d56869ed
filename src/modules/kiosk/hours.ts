// When a unit serves: weekly opening hours per unit (defaults by kind until
// set) and the tenant's holidays. The silence alert counts only open minutes,
// and ratings given while a unit is closed are flagged.
import { sql } from 'kysely';
import type { Executor } from '../../db/index.ts';
import { localDate, zonedParts, zonedTimeToUtc } from '../../platform/time.ts';

/** ISO weekday (1 = Monday) and 'HH:MM' times. */
export type Opening = { weekday: number; opens: string; closes: string };
export type UnitHours = { openings: Opening[]; isDefault: boolean };

const WEEKDAYS = [1, 2, 3, 4, 5];
const ALL_DAYS = [1, 2, 3, 4, 5, 6, 7];

/** Offices keep office hours (mornings and afternoons, Monday to Friday); health units see patients every day. */
export function defaultHours(kind: string): Opening[] {
  if (kind === 'hospital' || kind === 'health_centre')
    return ALL_DAYS.map((weekday) => ({ weekday, opens: '06:30', closes: '20:00' }));
  return WEEKDAYS.flatMap((weekday) => [
    { weekday, opens: '07:00', closes: '11:30' },
    { weekday, opens: '13:00', closes: '17:00' },
  ]);
}

const hhmm = (t: string) => t.slice(0, 5);

export async function unitHours(db: Executor, tenantId: string, unitIds: string[]): Promise<Map<string, UnitHours>> {
  const out = new Map<string, UnitHours>();
  if (!unitIds.length) return out;
  const units = await db
    .selectFrom('units')
    .select(['id', 'kind'])
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', unitIds)
    .execute();
  const rows = await db
    .selectFrom('unit_opening_hours')
    .select(['unit_id', 'weekday', sql<string>`opens::text`.as('opens'), sql<string>`closes::text`.as('closes')])
    .where('tenant_id', '=', tenantId)
    .where('unit_id', 'in', unitIds)
    .orderBy('weekday')
    .orderBy('opens')
    .execute();
  for (const u of units) {
    const own = rows.filter((r) => r.unit_id === u.id);
    out.set(
      u.id,
      own.length
        ? { openings: own.map((r) => ({ weekday: r.weekday, opens: hhmm(r.opens), closes: hhmm(r.closes) })), isDefault: false }
        : { openings: defaultHours(u.kind), isDefault: true },
    );
  }
  return out;
}

export async function holidaySet(db: Executor, tenantId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('holidays').select('day').where('tenant_id', '=', tenantId).execute();
  return new Set(rows.map((r) => r.day));
}

const isoWeekday = (y: number, m: number, d: number) => {
  const w = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return w === 0 ? 7 : w;
};

/** The open intervals of one local day, as instants. */
function openIntervals(openings: Opening[], holidays: Set<string>, y: number, m: number, d: number, zone: string) {
  const day = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  if (holidays.has(day)) return [];
  const w = isoWeekday(y, m, d);
  return openings
    .filter((o) => o.weekday === w)
    .map((o) => {
      const [oh, om] = o.opens.split(':').map(Number) as [number, number];
      const [ch, cm] = o.closes.split(':').map(Number) as [number, number];
      return [zonedTimeToUtc(y, m, d, oh, om, 0, zone).getTime(), zonedTimeToUtc(y, m, d, ch, cm, 0, zone).getTime()] as const;
    });
}

export function isOpenAt(hours: UnitHours, holidays: Set<string>, at: Date, zone: string): boolean {
  const p = zonedParts(at, zone);
  const t = at.getTime();
  return openIntervals(hours.openings, holidays, p.year, p.month, p.day, zone).some(([a, b]) => t >= a && t < b);
}

/** Minutes the unit was open between two instants (at most the last 14 days are counted). */
export function openMinutesBetween(hours: UnitHours, holidays: Set<string>, from: Date, to: Date, zone: string): number {
  const start = Math.max(from.getTime(), to.getTime() - 14 * 86_400_000);
  let total = 0;
  const seen = new Set<string>();
  for (let t = start - 86_400_000; t <= to.getTime() + 86_400_000; t += 86_400_000) {
    const day = localDate(new Date(t), zone);
    if (seen.has(day)) continue;
    seen.add(day);
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    for (const [a, b] of openIntervals(hours.openings, holidays, y, m, d, zone)) {
      const lo = Math.max(a, start);
      const hi = Math.min(b, to.getTime());
      if (hi > lo) total += hi - lo;
    }
  }
  return Math.round(total / 60_000);
}
