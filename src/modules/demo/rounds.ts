// The demo's phone-interview rounds: the months before the last are closed
// rounds built around the phone interviews the history already holds (each
// with its attempt), plus the refusals, unreachable and wrong numbers a survey
// team meets; the last month is a published round drawn by the real sampling
// code, waiting in the call queue. Three demo interviewers hold the calls; the
// first gets a password to try the interviewer console.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import { hashPassword } from '../../platform/auth/passwords.ts';
import { createRound } from '../interviews/commands/create-round.ts';
import { publishRound } from '../interviews/commands/publish-round.ts';
import type { UnitPlan } from '../interviews/sampling.ts';

const INTERVIEWERS = [
  { username: 'dtv.lan', name: 'Nguyễn Thị Lan' },
  { username: 'dtv.minh', name: 'Trần Văn Minh' },
  { username: 'dtv.hoa', name: 'Lê Thị Hoa' },
];
const SYSTEM = { type: 'system', name: 'demo' } as const;
/** Share of drawn numbers that end without an interview (the seed reported 98.2% call success). */
const FAILURES = 0.03;

export type DemoRounds = { rounds: number; interviews: number; interviewer: { username: string; password: string } | null };

export async function generateDemoRounds(
  db: Db,
  o: { tenantId: string; timeZone: string; months: string[]; now: Date; closed?: number },
): Promise<DemoRounds> {
  const any = await sql`select 1 from interview_rounds where tenant_id = ${o.tenantId} limit 1`.execute(db);
  if (any.rows.length) return { rounds: 0, interviews: 0, interviewer: null };
  // Two closed months keep the first start short (each round reads and plans a month of lists).
  const months = o.months.slice(-((o.closed ?? 2) + 1));
  const open = months.pop();
  if (!open) return { rounds: 0, interviews: 0, interviewer: null };
  const { ids, password } = await demoInterviewers(db, o.tenantId);
  let interviews = 0;
  for (const month of months) {
    const [y, m] = month.split('-');
    const id = await db.transaction().execute((tx) =>
      createRound(tx, {
        tenantId: o.tenantId,
        scope: { all: true },
        input: { name: `Phỏng vấn tháng ${m}/${y}`, periodFrom: month, kinds: ['dossier', 'outpatient'], seed: `demo-${month}` },
        actor: SYSTEM,
        requestId: 'demo',
        now: o.now,
      }),
    );
    interviews += await fillClosedRound(db, o, id, month, ids);
  }
  // The month in the field: drawn and waiting; a smaller margin keeps the demo queue short.
  const [y, m] = open.split('-');
  await db.transaction().execute(async (tx) => {
    const id = await createRound(tx, {
      tenantId: o.tenantId,
      scope: { all: true },
      input: {
        name: `Phỏng vấn tháng ${m}/${y}`,
        periodFrom: open,
        kinds: ['dossier', 'outpatient'],
        design: { margin: 0.15, floor: 10 },
        seed: `demo-${open}`,
      },
      actor: SYSTEM,
      requestId: 'demo',
      now: o.now,
    });
    await publishRound(tx, { tenantId: o.tenantId, id, scope: { all: true }, actor: SYSTEM, requestId: 'demo', now: o.now });
  });
  return { rounds: months.length + 1, interviews, interviewer: { username: INTERVIEWERS[0]?.username ?? '', password } };
}

async function demoInterviewers(db: Db, tenantId: string) {
  const password = randomBytes(9).toString('base64url');
  const ids: string[] = [];
  for (const [i, u] of INTERVIEWERS.entries()) {
    // Only the first can sign in; the others hold the history's calls.
    const hash = await hashPassword(i === 0 ? password : randomBytes(24).toString('base64url'));
    const user = await db
      .insertInto('users')
      .values({ tenant_id: tenantId, username: u.username, display_name: u.name, password_hash: hash, language: 'vi' })
      .onConflict((c) => c.columns(['tenant_id', 'username']).doUpdateSet({ password_hash: hash }))
      .returning('id')
      .executeTakeFirstOrThrow();
    await sql`insert into role_grants (tenant_id, user_id, role, unit_id) values (${tenantId}, ${user.id}, 'interviewer', null)
      on conflict do nothing`.execute(db);
    ids.push(user.id);
  }
  return { ids, password };
}

/**
 * A closed round whose completed records are the month's phone interviews,
 * each with the attempt that took it, and a few records that ended otherwise.
 */
async function fillClosedRound(
  db: Db,
  o: { tenantId: string; timeZone: string; now: Date },
  roundId: string,
  month: string,
  ids: string[],
) {
  const t = o.tenantId;
  const team = sql`(array[${sql.join(ids.map((i) => sql`${i}::uuid`))}])[1 + abs(hashtext(e.id::text)) % ${ids.length}]`;
  const minutes = sql`(5 + abs(hashtext(e.id::text || 'len')) % 9) * interval '1 minute'`;
  const done = await sql`
    insert into interview_sample (tenant_id, round_id, unit_id, event_id, instrument_id, stratum, phone_hash, draw_key, gender,
      ethnic_minority, status, interviewer_id, assigned_at, attempts, last_outcome, last_attempt_at, response_id, finished_at)
    select r.tenant_id, ${roundId}, r.unit_id, r.event_id, r.instrument_id, r.unit_id::text, e.citizen_phone_hash,
      md5(${roundId}::text || e.id::text), e.gender, e.ethnic_minority, 'completed', ${team}, r.submitted_at - ${minutes}, 1,
      'completed', r.submitted_at - ${minutes}, r.id, r.submitted_at
    from responses r join service_events e on e.tenant_id = r.tenant_id and e.id = r.event_id
    where r.tenant_id = ${t} and r.channel = 'phone' and r.status = 'complete' and e.period = ${month}
      and e.citizen_phone_hash is not null
    on conflict do nothing`.execute(db);
  // Numbers drawn that gave no interview: refused, never answered, or not the person's.
  await sql`
    insert into interview_sample (tenant_id, round_id, unit_id, event_id, instrument_id, stratum, phone_hash, draw_key, gender,
      ethnic_minority, status, interviewer_id, attempts, noncontacts, last_outcome, last_attempt_at, finished_at)
    select e.tenant_id, ${roundId}, e.unit_id, e.id, c.instrument_id, e.unit_id::text, e.citizen_phone_hash, md5(${roundId}::text || e.id::text),
      e.gender, e.ethnic_minority, o.status, ${team}, o.attempts, o.noncontacts, o.outcome,
      e.returned_at + interval '3 days', e.returned_at + interval '3 days' + (o.attempts - 1) * interval '1 day'
    from (
      select unit_id, min(instrument_id::text)::uuid as instrument_id, ceil(count(*) * ${FAILURES}::float8)::int as n
      from interview_sample where tenant_id = ${t} and round_id = ${roundId} group by unit_id
    ) c
    cross join lateral (
      select x.* from service_events x
      where x.tenant_id = ${t} and x.period = ${month} and x.unit_id = c.unit_id and x.status = 'returned'
        and x.phone_kind = 'mobile' and x.returned_at is not null
        and not exists (select 1 from interview_sample s where s.tenant_id = x.tenant_id and s.round_id = ${roundId} and s.event_id = x.id)
        and not exists (select 1 from interview_sample s where s.tenant_id = x.tenant_id and s.round_id = ${roundId}
          and s.phone_hash = x.citizen_phone_hash)
      order by md5(${roundId}::text || x.id::text) limit c.n
    ) e
    cross join lateral (
      select * from (values
        (0, 'refused', 'refused', 1, 0), (1, 'unreachable', 'no_answer', 3, 3), (2, 'ineligible', 'wrong_number', 1, 0)
      ) v(k, status, outcome, attempts, noncontacts)
      where v.k = abs(hashtext(e.id::text)) % 3
    ) o
    on conflict do nothing`.execute(db);
  // One attempt per call made: the unreachable ones on three days, morning, afternoon and evening.
  await sql`
    insert into interview_attempts (tenant_id, id, sample_id, round_id, interviewer_id, outcome, started_at, ended_at, day, slot,
      response_id, content_hash)
    select s.tenant_id, gen_random_uuid(), s.id, s.round_id, s.interviewer_id,
      case when s.status = 'unreachable' then (array['no_answer','busy','switched_off'])[k] else s.last_outcome end,
      a.at, a.at + case when s.status = 'completed' then s.finished_at - s.last_attempt_at else interval '40 seconds' end,
      (a.at at time zone ${o.timeZone})::date,
      case when extract(hour from a.at at time zone ${o.timeZone}) < 12 then 'morning'
        when extract(hour from a.at at time zone ${o.timeZone}) < 17 then 'afternoon' else 'evening' end,
      s.response_id, 'demo'
    from interview_sample s
    cross join lateral generate_series(1, s.attempts) k
    cross join lateral (select case when s.status = 'completed' then s.last_attempt_at
      else date_trunc('day', s.last_attempt_at at time zone ${o.timeZone}) at time zone ${o.timeZone}
        + (k - 1) * interval '1 day' + (array[interval '9 hours', interval '14 hours', interval '18 hours'])[k] end as at) a
    where s.tenant_id = ${t} and s.round_id = ${roundId}`.execute(db);
  // The plan as it stood at creation, with what was drawn.
  const stored = await sql<{ plan: UnitPlan[] }>`select plan from interview_rounds where id = ${roundId}`.execute(db);
  const drawn = await sql<{ unit_id: string; n: number }>`select unit_id, count(*)::int as n from interview_sample
    where round_id = ${roundId} group by unit_id`.execute(db);
  const byUnit = new Map(drawn.rows.map((r) => [r.unit_id, r.n]));
  const units = (stored.rows[0]?.plan ?? []).map((u) => ({ ...u, drawn: byUnit.get(u.unitId) ?? 0 }));
  const [y, mo] = month.split('-').map(Number) as [number, number];
  const closedAt = new Date(Date.UTC(mo === 12 ? y + 1 : y, mo === 12 ? 0 : mo, 10));
  await sql`update interview_rounds set status = 'closed', plan = ${JSON.stringify(units)}::jsonb,
      published_at = ${new Date(Date.UTC(y, mo - 1, 1))}, closed_at = ${closedAt < o.now ? closedAt : o.now}
    where id = ${roundId}`.execute(db);
  return Number(done.numAffectedRows ?? 0);
}
