// All reads of the interviews area: rounds with their plans and progress,
// response rates, interviewer productivity, quality flags, the records of a
// round, and what an interviewer sees of the record being called.
import { sql } from 'kysely';
import type { Executor } from '../../db/index.ts';
import type { UnitScope } from '../../platform/auth/policy.ts';
import { maskPhone, type Vault } from '../../platform/vault.ts';
import { readCitizen } from '../events/queries.ts';
import { addStatus, type Dispositions, emptyDispositions, reachedBeforeClose, responseRates } from './rates.ts';
import type { Design, UnitPlan } from './sampling.ts';

const inScopeSql = (scope: UnitScope, column: string) =>
  scope.all ? sql`true` : sql`${sql.ref(column)} = any(${scope.unitIds}::uuid[])`;

export async function listRounds(db: Executor, tenantId: string, scope: UnitScope) {
  const r = await sql<{
    id: string;
    name: string;
    period_from: string;
    period_to: string;
    status: string;
    created_at: Date;
    published_at: Date | null;
    closed_at: Date | null;
    sampled: number;
    completed: number;
    open: number;
  }>`
    select r.id, r.name, r.period_from, r.period_to, r.status, r.created_at, r.published_at, r.closed_at,
      count(s.id)::int as sampled,
      count(s.id) filter (where s.status = 'completed')::int as completed,
      count(s.id) filter (where s.status in ('pending','callback'))::int as open
    from interview_rounds r left join interview_sample s on s.round_id = r.id and s.tenant_id = r.tenant_id
      and ${inScopeSql(scope, 's.unit_id')}
    where r.tenant_id = ${tenantId}
    group by r.id order by r.created_at desc`.execute(db);
  return r.rows.map((x) => ({
    id: x.id,
    name: x.name,
    periodFrom: x.period_from,
    periodTo: x.period_to,
    status: x.status,
    createdAt: new Date(x.created_at).toISOString(),
    publishedAt: x.published_at ? new Date(x.published_at).toISOString() : null,
    closedAt: x.closed_at ? new Date(x.closed_at).toISOString() : null,
    sampled: x.sampled,
    completed: x.completed,
    open: x.open,
  }));
}

type RoundBase = {
  id: string;
  name: string;
  period_from: string;
  period_to: string;
  kinds: string[];
  status: string;
  seed: string;
  design: Design;
  plan: UnitPlan[];
  frame_hash: string | null;
  instrument_code: string | null;
  unit_ids: string[] | null;
  created_at: Date;
  published_at: Date | null;
  closed_at: Date | null;
};

export async function roundRow(db: Executor, tenantId: string, id: string) {
  const r = await sql<RoundBase>`
    select r.id, r.name, r.period_from, r.period_to, r.kinds, r.status, r.seed, r.design, r.plan, r.frame_hash,
      i.code as instrument_code, r.created_at, r.published_at, r.closed_at, r.unit_ids
    from interview_rounds r left join instruments i on i.id = r.instrument_id
    where r.tenant_id = ${tenantId} and r.id = ${id}`.execute(db);
  return r.rows[0];
}

/** Per unit and in total: dispositions and rates; also by gender and ethnic-minority status. */
async function progress(db: Executor, tenantId: string, roundId: string, scope: UnitScope) {
  const r = await sql<{
    unit_id: string;
    status: string;
    gender: string | null;
    ethnic_minority: boolean | null;
    n: number;
    attempted: number;
    reached: number;
  }>`
    select unit_id, status, gender, ethnic_minority, count(*)::int as n, count(*) filter (where attempts > 0)::int as attempted,
      count(*) filter (where ${reachedBeforeClose('last_outcome')})::int as reached
    from interview_sample where tenant_id = ${tenantId} and round_id = ${roundId} and ${inScopeSql(scope, 'unit_id')}
    group by unit_id, status, gender, ethnic_minority`.execute(db);
  const byUnit = new Map<string, Dispositions>();
  const total = emptyDispositions();
  const groups = new Map<string, Dispositions>();
  const group = (key: string) => {
    const d = groups.get(key) ?? emptyDispositions();
    groups.set(key, d);
    return d;
  };
  for (const x of r.rows) {
    const d = byUnit.get(x.unit_id) ?? emptyDispositions();
    byUnit.set(x.unit_id, d);
    addStatus(d, x.status, x.n, x.attempted, x.reached);
    addStatus(total, x.status, x.n, x.attempted, x.reached);
    addStatus(group(`gender:${x.gender ?? 'unknown'}`), x.status, x.n, x.attempted, x.reached);
    addStatus(
      group(`ethnicMinority:${x.ethnic_minority === null ? 'unknown' : x.ethnic_minority ? 'yes' : 'no'}`),
      x.status,
      x.n,
      x.attempted,
      x.reached,
    );
  }
  return { byUnit, total, groups };
}

export async function roundDetail(db: Executor, tenantId: string, id: string, scope: UnitScope) {
  const r = await roundRow(db, tenantId, id);
  if (!r) return undefined;
  const plan = (r.plan ?? []).filter((p) => scope.all || scope.unitIds.includes(p.unitId));
  const units = await db
    .selectFrom('units')
    .select(['id', 'code', 'name'])
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', plan.map((p) => p.unitId).concat(['00000000-0000-0000-0000-000000000000']))
    .execute();
  const unitOf = new Map(units.map((u) => [u.id, u]));
  const prog = await progress(db, tenantId, id, scope);
  const withRates = (d: Dispositions) => ({ ...d, rates: responseRates(d) });
  return {
    id: r.id,
    name: r.name,
    periodFrom: r.period_from,
    periodTo: r.period_to,
    kinds: r.kinds,
    status: r.status,
    seed: r.seed,
    design: r.design,
    frameHash: r.frame_hash,
    instrument: r.instrument_code,
    // only the units the reader may see
    units: r.unit_ids
      ? r.unit_ids
          .filter((u) => scope.all || scope.unitIds.includes(u))
          .map((u) => unitOf.get(u)?.code ?? '')
          .sort()
      : null,
    createdAt: new Date(r.created_at).toISOString(),
    publishedAt: r.published_at ? new Date(r.published_at).toISOString() : null,
    closedAt: r.closed_at ? new Date(r.closed_at).toISOString() : null,
    plan: plan
      .map((p) => ({
        unit: { code: unitOf.get(p.unitId)?.code ?? '', name: unitOf.get(p.unitId)?.name ?? '' },
        records: p.records,
        excluded: p.excluded,
        eligible: p.eligible,
        target: p.target,
        drawn: p.drawn,
        shortfall: p.shortfall,
        strata: p.strata,
        progress: withRates(prog.byUnit.get(p.unitId) ?? emptyDispositions()),
      }))
      // the units that cannot reach their target first, then by code
      .sort((a, b) => Number(!a.shortfall) - Number(!b.shortfall) || a.unit.code.localeCompare(b.unit.code)),
    total: withRates(prog.total),
    groups: Object.fromEntries([...prog.groups.entries()].map(([k, d]) => [k, withRates(d)])),
  };
}

export type QualityFlag = 'short' | 'identical';
/** How much shorter than the round's median an interview must be to be flagged, and from how many completes. */
export const SHORT_SHARE = 0.5;
export const MIN_COMPLETES_FOR_MEDIAN = 5;
/** Identical answers count only for interviews with at least this many closed answers. */
export const MIN_ITEMS_FOR_PATTERN = 5;

const median = (xs: number[]) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/**
 * Completed interviews of a round with their duration and flags: far shorter
 * than the round's median, or answers identical to another interview by the
 * same interviewer (closed answers only: numbers and option codes).
 */
export async function completedInterviews(db: Executor, tenantId: string, roundId: string) {
  // One pass over the round's completed answers, closed ones only (numbers and option codes).
  const r = await sql<{ sample_id: string; interviewer_id: string; seconds: number; pattern: string | null; items: number }>`
    select s.id as sample_id, a.interviewer_id, extract(epoch from a.ended_at - a.started_at)::float8 as seconds,
      string_agg(x.item || '=' || x.value, '|' order by x.item, x.ord) as pattern, count(x.item)::int as items
    from interview_sample s
    join interview_attempts a on a.tenant_id = s.tenant_id and a.sample_id = s.id and a.outcome = 'completed'
    left join response_answers x on x.tenant_id = s.tenant_id and x.response_id = s.response_id
      and (x.num is not null or x.value ~ '^[a-z0-9_]{1,40}$')
    where s.tenant_id = ${tenantId} and s.round_id = ${roundId} and s.status = 'completed'
    group by s.id, a.interviewer_id, a.ended_at, a.started_at`.execute(db);
  const med = r.rows.length >= MIN_COMPLETES_FOR_MEDIAN ? median(r.rows.map((x) => x.seconds)) : null;
  const patterns = new Map<string, number>();
  for (const x of r.rows) {
    if (x.pattern && x.items >= MIN_ITEMS_FOR_PATTERN) {
      const k = `${x.interviewer_id}\u0000${x.pattern}`;
      patterns.set(k, (patterns.get(k) ?? 0) + 1);
    }
  }
  return {
    medianSeconds: med,
    interviews: r.rows.map((x) => {
      const flags: QualityFlag[] = [];
      if (med !== null && x.seconds < med * SHORT_SHARE) flags.push('short');
      if (x.pattern && x.items >= MIN_ITEMS_FOR_PATTERN && (patterns.get(`${x.interviewer_id}\u0000${x.pattern}`) ?? 0) > 1)
        flags.push('identical');
      return { sampleId: x.sample_id, interviewerId: x.interviewer_id, seconds: x.seconds, flags };
    }),
  };
}

/** Per interviewer: attempts by outcome, completes, time on calls, the median interview and flags. */
export async function productivity(db: Executor, tenantId: string, roundId: string, scope: UnitScope) {
  const r = await sql<{
    interviewer_id: string;
    name: string;
    attempts: number;
    completed: number;
    partial: number;
    refused: number;
    noncontact: number;
    callbacks: number;
    other: number;
    call_seconds: number;
    days: number;
    held: number;
  }>`
    select a.interviewer_id, u.display_name as name, count(*)::int as attempts,
      count(*) filter (where a.outcome = 'completed')::int as completed,
      count(*) filter (where a.outcome = 'partial')::int as partial,
      count(*) filter (where a.outcome = 'refused')::int as refused,
      count(*) filter (where a.outcome in ('no_answer','busy','switched_off'))::int as noncontact,
      count(*) filter (where a.outcome = 'callback')::int as callbacks,
      count(*) filter (where a.outcome in ('wrong_number','not_the_person'))::int as other,
      coalesce(sum(extract(epoch from a.ended_at - a.started_at)), 0)::float8 as call_seconds,
      count(distinct a.day)::int as days,
      (select count(*)::int from interview_sample s where s.tenant_id = a.tenant_id and s.round_id = a.round_id
        and s.interviewer_id = a.interviewer_id and s.status in ('pending','callback')) as held
    from interview_attempts a join users u on u.id = a.interviewer_id
    join interview_sample s0 on s0.id = a.sample_id
    where a.tenant_id = ${tenantId} and a.round_id = ${roundId} and ${inScopeSql(scope, 's0.unit_id')}
    group by a.tenant_id, a.round_id, a.interviewer_id, u.display_name
    order by u.display_name`.execute(db);
  const done = await completedInterviews(db, tenantId, roundId);
  return {
    medianSeconds: done.medianSeconds,
    interviewers: r.rows.map((x) => {
      const own = done.interviews.filter((i) => i.interviewerId === x.interviewer_id);
      return {
        id: x.interviewer_id,
        name: x.name,
        attempts: x.attempts,
        completed: x.completed,
        partial: x.partial,
        refused: x.refused,
        noncontact: x.noncontact,
        callbacks: x.callbacks,
        other: x.other,
        held: x.held,
        days: x.days,
        callMinutes: Math.round(x.call_seconds / 6) / 10,
        completesPerHour: x.call_seconds > 0 ? Math.round((x.completed / (x.call_seconds / 3600)) * 10) / 10 : null,
        medianSeconds: median(own.map((i) => i.seconds)),
        flagged: {
          short: own.filter((i) => i.flags.includes('short')).length,
          identical: own.filter((i) => i.flags.includes('identical')).length,
        },
      };
    }),
  };
}

export type RecordFilter = {
  unit?: string;
  status?: string;
  interviewer?: string;
  flagged?: boolean;
  limit: number;
  offset: number;
};

/** The records of a round for supervision: masked numbers, flags; newest activity first. */
export async function listRecords(
  db: Executor,
  vault: Vault,
  tenantId: string,
  roundId: string,
  scope: UnitScope,
  f: RecordFilter,
) {
  const done = await completedInterviews(db, tenantId, roundId);
  const flags = new Map(done.interviews.filter((i) => i.flags.length).map((i) => [i.sampleId, i]));
  const conds = [sql`s.tenant_id = ${tenantId}`, sql`s.round_id = ${roundId}`];
  if (!scope.all) conds.push(sql`s.unit_id = any(${scope.unitIds}::uuid[])`);
  if (f.unit) conds.push(sql`u.code = ${f.unit}`);
  if (f.status) conds.push(sql`s.status = ${f.status}`);
  if (f.interviewer) conds.push(sql`s.interviewer_id = ${f.interviewer}`);
  if (f.flagged) conds.push(sql`s.id = any(${[...flags.keys(), '00000000-0000-0000-0000-000000000000']}::uuid[])`);
  const where = sql.join(conds, sql` and `);
  const rows = await sql<{
    id: string;
    unit_code: string;
    unit_name: string;
    stratum: string;
    external_id: string;
    kind: string;
    unit_id: string;
    citizen_enc: Buffer | null;
    status: string;
    attempts: number;
    last_outcome: string | null;
    last_attempt_at: Date | null;
    next_at: Date | null;
    interviewer_id: string | null;
    interviewer_name: string | null;
    gender: string | null;
    ethnic_minority: boolean | null;
    finished_at: Date | null;
    response_id: string | null;
  }>`
    select s.id, u.code as unit_code, u.name as unit_name, s.stratum, e.external_id, e.kind, s.unit_id, e.citizen_enc,
      s.status, s.attempts, s.last_outcome, s.last_attempt_at, s.next_at, s.interviewer_id, iu.display_name as interviewer_name,
      s.gender, s.ethnic_minority, s.finished_at, s.response_id
    from interview_sample s
    join units u on u.id = s.unit_id
    join service_events e on e.id = s.event_id
    left join users iu on iu.id = s.interviewer_id
    where ${where}
    order by s.last_attempt_at desc nulls last, s.draw_key
    limit ${f.limit} offset ${f.offset}`.execute(db);
  const total = await sql<{
    n: number;
  }>`select count(*)::int as n from interview_sample s join units u on u.id = s.unit_id where ${where}`.execute(db);
  return {
    total: total.rows[0]?.n ?? 0,
    items: rows.rows.map((x) => {
      const { phone } = readCitizen(vault, tenantId, x.unit_id, x.external_id, x.citizen_enc ? Buffer.from(x.citizen_enc) : null);
      const q = flags.get(x.id);
      return {
        id: x.id,
        unit: { code: x.unit_code, name: x.unit_name },
        stratum: x.stratum.includes(':') ? x.stratum.slice(x.stratum.indexOf(':') + 1) : null,
        externalId: x.external_id,
        kind: x.kind,
        phoneMasked: phone ? maskPhone(phone) : null,
        status: x.status,
        attempts: x.attempts,
        lastOutcome: x.last_outcome,
        lastAttemptAt: x.last_attempt_at ? new Date(x.last_attempt_at).toISOString() : null,
        nextAt: x.next_at ? new Date(x.next_at).toISOString() : null,
        interviewer: x.interviewer_id ? { id: x.interviewer_id, name: x.interviewer_name ?? '' } : null,
        gender: x.gender,
        ethnicMinority: x.ethnic_minority,
        finishedAt: x.finished_at ? new Date(x.finished_at).toISOString() : null,
        responseId: x.response_id,
        durationSeconds: q?.seconds ?? null,
        flags: q?.flags ?? [],
      };
    }),
  };
}

/** Users who may take calls (an interviewer grant), for re-assignment. */
export async function listInterviewers(db: Executor, tenantId: string) {
  const r = await sql<{ id: string; name: string; username: string }>`
    select distinct u.id, u.display_name as name, u.username from users u
    join role_grants g on g.user_id = u.id and g.tenant_id = u.tenant_id and g.role = 'interviewer'
    where u.tenant_id = ${tenantId} and u.disabled_at is null order by u.display_name`.execute(db);
  return r.rows;
}

/** What the interviewer sees of a record: who to ask for and about what, the masked number, earlier attempts. */
export async function callRecord(
  db: Executor,
  vault: Vault,
  tenantId: string,
  id: string,
  readNote: (attemptId: string, enc: Buffer) => string,
) {
  const r = await sql<{
    id: string;
    round_id: string;
    round_name: string;
    round_status: string;
    unit_id: string;
    unit_code: string;
    unit_name: string;
    status: string;
    interviewer_id: string | null;
    attempts: number;
    noncontacts: number;
    next_at: Date | null;
    response_id: string | null;
    instrument_code: string;
    external_id: string;
    kind: string;
    service: string | null;
    service_name: string | null;
    department: string | null;
    received_at: Date | null;
    due_at: Date | null;
    returned_at: Date | null;
    citizen_enc: Buffer | null;
  }>`
    select s.id, s.round_id, r.name as round_name, r.status as round_status, s.unit_id, u.code as unit_code, u.name as unit_name,
      s.status, s.interviewer_id, s.attempts, s.noncontacts, s.next_at, s.response_id, i.code as instrument_code,
      e.external_id, e.kind, e.service, sv.name as service_name, e.department, e.received_at, e.due_at, e.returned_at, e.citizen_enc
    from interview_sample s
    join interview_rounds r on r.id = s.round_id
    join units u on u.id = s.unit_id
    join instruments i on i.id = s.instrument_id
    join service_events e on e.id = s.event_id
    left join services sv on sv.tenant_id = e.tenant_id and sv.code = e.service
    where s.tenant_id = ${tenantId} and s.id = ${id}`.execute(db);
  const x = r.rows[0];
  if (!x) return undefined;
  const attempts = await sql<{
    id: string;
    outcome: string;
    started_at: Date;
    ended_at: Date;
    callback_at: Date | null;
    note_enc: Buffer | null;
    name: string;
  }>`
    select a.id, a.outcome, a.started_at, a.ended_at, a.callback_at, a.note_enc, u.display_name as name
    from interview_attempts a join users u on u.id = a.interviewer_id
    where a.tenant_id = ${tenantId} and a.sample_id = ${id} order by a.started_at`.execute(db);
  // The stored answers of a partial interview to finish (turned back into answers by the caller).
  const partialRows =
    x.response_id && x.status === 'callback'
      ? (
          await sql<{ item: string; value: string; num: number | null }>`
            select item, value, num from response_answers where tenant_id = ${tenantId} and response_id = ${x.response_id}
            order by item, ord`.execute(db)
        ).rows
      : null;
  const citizen = readCitizen(vault, tenantId, x.unit_id, x.external_id, x.citizen_enc ? Buffer.from(x.citizen_enc) : null);
  return {
    row: x,
    citizen,
    partialRows,
    view: {
      id: x.id,
      round: { id: x.round_id, name: x.round_name },
      unit: { code: x.unit_code, name: x.unit_name },
      status: x.status,
      attempts: x.attempts,
      noncontacts: x.noncontacts,
      nextAt: x.next_at ? new Date(x.next_at).toISOString() : null,
      event: {
        externalId: x.external_id,
        kind: x.kind,
        service: x.service_name ?? x.service,
        department: x.department,
        receivedAt: x.received_at ? new Date(x.received_at).toISOString() : null,
        dueAt: x.due_at ? new Date(x.due_at).toISOString() : null,
        returnedAt: x.returned_at ? new Date(x.returned_at).toISOString() : null,
      },
      citizenName: citizen.name,
      phoneMasked: citizen.phone ? maskPhone(citizen.phone) : null,
      responseId: x.response_id,
      history: attempts.rows.map((a) => ({
        outcome: a.outcome,
        startedAt: new Date(a.started_at).toISOString(),
        endedAt: new Date(a.ended_at).toISOString(),
        callbackAt: a.callback_at ? new Date(a.callback_at).toISOString() : null,
        note: a.note_enc ? readNote(a.id, Buffer.from(a.note_enc)) : null,
        interviewer: a.name,
      })),
    },
  };
}

/**
 * Per unit, the sampled records of published and closed rounds whose service
 * event was returned in [start, end): the denominator of a call rate (n) and
 * the completes (x). Completion: every sampled number; cooperation: the people reached.
 */
export async function callRates(
  db: Executor,
  q: { tenantId: string; eventKinds: string[]; rate: 'completion' | 'cooperation'; start: Date; end: Date },
) {
  const counted =
    q.rate === 'completion'
      ? sql`true`
      : sql`(s.status in ('completed','partial','refused','callback') or (s.status = 'not_worked' and ${reachedBeforeClose('s.last_outcome')}))`;
  const r = await sql<{ unit_id: string; n: string; x: string }>`
    select s.unit_id, count(*) filter (where ${counted}) as n, count(*) filter (where s.status = 'completed') as x
    from interview_sample s
    join interview_rounds r on r.id = s.round_id and r.status <> 'draft'
    join service_events e on e.tenant_id = s.tenant_id and e.id = s.event_id
    where s.tenant_id = ${q.tenantId} and e.kind = any(${q.eventKinds}::text[])
      and e.returned_at >= ${q.start} and e.returned_at < ${q.end}
    group by s.unit_id`.execute(db);
  return r.rows;
}

/** What an interviewer holds (callbacks to come first) and what they did on a day. */
export async function heldAndToday(db: Executor, tenantId: string, interviewerId: string, day: string) {
  const held = await db
    .selectFrom('interview_sample as s')
    .innerJoin('units as u', 'u.id', 's.unit_id')
    .select(['s.id', 'u.name as unit', 's.status', 's.next_at', 's.attempts'])
    .where('s.tenant_id', '=', tenantId)
    .where('s.interviewer_id', '=', interviewerId)
    .where('s.status', 'in', ['pending', 'callback'])
    .orderBy('s.next_at')
    .execute();
  const today = await sql<{ attempts: number; completed: number }>`
    select count(*)::int as attempts, count(*) filter (where outcome = 'completed')::int as completed
    from interview_attempts where tenant_id = ${tenantId} and interviewer_id = ${interviewerId} and day = ${day}::date`.execute(
    db,
  );
  return {
    held: held.map((h) => ({
      id: h.id,
      unit: h.unit,
      status: h.status,
      nextAt: h.next_at ? new Date(h.next_at).toISOString() : null,
      attempts: h.attempts,
    })),
    today: { attempts: today.rows[0]?.attempts ?? 0, completed: today.rows[0]?.completed ?? 0 },
  };
}
