// Publishes a round: the frame is read again, the sample drawn with the stored
// seed and written as the call queue, all in one transaction. Closing a round
// takes what is left out of the queue.
import { sql } from 'kysely';
import type { Tx } from '../../../db/index.ts';
import type { Actor } from '../../../platform/audit.ts';
import { audit } from '../../../platform/audit.ts';
import type { UnitScope } from '../../../platform/auth/policy.ts';
import { conflict, invalid } from '../../../platform/errors.ts';
import { lockRound, planFor } from './create-round.ts';

const CHUNK = 1000;

export async function publishRound(
  tx: Tx,
  e: { tenantId: string; id: string; scope: UnitScope; actor: Actor; requestId: string; now: Date },
) {
  const round = await lockRound(tx, e.tenantId, e.id);
  if (round.status !== 'draft') throw conflict('round.not_draft');
  const { plan, instruments } = await planFor(tx, round, e.scope, e.now);
  if (plan.sample.length === 0) throw invalid('round.empty');
  for (let i = 0; i < plan.sample.length; i += CHUNK) {
    const part = plan.sample.slice(i, i + CHUNK);
    await tx
      .insertInto('interview_sample')
      .values(
        part.map((s) => ({
          tenant_id: e.tenantId,
          round_id: e.id,
          unit_id: s.unitId,
          event_id: s.eventId,
          instrument_id: instruments.get(s.unitId) as string,
          stratum: s.stratum,
          phone_hash: s.phoneHash as Buffer,
          draw_key: s.drawKey,
          gender: s.gender,
          ethnic_minority: s.ethnicMinority,
        })),
      )
      .execute();
  }
  await tx
    .updateTable('interview_rounds')
    .set({
      status: 'published',
      plan: JSON.stringify(plan.units),
      frame_hash: plan.frameHash,
      published_at: e.now,
      published_by: e.actor.id ?? null,
    })
    .where('id', '=', e.id)
    .execute();
  await audit(tx, {
    tenantId: e.tenantId,
    actor: e.actor,
    action: 'round.published',
    objectType: 'interview_round',
    objectId: e.id,
    details: { sampled: plan.sample.length, frameHash: plan.frameHash, seed: round.seed },
    requestId: e.requestId,
  });
  return { sampled: plan.sample.length, frameHash: plan.frameHash };
}

export async function closeRound(tx: Tx, e: { tenantId: string; id: string; actor: Actor; requestId: string; now: Date }) {
  const round = await lockRound(tx, e.tenantId, e.id);
  if (round.status !== 'published') throw conflict('round.not_published');
  const left = await sql`update interview_sample set status = 'not_worked', interviewer_id = null, finished_at = ${e.now}
    where tenant_id = ${e.tenantId} and round_id = ${e.id} and status in ('pending','callback')`.execute(tx);
  await tx.updateTable('interview_rounds').set({ status: 'closed', closed_at: e.now }).where('id', '=', e.id).execute();
  await audit(tx, {
    tenantId: e.tenantId,
    actor: e.actor,
    action: 'round.closed',
    objectType: 'interview_round',
    objectId: e.id,
    details: { notWorked: Number(left.numAffectedRows ?? 0) },
    requestId: e.requestId,
  });
}
