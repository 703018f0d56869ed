// The fleet of rating tablets: each device's last heartbeat, ratings today and
// its alerts. A device is silent after 30 minutes without a heartbeat while its
// unit is open, its clock is wrong when more than 5 minutes off, and its
// sequence numbers show lost (gaps) or replayed (repeats) ratings.
import { sql } from 'kysely';
import type { Executor } from '../../db/index.ts';
import { inScope, type UnitScope } from '../../platform/auth/policy.ts';
import { localDate } from '../../platform/time.ts';
import { holidaySet, openMinutesBetween, unitHours } from './hours.ts';

export const SILENT_MINUTES = 30;
export const CLOCK_TOLERANCE_MS = 5 * 60_000;

export type DeviceAlert =
  | { kind: 'silent'; minutes: number }
  | { kind: 'clock'; skewSeconds: number }
  | { kind: 'sequence'; gaps: number; repeats: number };

export type DeviceRow = {
  id: string;
  name: string;
  unit: { code: string; name: string };
  enrolledAt: string;
  revokedAt: string | null;
  lastSeenAt: string | null;
  appVersion: string | null;
  battery: number | null;
  queue: number | null;
  clockSkewSeconds: number | null;
  lastSeq: number | null;
  ratingsToday: number;
  status: 'ok' | 'alert' | 'revoked';
  alerts: DeviceAlert[];
};

export async function listDevices(
  db: Executor,
  input: { tenantId: string; timeZone: string; scope: UnitScope; unitId?: string; now: Date },
): Promise<DeviceRow[]> {
  let q = db
    .selectFrom('devices as d')
    .innerJoin('units as u', 'u.id', 'd.unit_id')
    .select([
      'd.id',
      'd.name',
      'd.unit_id',
      'u.code as unit_code',
      'u.name as unit_name',
      'd.enrolled_at',
      'd.revoked_at',
      'd.last_seen_at',
      'd.app_version',
      'd.battery',
      'd.queue_length',
      'd.clock_skew_ms',
      'd.last_seq',
    ])
    .where('d.tenant_id', '=', input.tenantId)
    .orderBy('u.code')
    .orderBy('d.enrolled_at');
  if (input.unitId) q = q.where('d.unit_id', '=', input.unitId);
  const devices = (await q.execute()).filter((d) => inScope(input.scope, d.unit_id));
  if (!devices.length) return [];
  const ids = devices.map((d) => d.id);
  const today = localDate(input.now, input.timeZone);
  const stats = await sql<{ device_id: string; today: number; n: number; distinct_seq: number; max_seq: number | null }>`
    select device_id,
      count(*) filter (where day = ${today}::date)::int as today,
      count(device_seq)::int as n,
      count(distinct device_seq)::int as distinct_seq,
      max(device_seq) as max_seq
    from responses
    where tenant_id = ${input.tenantId} and device_id = any(${ids}::uuid[])
    group by device_id`.execute(db);
  const byDevice = new Map(stats.rows.map((s) => [s.device_id, s]));
  const hours = await unitHours(db, input.tenantId, [...new Set(devices.map((d) => d.unit_id))]);
  const holidays = await holidaySet(db, input.tenantId);
  return devices.map((d) => {
    const s = byDevice.get(d.id);
    const alerts: DeviceAlert[] = [];
    if (!d.revoked_at) {
      const h = hours.get(d.unit_id);
      const since = d.last_seen_at ?? d.enrolled_at;
      const open = h ? openMinutesBetween(h, holidays, since, input.now, input.timeZone) : 0;
      if (open > SILENT_MINUTES)
        alerts.push({ kind: 'silent', minutes: Math.round((input.now.getTime() - since.getTime()) / 60_000) });
      if (d.clock_skew_ms !== null && Math.abs(d.clock_skew_ms) > CLOCK_TOLERANCE_MS)
        alerts.push({ kind: 'clock', skewSeconds: Math.round(d.clock_skew_ms / 1000) });
      // Numbers start at 1. What the device says it has given counts once its queue is empty.
      const said = d.queue_length === 0 && d.last_seq !== null ? Number(d.last_seq) : 0;
      const expected = Math.max(Number(s?.max_seq ?? 0), said);
      const gaps = Math.max(0, expected - (s?.distinct_seq ?? 0));
      const repeats = (s?.n ?? 0) - (s?.distinct_seq ?? 0);
      if (gaps || repeats) alerts.push({ kind: 'sequence', gaps, repeats });
    }
    return {
      id: d.id,
      name: d.name,
      unit: { code: d.unit_code, name: d.unit_name },
      enrolledAt: d.enrolled_at.toISOString(),
      revokedAt: d.revoked_at?.toISOString() ?? null,
      lastSeenAt: d.last_seen_at?.toISOString() ?? null,
      appVersion: d.app_version,
      battery: d.battery,
      queue: d.queue_length,
      clockSkewSeconds: d.clock_skew_ms === null ? null : Math.round(Number(d.clock_skew_ms) / 1000),
      lastSeq: d.last_seq === null ? null : Number(d.last_seq),
      ratingsToday: s?.today ?? 0,
      status: d.revoked_at ? 'revoked' : alerts.length ? 'alert' : 'ok',
      alerts,
    };
  });
}
