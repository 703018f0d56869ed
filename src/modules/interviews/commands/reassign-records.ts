// Moves open records between interviewers (someone is ill, a unit falls
// behind), or back to the pool. Finished records never move.
import { sql } from 'kysely';
import type { Tx } from '../../../db/index.ts';
import { type Actor, audit } from '../../../platform/audit.ts';
import { conflict, notFound } from '../../../platform/errors.ts';
import { lockRound } from './create-round.ts';

export async function reassignRecords(
  tx: Tx,
  e: {
    tenantId: string;
    roundId: string;
    /** these records, or every open record of `from` */
    records?: string[];
    from?: string | null;
    /** an interviewer, or null for the pool */
    to: string | null;
    actor: Actor;
    requestId: string;
    now: Date;
  },
): Promise<number> {
  const round = await lockRound(tx, e.tenantId, e.roundId);
  if (round.status !== 'published') throw conflict('round.not_published');
  if (e.to) {
    const ok = await sql`select 1 from role_grants g join users u on u.id = g.user_id
      where g.tenant_id = ${e.tenantId} and g.user_id = ${e.to} and g.role = 'interviewer' and u.disabled_at is null`.execute(tx);
    if (!ok.rows.length) throw notFound('interviewer.not_found');
  }
  const which = e.records?.length
    ? sql`and id = any(${e.records}::uuid[])`
    : e.from
      ? sql`and interviewer_id = ${e.from}`
      : sql`and interviewer_id is null`;
  const r = await sql`update interview_sample set interviewer_id = ${e.to}, assigned_at = ${e.to ? e.now : null}
    where tenant_id = ${e.tenantId} and round_id = ${e.roundId} and status in ('pending','callback') ${which}`.execute(tx);
  const moved = Number(r.numAffectedRows ?? 0);
  await audit(tx, {
    tenantId: e.tenantId,
    actor: e.actor,
    action: 'round.reassigned',
    objectType: 'interview_round',
    objectId: e.roundId,
    details: { records: e.records?.length ?? null, from: e.from ?? null, to: e.to, moved },
    requestId: e.requestId,
  });
  return moved;
}
