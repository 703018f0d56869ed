// Records one call attempt and where the record goes next. A completed or
// partial interview goes through the response intake (channel phone) in the
// same transaction, so an outcome is never stored without its answers or the
// other way round. The attempt id comes from the interviewer's browser: a
// replay after a lost answer is recorded once.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Tx } from '../../../db/index.ts';
import { canonical } from '../../../platform/audit.ts';
import { suppress } from '../../../platform/do-not-contact.ts';
import { conflict, invalid, notFound } from '../../../platform/errors.ts';
import { localDate, zonedParts } from '../../../platform/time.ts';
import type { Vault } from '../../../platform/vault.ts';
import { readCitizen } from '../../events/queries.ts';
import { submitResponses, tenantZone } from '../../responses/commands/submit-responses.ts';
import type { AnswerValue } from '../../responses/validate.ts';
import { rejection } from '../../surveys/routes.ts';
import { MAX_ATTEMPTS, type Outcome, type PastAttempt, type Slot, slotOf, transition, withinCallingHours } from '../calls.ts';

export type OutcomeInput = {
  attemptId: string;
  outcome: Outcome;
  startedAt: string;
  endedAt?: string;
  callbackAt?: string;
  note?: string;
  /** the person asked never to be contacted again */
  doNotCall?: boolean;
  response?: { id: string; answers: Record<string, AnswerValue>; language?: string; consent?: boolean };
};

export type OutcomeResult = {
  attemptId: string;
  status: string;
  nextAt: string | null;
  attempts: number;
  responseId: string | null;
  replayed: boolean;
};

const noteContext = (tenantId: string, attemptId: string) => `interview-note:${tenantId}:${attemptId}`;
export const readNote = (vault: Vault, tenantId: string, attemptId: string, enc: Buffer) =>
  vault.decrypt(enc, noteContext(tenantId, attemptId));

function slotFor(at: Date, zone: string): Slot {
  return slotOf(at, zone) ?? (zonedParts(at, zone).hour < 12 ? 'morning' : 'evening');
}

export async function recordOutcome(
  tx: Tx,
  vault: Vault,
  e: { tenantId: string; sampleId: string; interviewerId: string; input: OutcomeInput; now: Date },
): Promise<OutcomeResult> {
  const { input, tenantId, now } = e;
  const hash = createHash('sha256')
    .update(canonical({ sample: e.sampleId, ...input }))
    .digest('hex');
  const seen = await sql<{ content_hash: string; sample_id: string }>`
    select content_hash, sample_id from interview_attempts where tenant_id = ${tenantId} and id = ${input.attemptId}`.execute(tx);
  const rec = await sql<{
    id: string;
    round_id: string;
    unit_id: string;
    event_id: string;
    instrument_id: string;
    status: string;
    interviewer_id: string | null;
    attempts: number;
    noncontacts: number;
    next_at: Date | null;
    response_id: string | null;
    round_status: string;
    unit_code: string;
    instrument_code: string;
    external_id: string;
    citizen_enc: Buffer | null;
  }>`
    select s.id, s.round_id, s.unit_id, s.event_id, s.instrument_id, s.status, s.interviewer_id, s.attempts, s.noncontacts,
      s.next_at, s.response_id, r.status as round_status, u.code as unit_code, i.code as instrument_code,
      ev.external_id, ev.citizen_enc
    from interview_sample s
    join interview_rounds r on r.id = s.round_id
    join units u on u.id = s.unit_id
    join instruments i on i.id = s.instrument_id
    join service_events ev on ev.id = s.event_id
    where s.tenant_id = ${tenantId} and s.id = ${e.sampleId}
    for update of s`.execute(tx);
  const s = rec.rows[0];
  if (!s) throw notFound('interview.not_found');
  const prior = seen.rows[0];
  if (prior) {
    if (prior.content_hash !== hash || prior.sample_id !== e.sampleId) throw conflict('interview.attempt_conflict');
    return {
      attemptId: input.attemptId,
      status: s.status,
      nextAt: s.next_at ? new Date(s.next_at).toISOString() : null,
      attempts: s.attempts,
      responseId: s.response_id,
      replayed: true,
    };
  }
  if (s.interviewer_id !== e.interviewerId) {
    // Someone who called this person before learns it moved on; anyone else learns nothing.
    const mine = await sql`select 1 from interview_attempts where tenant_id = ${tenantId} and sample_id = ${s.id}
      and interviewer_id = ${e.interviewerId} limit 1`.execute(tx);
    throw mine.rows.length ? conflict('interview.not_yours') : notFound('interview.not_found');
  }
  if (s.round_status !== 'published') throw conflict('round.not_published');
  if (s.status !== 'pending' && s.status !== 'callback') throw conflict('interview.closed');

  const zone = await tenantZone(tx, tenantId);
  const startedAt = new Date(input.startedAt);
  const endedAt = input.endedAt ? new Date(input.endedAt) : now;
  if (endedAt < startedAt) throw invalid('request.invalid', 'endedAt is before startedAt');
  const callbackAt = input.callbackAt ? new Date(input.callbackAt) : undefined;
  const wantsCallback = input.outcome === 'callback' || (input.outcome === 'partial' && callbackAt);
  if (input.outcome === 'callback' && !callbackAt) throw invalid('interview.callback_invalid');
  if (wantsCallback && callbackAt && (callbackAt <= now || !withinCallingHours(callbackAt, zone)))
    throw invalid('interview.callback_invalid');
  if (wantsCallback && s.attempts + 1 >= MAX_ATTEMPTS) throw conflict('interview.attempts_exhausted');

  let responseId: string | null = s.response_id;
  if (input.outcome === 'completed' || input.outcome === 'partial') {
    if (!input.response) throw invalid('interview.answers_required');
    const [result] = await submitResponses(
      tx,
      vault,
      tenantId,
      [
        {
          id: input.response.id,
          instrument: s.instrument_code,
          channel: 'phone',
          unit: s.unit_code,
          eventId: s.event_id,
          startedAt: startedAt.toISOString(),
          submittedAt: endedAt.toISOString(),
          status: input.outcome === 'completed' ? 'complete' : 'partial',
          answers: input.response.answers,
          language: input.response.language ?? 'vi',
          ...(input.response.consent === undefined ? {} : { consent: input.response.consent }),
        },
      ],
      { type: 'user', id: e.interviewerId, scope: { all: true }, interviewerId: e.interviewerId },
      now,
    );
    if (!result || result.result === 'rejected') {
      throw rejection(result?.code ?? 'response.invalid', result?.errors ?? []);
    }
    responseId = input.response.id;
  }

  const previous = (
    await sql<{ day: string; slot: Slot }>`
      select to_char(day, 'YYYY-MM-DD') as day, slot from interview_attempts where tenant_id = ${tenantId} and sample_id = ${s.id}`.execute(
      tx,
    )
  ).rows as PastAttempt[];
  const thisOne: PastAttempt = { day: localDate(startedAt, zone), slot: slotFor(startedAt, zone) };
  const next = transition({ noncontacts: s.noncontacts }, input.outcome, {
    ...(callbackAt ? { callbackAt } : {}),
    previous: [...previous, thisOne],
    now,
    zone,
  });
  await sql`insert into interview_attempts (tenant_id, id, sample_id, round_id, interviewer_id, outcome, started_at, ended_at,
      day, slot, callback_at, note_enc, response_id, content_hash)
    values (${tenantId}, ${input.attemptId}, ${s.id}, ${s.round_id}, ${e.interviewerId}, ${input.outcome}, ${startedAt}, ${endedAt},
      ${thisOne.day}::date, ${thisOne.slot}, ${callbackAt ?? null},
      ${input.note?.trim() ? vault.encrypt(input.note.trim(), noteContext(tenantId, input.attemptId)) : null},
      ${responseId}, ${hash})`.execute(tx);
  await sql`update interview_sample set status = ${next.status}, next_at = ${next.nextAt},
      interviewer_id = ${next.keepInterviewer ? e.interviewerId : null},
      assigned_at = ${next.keepInterviewer ? sql`assigned_at` : null},
      attempts = attempts + 1, noncontacts = ${next.noncontacts}, last_outcome = ${input.outcome},
      last_attempt_at = ${startedAt}, response_id = ${responseId},
      finished_at = ${next.final ? endedAt : null}
    where tenant_id = ${tenantId} and id = ${s.id}`.execute(tx);
  let status: string = next.status;
  if (input.doNotCall) {
    const { phone } = readCitizen(vault, tenantId, s.unit_id, s.external_id, s.citizen_enc ? Buffer.from(s.citizen_enc) : null);
    if (phone) await suppress(tx, vault, { tenantId, national: phone, source: 'interview', by: e.interviewerId, at: now });
    if (!next.final) status = 'do_not_call';
  }
  return {
    attemptId: input.attemptId,
    status,
    nextAt: next.nextAt && status !== 'do_not_call' ? next.nextAt.toISOString() : null,
    attempts: s.attempts + 1,
    responseId,
    replayed: false,
  };
}
