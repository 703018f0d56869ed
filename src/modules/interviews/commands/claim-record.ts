// The call queue. An interviewer's own due callbacks come first, then records
// they hold, then the pool in draw order, taken in one statement that locks the
// record with SKIP LOCKED: two interviewers asking at the same moment never get
// the same person.
import { sql } from 'kysely';
import type { Executor } from '../../../db/index.ts';
import type { UnitScope } from '../../../platform/auth/policy.ts';
import { conflict, notFound } from '../../../platform/errors.ts';

export async function claimNext(
  db: Executor,
  e: { tenantId: string; interviewerId: string; scope: UnitScope; now: Date; roundId?: string },
): Promise<string | null> {
  if (!e.scope.all && e.scope.unitIds.length === 0) return null;
  const filters = sql`and (x.next_at is null or x.next_at <= ${e.now})
    and not exists (select 1 from do_not_contact d where d.tenant_id = x.tenant_id and d.phone_hash = x.phone_hash)
    ${e.scope.all ? sql`` : sql`and x.unit_id = any(${e.scope.unitIds}::uuid[])`}
    ${e.roundId ? sql`and x.round_id = ${e.roundId}` : sql``}`;
  // The caller's own records first (few: read through the interviewer index).
  const own = await sql<{ id: string }>`
    select x.id from interview_sample x
    where x.tenant_id = ${e.tenantId} and x.interviewer_id = ${e.interviewerId} and x.status in ('pending','callback') ${filters}
    order by x.status <> 'callback', x.next_at nulls last, x.draw_key
    limit 1`.execute(db);
  if (own.rows[0]) return own.rows[0].id;
  // Then the pool, walked in draw order through its index; a row another
  // interviewer is taking right now is skipped, never waited for.
  const r = await sql<{ id: string }>`
    update interview_sample s set interviewer_id = ${e.interviewerId}, assigned_at = ${e.now}
    where s.id = (
      select x.id from interview_sample x
      where x.tenant_id = ${e.tenantId} and x.interviewer_id is null and x.status in ('pending','callback') ${filters}
      order by x.draw_key
      limit 1
      for update of x skip locked
    )
    returning s.id`.execute(db);
  return r.rows[0]?.id ?? null;
}

/** Gives a held record back to the pool (the interviewer cannot go on with it). */
export async function releaseRecord(db: Executor, e: { tenantId: string; id: string; interviewerId: string }) {
  const r = await sql<{ interviewer_id: string | null; status: string }>`
    select interviewer_id, status from interview_sample where tenant_id = ${e.tenantId} and id = ${e.id}`.execute(db);
  const row = r.rows[0];
  if (!row || row.interviewer_id !== e.interviewerId) throw notFound('interview.not_found');
  if (row.status !== 'pending' && row.status !== 'callback') throw conflict('interview.closed');
  await sql`update interview_sample set interviewer_id = null, assigned_at = null
    where tenant_id = ${e.tenantId} and id = ${e.id} and interviewer_id = ${e.interviewerId}`.execute(db);
}
