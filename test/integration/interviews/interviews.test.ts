// Phone interview rounds over HTTP: the frame and its exclusions, targets, the
// seeded draw, the 90-day rule, the queue under concurrent interviewers,
// attempts and callbacks with a moved clock, a completed interview stored as a
// phone response, response rates, supervision, and the do-not-contact list.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, startTestPlatform, type TestPlatform, userWithRole } from '../../support/platform.ts';

let tp: TestPlatform;
let admin: Client;
beforeAll(async () => {
  tp = await startTestPlatform();
  admin = await tp.admin();
  at('2026-11-10T09:00:00+07:00'); // a Tuesday morning
});
afterAll(async () => tp?.stop());

function at(iso: string) {
  const d = new Date(iso);
  tp.ctx.clock.now = () => d;
}

let phoneSeq = 100_000;
const nextPhone = () => `0912${String(phoneSeq++).padStart(6, '0')}`;

type Ev = { unit: string; externalId: string; phone?: string | null; returned?: boolean; status?: string; gender?: string };
async function ingest(events: Ev[]) {
  const r = await admin.post('/api/v1/events', {
    events: events.map((e) => ({
      unit: e.unit,
      externalId: e.externalId,
      kind: 'dossier',
      receivedAt: '2026-10-01T08:00:00+07:00',
      dueAt: '2026-10-20T17:00:00+07:00',
      ...(e.returned === false ? {} : { returnedAt: '2026-10-15T10:00:00+07:00' }),
      ...(e.status ? { status: e.status } : {}),
      citizen: {
        name: `Người dân ${e.externalId}`,
        ...(e.phone ? { phone: e.phone } : {}),
        ...(e.gender ? { gender: e.gender } : {}),
      },
    })),
  });
  expect(r.status).toBe(200);
  expect(r.body.rejected).toBe(0);
}

/** n ordinary eligible events of a unit. */
const good = (unit: string, prefix: string, n: number): Ev[] =>
  Array.from({ length: n }, (_, i) => ({ unit, externalId: `${prefix}-${i}`, phone: nextPhone() }));

async function round(body: Record<string, unknown>, publish = true) {
  const r = await admin.post('/api/v1/rounds', { name: 'Đợt thử', periodFrom: '2026-10', ...body });
  expect(r.status, r.text).toBe(201);
  if (!publish) return r.body;
  const p = await admin.post(`/api/v1/rounds/${r.body.id}/publish`);
  expect(p.status, p.text).toBe(200);
  return p.body;
}

const sampleOf = async (roundId: string) =>
  (
    await sql<{ event_id: string }>`select event_id from interview_sample where round_id = ${roundId} order by event_id`.execute(
      tp.ctx.db,
    )
  ).rows.map((r) => r.event_id);

const interviewers: Record<string, { client: Client; id: string }> = {};
async function interviewer(name: string) {
  interviewers[name] ??= await userWithRole(tp, admin, name, 'interviewer', null);
  return interviewers[name];
}

function answers(o: Record<string, unknown> = {}) {
  return {
    IDENTITY: true,
    RESULT_STATUS: 'on_time',
    ASKED_TO_RETURN: false,
    FEE_PAID: 'none',
    EXTRA_PAYMENT: false,
    STAFF_ATTITUDE: 8,
    GUIDANCE_CLARITY: 7,
    SATISFACTION: 9,
    ...o,
  };
}

async function outcome(c: Client, id: string, body: Record<string, unknown>) {
  return c.post(`/api/v1/interviews/${id}/outcome`, {
    attemptId: randomUUID(),
    startedAt: tp.ctx.clock.now().toISOString(),
    ...body,
  });
}

describe('the frame and the plan', () => {
  it('counts each exclusion per unit, sets targets from the formula and shows units short of their floor', async () => {
    const landline = '02333852123';
    const shared = nextPhone();
    const optedOut = nextPhone();
    await ingest([
      ...good('QT-DH-MC', 'F', 30),
      { unit: 'QT-DH-MC', externalId: 'F-NORET-1', phone: nextPhone(), returned: false },
      { unit: 'QT-DH-MC', externalId: 'F-NORET-2', phone: nextPhone(), returned: false },
      { unit: 'QT-DH-MC', externalId: 'F-NOPHONE', phone: null },
      { unit: 'QT-DH-MC', externalId: 'F-LAND', phone: landline },
      { unit: 'QT-DH-MC', externalId: 'F-SHARED-1', phone: shared },
      { unit: 'QT-DH-MC', externalId: 'F-SHARED-2', phone: shared },
      { unit: 'QT-DH-MC', externalId: 'F-OPTOUT', phone: optedOut },
      { unit: 'QT-DH-MC', externalId: 'F-CANCEL', phone: nextPhone(), returned: false, status: 'cancelled' },
      ...good('QT-VL-MC', 'FV', 5),
    ]);
    expect((await admin.post('/api/v1/do-not-contact', { phone: optedOut, reason: 'đã từ chối' })).status).toBe(201);
    const r = await round({ units: ['QT-DH-MC', 'QT-VL-MC', 'QT-GL-MC'] }, false);
    expect(r.status).toBe('draft');
    const dh = r.plan.find((p: { unit: { code: string } }) => p.unit.code === 'QT-DH-MC');
    expect(dh).toMatchObject({
      records: 38,
      excluded: {
        cancelled: 1,
        no_return_date: 2,
        no_phone: 1,
        landline: 1,
        opted_out: 1,
        recent_interview: 0,
        duplicate_number: 1,
      },
      eligible: 31,
      // 384.16 / (1 + 383.16/31) = 28.8 -> 29, raised to the floor of 30
      target: 30,
      drawn: 30,
      shortfall: null,
    });
    const vl = r.plan.find((p: { unit: { code: string } }) => p.unit.code === 'QT-VL-MC');
    expect(vl).toMatchObject({ records: 5, eligible: 5, target: 5, shortfall: 'too_few' });
    expect(r.plan.find((p: { unit: { code: string } }) => p.unit.code === 'QT-GL-MC')).toMatchObject({ shortfall: 'no_records' });
    // units short of their target come first
    expect(r.plan[r.plan.length - 1].unit.code).toBe('QT-DH-MC');
    expect((await admin.request('DELETE', `/api/v1/rounds/${r.id}`)).status).toBe(204);
  });

  it('draws the same sample from the same frame and seed, another with another seed', async () => {
    await ingest(good('QT-QTR-MC', 'S', 60));
    const design = { floor: 5, margin: 0.2 };
    const a = await round({ units: ['QT-QTR-MC'], design, seed: 'same-seed' });
    const first = await sampleOf(a.id);
    // 24.01 / (1 + 23.01/60) = 17.4 -> 18
    expect(first).toHaveLength(18);
    expect(a.frameHash).toMatch(/^[0-9a-f]{64}$/);
    await admin.post(`/api/v1/rounds/${a.id}/close`);
    const b = await round({ units: ['QT-QTR-MC'], design, seed: 'same-seed' });
    expect(await sampleOf(b.id)).toEqual(first);
    expect(b.frameHash).toBe(a.frameHash);
    await admin.post(`/api/v1/rounds/${b.id}/close`);
    const c = await round({ units: ['QT-QTR-MC'], design, seed: 'other-seed' });
    expect(await sampleOf(c.id)).not.toEqual(first);
    await admin.post(`/api/v1/rounds/${c.id}/close`);
    const closed = (await admin.get(`/api/v1/rounds/${c.id}`)).body;
    expect(closed.total).toMatchObject({ sampled: 18, notWorked: 18 });
  });

  it('refuses bad input with specific codes', async () => {
    expect((await admin.post('/api/v1/rounds', { name: 'x', periodFrom: '2026-13' })).body.code).toBe('request.invalid');
    expect((await admin.post('/api/v1/rounds', { name: 'x', periodFrom: '2026-10', periodTo: '2026-09' })).body.code).toBe(
      'round.period_invalid',
    );
    expect((await admin.post('/api/v1/rounds', { name: 'x', periodFrom: '2026-10', units: ['NOPE'] })).body.code).toBe(
      'unit.not_found',
    );
    expect((await admin.post('/api/v1/rounds', { name: 'x', periodFrom: '2026-10', instrument: 'KIOSK_QUICK' })).body.code).toBe(
      'round.instrument_not_for_phone',
    );
    const empty = await round({ units: ['QT-GL-MC'] }, false);
    const p = await admin.post(`/api/v1/rounds/${empty.id}/publish`);
    expect(p.status).toBe(422);
    expect(p.body.code).toBe('round.empty');
  });
});

describe('the queue', () => {
  it('never gives two interviewers the same person, even when they ask at once', async () => {
    await ingest(good('QT-TP-MC', 'Q', 30));
    const r = await round({ units: ['QT-TP-MC'], design: { floor: 30 } });
    const team = await Promise.all(['q.one', 'q.two', 'q.three', 'q.four', 'q.five', 'q.six'].map(interviewer));
    const seen: string[] = [];
    for (let turn = 0; turn < 5; turn++) {
      const got = await Promise.all(team.map((t) => t.client.post('/api/v1/interviews/next', { round: r.id })));
      const ids = got.map((g) => g.body.record?.id as string);
      expect(ids.every(Boolean)).toBe(true);
      expect(new Set(ids).size).toBe(team.length);
      seen.push(...ids);
      const done = await Promise.all(team.map((t, i) => outcome(t.client, ids[i] as string, { outcome: 'refused' })));
      expect(done.map((d) => d.status)).toEqual(team.map(() => 200));
    }
    expect(new Set(seen).size).toBe(30);
    const perRecord = await sql<{ n: number }>`select count(*)::int as n from interview_attempts where round_id = ${r.id}
      group by sample_id`.execute(tp.ctx.db);
    expect(perRecord.rows.every((x) => x.n === 1)).toBe(true);
    expect((await team[0]?.client.post('/api/v1/interviews/next', { round: r.id }))?.body).toMatchObject({
      record: null,
      reason: 'empty',
    });
  });

  it('keeps attempts to three, on other days and slots, and callbacks with whoever agreed them', async () => {
    await ingest(good('QT-CL-MC', 'A', 2));
    const r = await round({ units: ['QT-CL-MC'], design: { floor: 2 } });
    const a = await interviewer('a.caller');
    const b = await interviewer('b.caller');
    const next = (c: Client) => c.post('/api/v1/interviews/next', { round: r.id });

    at('2026-11-10T09:00:00+07:00'); // Tuesday morning
    const x = (await next(a.client)).body.record;
    const y = (await next(b.client)).body.record;
    expect(x.id).not.toBe(y.id);
    const na = await outcome(a.client, x.id, { outcome: 'no_answer' });
    expect(na.body).toMatchObject({ status: 'pending', attempts: 1, nextAt: '2026-11-11T05:00:00.000Z' }); // Wed 12:00
    // the person asks to be called back on Wednesday evening
    expect((await outcome(b.client, y.id, { outcome: 'callback', callbackAt: '2026-11-11T22:30:00+07:00' })).body.code).toBe(
      'interview.callback_invalid',
    );
    expect((await outcome(b.client, y.id, { outcome: 'callback' })).body.code).toBe('interview.callback_invalid');
    const cb = await outcome(b.client, y.id, {
      outcome: 'callback',
      callbackAt: '2026-11-11T19:00:00+07:00',
      note: 'gọi lại sau giờ làm',
    });
    expect(cb.body).toMatchObject({ status: 'callback', nextAt: '2026-11-11T12:00:00.000Z' });

    at('2026-11-10T15:00:00+07:00');
    expect((await next(a.client)).body.record).toBeNull();
    at('2026-11-10T22:00:00+07:00');
    expect((await next(a.client)).body).toEqual({ record: null, reason: 'outside_calling_hours' });
    at('2026-11-11T11:30:00+07:00');
    expect((await next(a.client)).body.record).toBeNull();
    at('2026-11-11T12:30:00+07:00'); // Wednesday afternoon: the other slot
    const again = (await next(a.client)).body.record;
    expect(again.id).toBe(x.id);
    expect(again.history.map((h: { outcome: string }) => h.outcome)).toEqual(['no_answer']);
    const second = await outcome(a.client, x.id, { outcome: 'busy' });
    expect(second.body).toMatchObject({ status: 'pending', nextAt: '2026-11-12T10:00:00.000Z' }); // Thursday 17:00

    at('2026-11-11T19:05:00+07:00');
    // the callback is b's: a does not get it, b does
    expect((await next(a.client)).body.record).toBeNull();
    const back = (await next(b.client)).body.record;
    expect(back.id).toBe(y.id);
    expect(back.history[0]).toMatchObject({ outcome: 'callback', note: 'gọi lại sau giờ làm' });
    // a cannot record on b's record, nor learn about it
    expect((await outcome(a.client, y.id, { outcome: 'refused' })).body.code).toBe('interview.not_found');

    at('2026-11-12T17:30:00+07:00');
    expect((await next(a.client)).body.record.id).toBe(x.id);
    const third = await outcome(a.client, x.id, { outcome: 'switched_off' });
    expect(third.body).toMatchObject({ status: 'unreachable', attempts: 3, nextAt: null });
    const days = await sql<{ day: string; slot: string }>`select to_char(day, 'YYYY-MM-DD') as day, slot from interview_attempts
      where sample_id = ${x.id} order by started_at`.execute(tp.ctx.db);
    expect(days.rows).toEqual([
      { day: '2026-11-10', slot: 'morning' },
      { day: '2026-11-11', slot: 'afternoon' },
      { day: '2026-11-12', slot: 'evening' },
    ]);
    expect((await outcome(a.client, x.id, { outcome: 'no_answer' })).body.code).toBe('interview.closed');
    at('2026-11-10T09:00:00+07:00');
  });
});

describe('a completed interview', () => {
  it('goes through the response intake as a phone response, once, with the number revealed on click and audited', async () => {
    await ingest(good('QT-HL-MC', 'C', 1));
    const r = await round({ units: ['QT-HL-MC'], design: { floor: 1 } });
    const c = await interviewer('c.caller');
    const rec = (await c.client.post('/api/v1/interviews/next', { round: r.id })).body.record;
    expect(rec.phoneMasked).toMatch(/^091\*\*\*\d{4}$/);
    expect(rec.instrument.code).toBe('MSCORE_PHONE');
    expect(rec.instrument.definition.items[0].script.vi).toBeTruthy();
    const auditRows = async () =>
      Number(
        (
          await sql<{
            n: number;
          }>`select count(*)::int as n from audit_log where action = 'interview.reveal_phone' and object_id = ${rec.id}`.execute(
            tp.ctx.db,
          )
        ).rows[0]?.n,
      );
    expect(await auditRows()).toBe(0);
    const reveal = await c.client.post(`/api/v1/interviews/${rec.id}/reveal-phone`);
    expect(reveal.body.phone).toMatch(/^0912\d{6}$/);
    expect(await auditRows()).toBe(1);
    // someone else cannot see it
    const other = await interviewer('d.caller');
    expect((await other.client.post(`/api/v1/interviews/${rec.id}/reveal-phone`)).status).toBe(404);

    // bad answers: nothing is stored and the record stays open
    const bad = await outcome(c.client, rec.id, {
      outcome: 'completed',
      response: { id: randomUUID(), answers: answers({ STAFF_ATTITUDE: 42 }) },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('response.invalid');
    expect(bad.body.errors[0].item).toBe('STAFF_ATTITUDE');
    expect((await outcome(c.client, rec.id, { outcome: 'completed' })).body.code).toBe('interview.answers_required');

    const body = {
      attemptId: randomUUID(),
      outcome: 'completed',
      startedAt: '2026-11-10T09:00:00+07:00',
      endedAt: '2026-11-10T09:06:00+07:00',
      response: { id: randomUUID(), answers: answers(), consent: true },
    };
    const done = await c.client.post(`/api/v1/interviews/${rec.id}/outcome`, body);
    expect(done.status, done.text).toBe(200);
    expect(done.body).toMatchObject({ status: 'completed', attempts: 1, responseId: body.response.id, replayed: false });
    const stored = await tp.ctx.db
      .selectFrom('responses')
      .select(['channel', 'event_id', 'interviewer_id', 'status'])
      .where('id', '=', body.response.id)
      .executeTakeFirstOrThrow();
    const ev = await sql<{ event_id: string }>`select event_id from interview_sample where id = ${rec.id}`.execute(tp.ctx.db);
    expect(stored).toEqual({ channel: 'phone', event_id: ev.rows[0]?.event_id, interviewer_id: c.id, status: 'complete' });
    // a replay after a lost answer is recorded once; the same id with other content is refused
    const replay = await c.client.post(`/api/v1/interviews/${rec.id}/outcome`, body);
    expect(replay.body).toMatchObject({ status: 'completed', replayed: true });
    const tampered = await c.client.post(`/api/v1/interviews/${rec.id}/outcome`, { ...body, note: 'khác' });
    expect(tampered.status).toBe(409);
    expect(tampered.body.code).toBe('interview.attempt_conflict');
    const attempts = await sql<{
      n: number;
    }>`select count(*)::int as n from interview_attempts where sample_id = ${rec.id}`.execute(tp.ctx.db);
    expect(attempts.rows[0]?.n).toBe(1);
    // an API token cannot take calls
    const tok = await admin.post('/api/v1/tokens', { name: 'interviewer-token', role: 'interviewer', unitCode: null });
    const bearer = tp.client();
    bearer.bearer = tok.body.token;
    expect((await bearer.post('/api/v1/interviews/next', {})).status).toBe(403);
  });

  it('resumes a partial interview with its answers as they were given, and completes it in place', async () => {
    await ingest(good('QT-VPDKDD', 'P', 1));
    const r = await round({ units: ['QT-VPDKDD'], design: { floor: 1 } });
    const c = await interviewer('c.caller');
    const rec = (await c.client.post('/api/v1/interviews/next', { round: r.id })).body.record;
    const responseId = randomUUID();
    const part = await outcome(c.client, rec.id, {
      outcome: 'partial',
      callbackAt: '2026-11-10T16:00:00+07:00',
      response: { id: responseId, answers: { IDENTITY: true, ASKED_TO_RETURN: false, STAFF_ATTITUDE: 0 } },
    });
    expect(part.body).toMatchObject({ status: 'callback', responseId });
    at('2026-11-10T16:01:00+07:00');
    try {
      const back = (await c.client.post('/api/v1/interviews/next', { round: r.id })).body.record;
      // yes/no as booleans and the no-opinion answer as the item's own value, ready to send again
      expect(back.partialAnswers).toEqual({ IDENTITY: true, ASKED_TO_RETURN: false, STAFF_ATTITUDE: 0 });
      const done = await outcome(c.client, rec.id, {
        outcome: 'completed',
        response: { id: responseId, answers: { ...answers(), ...back.partialAnswers } },
      });
      expect(done.body).toMatchObject({ status: 'completed', responseId, attempts: 2 });
      const stored = await tp.ctx.db.selectFrom('responses').select('status').where('id', '=', responseId).execute();
      expect(stored).toEqual([{ status: 'complete' }]);
    } finally {
      at('2026-11-10T09:00:00+07:00');
    }
  });

  it('keeps a number interviewed in the last 90 days out of the next frames', async () => {
    const phone = nextPhone();
    await ingest([{ unit: 'QT-HH-MC', externalId: 'N-1', phone }]);
    const r = await round({ units: ['QT-HH-MC'], design: { floor: 1 } });
    const c = await interviewer('c.caller');
    const rec = (await c.client.post('/api/v1/interviews/next', { round: r.id })).body.record;
    const done = await outcome(c.client, rec.id, { outcome: 'completed', response: { id: randomUUID(), answers: answers() } });
    expect(done.status, done.text).toBe(200);
    // the same person, a new dossier next month
    await admin.post('/api/v1/events', {
      events: [
        {
          unit: 'QT-HH-MC',
          externalId: 'N-2',
          kind: 'dossier',
          receivedAt: '2026-11-01',
          returnedAt: '2026-11-05T10:00:00+07:00',
          citizen: { phone },
        },
      ],
    });
    const soon = await round({ periodFrom: '2026-11', units: ['QT-HH-MC'], design: { floor: 1 } }, false);
    expect(soon.plan[0]).toMatchObject({ records: 1, eligible: 0, excluded: { recent_interview: 1 } });
    // the October dossier itself is never asked about again
    const same = await round({ units: ['QT-HH-MC'], design: { floor: 1 } }, false);
    expect(same.plan[0].excluded.recent_interview).toBe(1);
    at('2027-02-10T09:00:00+07:00'); // 92 days later
    try {
      const later = await admin.put(`/api/v1/rounds/${soon.id}`, {
        name: 'Đợt sau',
        periodFrom: '2026-11',
        units: ['QT-HH-MC'],
        design: { floor: 1 },
      });
      expect(later.body.plan[0]).toMatchObject({ eligible: 1, excluded: { recent_interview: 0 } });
    } finally {
      at('2026-11-10T09:00:00+07:00');
    }
  });
});

describe('supervision', () => {
  it('reports rates per unit as hand-computed, productivity, flags, records and an export', async () => {
    await ingest([...good('QT-DKR-MC', 'R', 10).map((e, i) => ({ ...e, gender: i < 6 ? 'female' : 'male' }))]);
    const r = await round({ units: ['QT-DKR-MC'], design: { floor: 10 } });
    const e = await interviewer('e.caller');
    const plan: { outcome: string; extra?: Record<string, unknown>; seconds?: number; answers?: Record<string, unknown> }[] = [
      { outcome: 'completed', seconds: 600 },
      { outcome: 'completed', seconds: 540, answers: { SATISFACTION: 8 } },
      { outcome: 'completed', seconds: 660, answers: { SATISFACTION: 6 } },
      { outcome: 'completed', seconds: 60, answers: { SATISFACTION: 6 } }, // far shorter, and the same answers as the one before
      { outcome: 'completed', seconds: 620, answers: { SATISFACTION: 7, STAFF_ATTITUDE: 5 } },
      { outcome: 'partial', seconds: 200 },
      { outcome: 'refused' },
      { outcome: 'refused', extra: { doNotCall: true } },
      { outcome: 'wrong_number' },
      { outcome: 'callback', extra: { callbackAt: '2026-11-12T09:00:00+07:00' } },
    ];
    for (const [i, step] of plan.entries()) {
      const rec = (await e.client.post('/api/v1/interviews/next', { round: r.id })).body.record;
      expect(rec, `step ${i}`).toBeTruthy();
      const start = new Date(Date.parse('2026-11-10T09:00:00+07:00') + i * 3_600_000);
      const body: Record<string, unknown> = {
        outcome: step.outcome,
        startedAt: start.toISOString(),
        endedAt: new Date(start.getTime() + (step.seconds ?? 30) * 1000).toISOString(),
        ...step.extra,
      };
      if (step.outcome === 'completed' || step.outcome === 'partial')
        body.response = { id: randomUUID(), answers: step.outcome === 'partial' ? { IDENTITY: true } : answers(step.answers) };
      const res = await outcome(e.client, rec.id, body);
      expect(res.status, res.text).toBe(200);
    }
    // one number still never attempted: 10 sampled, the first 10 outcomes above
    const d = (await admin.get(`/api/v1/rounds/${r.id}`)).body;
    const unit = d.plan[0].progress;
    expect(unit).toMatchObject({ sampled: 10, completed: 5, partial: 1, refused: 2, doNotCall: 0, ineligible: 1, callback: 1 });
    // completion 5/10; response 5/(10-1 wrong number); cooperation 5/(5 + 1 partial + 2 refused + 1 callback);
    // contact 9/9; refusal 2/9
    expect(unit.rates.completion.value).toBe(0.5);
    expect(unit.rates.response).toEqual({ value: 0.5556, numerator: 5, denominator: 9 });
    expect(unit.rates.cooperation).toEqual({ value: 0.5556, numerator: 5, denominator: 9 });
    expect(unit.rates.contact).toEqual({ value: 1, numerator: 9, denominator: 9 });
    expect(unit.rates.refusal).toEqual({ value: 0.2222, numerator: 2, denominator: 9 });
    // the refusal that asked never to be called again put the number on the shared list
    expect((await admin.get('/api/v1/do-not-contact')).body.items.some((x: { source: string }) => x.source === 'interview')).toBe(
      true,
    );
    expect(d.groups['gender:female'].sampled + d.groups['gender:male'].sampled).toBe(10);

    const prod = (await admin.get(`/api/v1/rounds/${r.id}/interviewers`)).body;
    const me = prod.interviewers.find((x: { id: string }) => x.id === e.id);
    expect(me).toMatchObject({ attempts: 10, completed: 5, partial: 1, refused: 2, callbacks: 1, other: 1, held: 1 });
    expect(prod.medianSeconds).toBe(600);
    expect(me.flagged).toEqual({ short: 1, identical: 2 });

    const flagged = (await admin.get(`/api/v1/rounds/${r.id}/records?flagged=true`)).body;
    expect(flagged.total).toBe(2);
    expect(flagged.items.find((x: { durationSeconds: number }) => x.durationSeconds === 60).flags).toEqual([
      'short',
      'identical',
    ]);
    const all = (await admin.get(`/api/v1/rounds/${r.id}/records?limit=100`)).body;
    expect(all.items.every((x: { phoneMasked: string }) => /^091\*\*\*\d{4}$/.test(x.phoneMasked))).toBe(true);

    // re-assignment: the held callback moves to another interviewer
    const f = await interviewer('f.caller');
    const moved = await admin.post(`/api/v1/rounds/${r.id}/reassign`, { from: e.id, to: f.id });
    expect(moved.body).toEqual({ moved: 1 });
    at('2026-11-12T09:30:00+07:00');
    try {
      expect((await e.client.post('/api/v1/interviews/next', { round: r.id })).body.record).toBeNull();
      expect((await f.client.post('/api/v1/interviews/next', { round: r.id })).body.record.status).toBe('callback');
    } finally {
      at('2026-11-10T09:00:00+07:00');
    }
    expect((await admin.post(`/api/v1/rounds/${r.id}/reassign`, { from: e.id, to: randomUUID() })).body.code).toBe(
      'interviewer.not_found',
    );

    const csv = await admin.get(`/api/v1/rounds/${r.id}/export?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.text.split('\r\n')[0]).toContain('unit_code,unit_name,stratum,external_id');
    expect(csv.text).toMatch(/091\*\*\*\d{4}/);
    expect(csv.text).not.toMatch(/0912\d{6}/);
    const exported = await sql<{ n: number }>`select count(*)::int as n from audit_log where action = 'round.exported'`.execute(
      tp.ctx.db,
    );
    expect(exported.rows[0]?.n).toBe(1);

    // the same rates as built-in indices of the period, shown per unit, never ranked
    const completion = await admin.get('/api/v1/scores?index=PHONE_COMPLETION&period=2026-10');
    expect(completion.status, completion.text).toBe(200);
    const dkr = completion.body.find((x: { unit: string }) => x.unit === 'QT-DKR-MC');
    expect(dkr).toMatchObject({ n: 10, value: 50, rank: null });
    const cooperation = await admin.get('/api/v1/scores?index=PHONE_COOPERATION&period=2026-10');
    // every one of the 30 people reached at Triệu Phong refused
    expect(cooperation.body.find((x: { unit: string }) => x.unit === 'QT-TP-MC')).toMatchObject({ n: 30, value: 0 });
    expect((await admin.get('/api/v1/scores?index=PHONE_COMPLETION&period=2026-10&channel=kiosk')).body.code).toBe(
      'score.channel_not_allowed',
    );
    // closing leaves the callback unfinished; the person still counts as reached
    const closed = (await admin.post(`/api/v1/rounds/${r.id}/close`)).body;
    expect(closed.plan[0].progress).toMatchObject({ callback: 0, notWorked: 1, notWorkedReached: 1 });
    expect(closed.plan[0].progress.rates.cooperation).toEqual(unit.rates.cooperation);
    const coopAfter = (await admin.get('/api/v1/scores?index=PHONE_COOPERATION&period=2026-10')).body;
    expect(coopAfter.find((x: { unit: string }) => x.unit === 'QT-DKR-MC').n).toBe(9);
  });

  it('keeps rounds from interviewers and calls from supervisors', async () => {
    const i = await interviewer('g.caller');
    expect((await i.client.get('/api/v1/rounds')).status).toBe(403);
    const { client: analyst } = await userWithRole(tp, admin, 'h.analyst', 'analyst', null);
    expect((await analyst.get('/api/v1/rounds')).status).toBe(200);
    expect((await analyst.post('/api/v1/interviews/next', {})).status).toBe(403);
    const { client: scoped } = await userWithRole(tp, admin, 'i.analyst', 'analyst', 'QT-DH');
    expect((await scoped.post('/api/v1/rounds', { name: 'x', periodFrom: '2026-10' })).status).toBe(403);
    // a reader of Đông Hà sees a round of Đakrông without its figures
    const list = (await admin.get('/api/v1/rounds')).body as { id: string; sampled: number }[];
    const other = list.find((x) => x.sampled > 0) as { id: string };
    const seen = (await scoped.get(`/api/v1/rounds/${other.id}`)).body;
    expect(seen.plan).toEqual([]);
    expect(seen.total.sampled).toBe(0);
    expect(((await scoped.get('/api/v1/rounds')).body as { sampled: number }[]).every((x) => x.sampled === 0)).toBe(true);
    expect((await scoped.get(`/api/v1/rounds/${other.id}/interviewers`)).body.interviewers).toEqual([]);
  });
});

describe('do not contact', () => {
  it('takes a number out of every queue at once and out of later frames', async () => {
    const phone = nextPhone();
    await ingest([{ unit: 'QT-TTHCC', externalId: 'DNC-1', phone }, ...good('QT-TTHCC', 'D', 2)]);
    const r = await round({ units: ['QT-TTHCC'], design: { floor: 3 } });
    expect(r.total.sampled).toBe(3);
    expect((await admin.post('/api/v1/do-not-contact', { phone: `+84 ${phone.slice(1)}` })).status).toBe(201);
    expect((await admin.post('/api/v1/do-not-contact', { phone })).body).toEqual({ added: false });
    expect((await admin.post('/api/v1/do-not-contact', { phone: '12345' })).body.code).toBe('phone.invalid');
    const after = (await admin.get(`/api/v1/rounds/${r.id}`)).body;
    expect(after.total).toMatchObject({ doNotCall: 1, pending: 2 });
    const list = (await admin.get('/api/v1/do-not-contact')).body;
    const entry = list.items.find((x: { phoneMasked: string }) => x.phoneMasked === `${phone.slice(0, 3)}***${phone.slice(-4)}`);
    expect(entry).toBeTruthy();
    expect(JSON.stringify(list)).not.toContain(phone);
    // no plaintext number in the table
    const raw = await sql<{ t: string }>`select do_not_contact::text as t from do_not_contact`.execute(tp.ctx.db);
    expect(raw.rows.some((x) => x.t.includes(phone))).toBe(false);
    const again = await round({ units: ['QT-TTHCC'], design: { floor: 3 } }, false);
    expect(again.plan[0].excluded.opted_out).toBe(1);
    expect((await admin.request('DELETE', `/api/v1/do-not-contact/${entry.id}`)).status).toBe(204);
    expect((await admin.request('DELETE', `/api/v1/do-not-contact/${entry.id}`)).body.code).toBe('contact.not_found');
  });
});
