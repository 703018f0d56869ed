// All reads of the events area.
import { sql } from 'kysely';
import type { Executor } from '../../db/index.ts';
import type { EventStatus } from '../../db/types.ts';
import type { UnitScope } from '../../platform/auth/policy.ts';
import { periodBounds, zonedParts } from '../../platform/time.ts';
import { maskPhone, type Vault } from '../../platform/vault.ts';
import { citizenContext } from './commands/upsert-events.ts';

export type Timeliness = 'early' | 'on_time' | 'late' | 'overdue' | 'pending' | 'unknown';

/** Early / on time / late by the tenant's calendar day, as citizens count it. */
export function timeliness(
  e: { returnedAt: Date | null; dueAt: Date | null; status: string },
  timeZone: string,
  now = new Date(),
): Timeliness {
  if (!e.dueAt) return 'unknown';
  const day = (d: Date) => {
    const p = zonedParts(d, timeZone);
    return p.year * 10_000 + p.month * 100 + p.day;
  };
  if (e.returnedAt) {
    const r = day(e.returnedAt);
    const due = day(e.dueAt);
    return r < due ? 'early' : r === due ? 'on_time' : 'late';
  }
  if (e.status === 'cancelled') return 'unknown';
  return day(now) > day(e.dueAt) ? 'overdue' : 'pending';
}

/** unit code -> id for the units of a scope (what a caller may write or read). */
export async function unitIdsByCode(db: Executor, tenantId: string, scope: UnitScope): Promise<Map<string, string>> {
  if (!scope.all && scope.unitIds.length === 0) return new Map();
  let q = db.selectFrom('units').select(['id', 'code']).where('tenant_id', '=', tenantId);
  if (!scope.all) q = q.where('id', 'in', scope.unitIds);
  return new Map((await q.execute()).map((u) => [u.code, u.id]));
}

export function readCitizen(vault: Vault, tenantId: string, unitId: string, externalId: string, enc: Buffer | null) {
  if (!enc) return { name: null as string | null, phone: null as string | null };
  const v = JSON.parse(vault.decrypt(enc, citizenContext(tenantId, unitId, externalId))) as {
    n: string | null;
    p: string | null;
  };
  return { name: v.n, phone: v.p };
}

export type EventFilter = {
  unit?: string;
  period?: string;
  kind?: string;
  status?: string;
  late?: boolean;
  limit: number;
  offset: number;
};

export async function listEvents(
  db: Executor,
  vault: Vault,
  tenantId: string,
  timeZone: string,
  scope: UnitScope,
  f: EventFilter,
) {
  if (!scope.all && scope.unitIds.length === 0) return { total: 0, items: [] };
  let q = db.selectFrom('service_events as e').innerJoin('units as u', 'u.id', 'e.unit_id').where('e.tenant_id', '=', tenantId);
  if (!scope.all) q = q.where('e.unit_id', 'in', scope.unitIds);
  if (f.unit) q = q.where('u.code', '=', f.unit);
  if (f.period) q = q.where('e.period', '=', f.period);
  if (f.kind) q = q.where('e.kind', '=', f.kind as 'dossier');
  if (f.status) q = q.where('e.status', '=', f.status as 'received');
  if (f.late) {
    q = q.where((eb) =>
      eb.or([
        eb('e.returned_at', '>', eb.ref('e.due_at')),
        eb.and([eb('e.returned_at', 'is', null), eb('e.due_at', '<', new Date()), eb('e.status', '<>', 'cancelled')]),
      ]),
    );
  }
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .select([
      'e.id',
      'e.unit_id',
      'u.code as unit',
      'e.external_id',
      'e.kind',
      'e.service',
      'e.received_at',
      'e.due_at',
      'e.returned_at',
      'e.status',
      'e.channel',
      'e.citizen_enc',
      'e.phone_kind',
      'e.source',
    ])
    .orderBy('e.received_at', 'desc')
    .orderBy('e.id')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
  return {
    total: Number(total.n),
    items: rows.map((r) => {
      const c = readCitizen(vault, tenantId, r.unit_id, r.external_id, r.citizen_enc);
      return {
        id: r.id,
        unit: r.unit,
        externalId: r.external_id,
        kind: r.kind,
        service: r.service,
        receivedAt: r.received_at?.toISOString() ?? null,
        dueAt: r.due_at?.toISOString() ?? null,
        returnedAt: r.returned_at?.toISOString() ?? null,
        status: r.status,
        timeliness: timeliness({ returnedAt: r.returned_at, dueAt: r.due_at, status: r.status }, timeZone),
        channel: r.channel,
        hasName: c.name !== null,
        phoneMasked: c.phone ? maskPhone(c.phone) : null,
        phoneKind: r.phone_kind,
        source: r.source,
      };
    }),
  };
}

export async function eventById(db: Executor, tenantId: string, scope: UnitScope, id: string) {
  if (!scope.all && scope.unitIds.length === 0) return undefined;
  let q = db
    .selectFrom('service_events as e')
    .innerJoin('units as u', 'u.id', 'e.unit_id')
    .selectAll('e')
    .select(['u.code as unit', 'u.name as unitName'])
    .where('e.tenant_id', '=', tenantId)
    .where('e.id', '=', id);
  if (!scope.all) q = q.where('e.unit_id', 'in', scope.unitIds);
  return q.executeTakeFirst();
}

/**
 * The status timeline: reception (from the event itself), every later status in
 * arrival order, and the return when it came with the event itself.
 */
export async function statusHistory(
  db: Executor,
  tenantId: string,
  event: { id: string; status: EventStatus; received_at: Date | null; returned_at: Date | null; created_at: Date },
): Promise<{ status: EventStatus; at: Date; promised_at: Date | null }[]> {
  const rows = await db
    .selectFrom('service_event_status_history')
    .select(['status', 'at', 'promised_at'])
    .where('tenant_id', '=', tenantId)
    .where('event_id', '=', event.id)
    // An intermediate status often has no time of its own: arrival order is the truth.
    .orderBy('id')
    .execute();
  const timeline = [{ status: 'received' as EventStatus, at: event.received_at ?? event.created_at, promised_at: null }, ...rows];
  if (event.status === 'returned' && !rows.some((r) => r.status === 'returned')) {
    timeline.push({ status: 'returned', at: event.returned_at ?? event.created_at, promised_at: null });
  }
  return timeline;
}

/** The list of a period is due on this day of the following month (tenant setting, default the 5th). */
export function listDueDate(period: string, dueDay: number, timeZone: string): Date {
  const { end } = periodBounds(period, timeZone);
  return new Date(end.getTime() + dueDay * 86_400_000); // end of the due day
}

export type QualityRow = {
  unit: string;
  unitName: string;
  sector: string | null;
  records: number;
  validMobile: number;
  withName: number;
  withReturnDate: number;
  eligible: number;
  validMobileRate: number | null;
  withNameRate: number | null;
  withReturnDateRate: number | null;
  listReceivedAt: string | null;
  listDueAt: string;
  onTime: boolean | null;
  /** when a late-list reminder was recorded for the unit and period */
  remindedAt: string | null;
};

/** Units that should send lists: those that serve citizens (a sector) and exist in the period. */
export async function dataQuality(
  db: Executor,
  tenantId: string,
  timeZone: string,
  scope: UnitScope,
  period: string,
  dueDay: number,
  now = new Date(),
): Promise<QualityRow[]> {
  if (!scope.all && scope.unitIds.length === 0) return [];
  // Unit validity is in calendar days: compare with the period's days, not with UTC instants.
  const [y, m] = period.split('-').map(Number) as [number, number];
  const firstDay = `${period}-01`;
  const nextFirstDay = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  const due = listDueDate(period, dueDay, timeZone);
  const unitFilter = scope.all ? sql`true` : sql`u.id = any(${scope.unitIds}::uuid[])`;
  const r = await sql<{
    unit: string;
    unit_name: string;
    sector: string | null;
    records: number;
    valid_mobile: number;
    with_name: number;
    with_return: number;
    eligible: number;
    first_received_at: Date | null;
    reminded_at: Date | null;
  }>`
    select u.code as unit, u.name as unit_name, u.sector,
      count(e.id)::int as records,
      count(e.id) filter (where e.phone_kind = 'mobile')::int as valid_mobile,
      count(e.id) filter (where e.has_name)::int as with_name,
      count(e.id) filter (where e.returned_at is not null)::int as with_return,
      count(e.id) filter (where e.phone_kind = 'mobile' and e.returned_at is not null and e.status = 'returned')::int as eligible,
      s.first_received_at, r.created_at as reminded_at
    from units u
    left join (
      select unit_id, id, phone_kind, returned_at, status, has_name from service_events
      where tenant_id = ${tenantId} and period = ${period}
    ) e on e.unit_id = u.id
    left join list_submissions s on s.tenant_id = u.tenant_id and s.unit_id = u.id and s.period = ${period}
    left join list_reminders r on r.tenant_id = u.tenant_id and r.unit_id = u.id and r.period = ${period}
    where u.tenant_id = ${tenantId} and u.sector is not null and u.kind in ('one_stop_office','service_centre','hospital','health_centre')
      and u.valid_from < ${nextFirstDay}::date
      and (u.valid_to is null or u.valid_to >= ${firstDay}::date)
      and ${unitFilter}
    group by u.code, u.name, u.sector, s.first_received_at, r.created_at`.execute(db);
  const rate = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);
  return r.rows
    .map((x) => ({
      unit: x.unit,
      unitName: x.unit_name,
      sector: x.sector,
      records: x.records,
      validMobile: x.valid_mobile,
      withName: x.with_name,
      withReturnDate: x.with_return,
      eligible: x.eligible,
      validMobileRate: rate(x.valid_mobile, x.records),
      withNameRate: rate(x.with_name, x.records),
      withReturnDateRate: rate(x.with_return, x.records),
      listReceivedAt: x.first_received_at ? new Date(x.first_received_at).toISOString() : null,
      listDueAt: due.toISOString(),
      // null while the due day has not passed and nothing arrived yet
      onTime: x.first_received_at ? new Date(x.first_received_at) <= due : now > due ? false : null,
      remindedAt: x.reminded_at ? new Date(x.reminded_at).toISOString() : null,
    }))
    .sort(
      (a, b) =>
        Number(a.onTime !== false) - Number(b.onTime !== false) ||
        (a.validMobileRate ?? -1) - (b.validMobileRate ?? -1) ||
        a.unit.localeCompare(b.unit),
    );
}
