// Reads a round's frame: the service events of its months, kinds and units,
// with what the eligibility rules need to know about each.
import { sql } from 'kysely';
import type { Executor } from '../../db/index.ts';
import type { FrameRow } from './sampling.ts';

export const RECENT_DAYS = 90;

export async function readFrame(
  db: Executor,
  q: { tenantId: string; periodFrom: string; periodTo: string; kinds: string[]; unitIds: string[] | null; now: Date },
): Promise<FrameRow[]> {
  const since = new Date(q.now.getTime() - RECENT_DAYS * 86_400_000);
  const units = q.unitIds ? sql`and e.unit_id = any(${q.unitIds}::uuid[])` : sql``;
  const r = await sql<{
    id: string;
    unit_id: string;
    field: string | null;
    citizen_phone_hash: Buffer | null;
    phone_kind: 'mobile' | 'landline' | null;
    returned: boolean;
    cancelled: boolean;
    gender: string | null;
    ethnic_minority: boolean | null;
    opted_out: boolean;
    recent: boolean;
  }>`
    select e.id, e.unit_id, coalesce(s.field, e.department) as field, e.citizen_phone_hash, e.phone_kind,
      (e.returned_at is not null and e.status = 'returned') as returned, e.status = 'cancelled' as cancelled,
      e.gender, e.ethnic_minority,
      d.phone_hash is not null as opted_out,
      e.citizen_phone_hash is not null and exists (
        select 1 from interview_sample x
        where x.tenant_id = e.tenant_id and x.phone_hash = e.citizen_phone_hash
          and x.status in ('completed','partial') and x.finished_at >= ${since})
      -- an event interviewed once (in a round or not) is not asked about again
      or exists (select 1 from interview_sample y where y.tenant_id = e.tenant_id and y.event_id = e.id
        and y.status in ('completed','partial'))
      or exists (select 1 from responses y where y.tenant_id = e.tenant_id and y.event_id = e.id
        and y.channel = 'phone' and y.status = 'complete') as recent
    from service_events e
    left join services s on s.tenant_id = e.tenant_id and s.code = e.service
    left join do_not_contact d on d.tenant_id = e.tenant_id and d.phone_hash = e.citizen_phone_hash
    where e.tenant_id = ${q.tenantId} and e.period >= ${q.periodFrom} and e.period <= ${q.periodTo}
      and e.kind = any(${q.kinds}::text[]) ${units}`.execute(db);
  return r.rows.map((x) => ({
    eventId: x.id,
    unitId: x.unit_id,
    field: x.field,
    phoneHash: x.citizen_phone_hash ? Buffer.from(x.citizen_phone_hash) : null,
    phoneKind: x.phone_kind,
    returned: x.returned,
    cancelled: x.cancelled,
    optedOut: x.opted_out,
    recent: x.recent,
    gender: x.gender,
    ethnicMinority: x.ethnic_minority,
  }));
}
