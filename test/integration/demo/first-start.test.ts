// The first start with demo data loads a history of the province before the
// server answers, once: a restart does not load it again.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../../src/commands.ts';
import { startPlatform } from '../../../src/main.ts';
import { startTestPlatform, type TestPlatform } from '../../support/platform.ts';

let tp: TestPlatform;
beforeAll(async () => {
  tp = await startTestPlatform({}, { MSCORE_DEMO_MONTHS: '2' });
}, 120_000);
afterAll(async () => tp?.stop());

const count = async (table: string) =>
  Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(tp.ctx.db)).rows[0]?.n);

describe('first start with MSCORE_DEMO_MONTHS', () => {
  it('loads the months before the current one, with scores to show', async () => {
    expect(await count('service_events')).toBeGreaterThan(50_000);
    expect(await count('responses')).toBeGreaterThan(5_000);
    const t = await tp.ctx.db.selectFrom('tenants').select('settings').executeTakeFirstOrThrow();
    const history = (t.settings as { demoHistory?: { months: number; until: string } }).demoHistory;
    expect(history?.months).toBe(2);
    const admin = await tp.admin();
    const scores = await admin.get(`/api/v1/scores?index=MSCORE_SATISFACTION&period=${history?.until}`);
    expect(scores.status).toBe(200);
    expect(scores.body.filter((r: { rank: number | null }) => r.rank !== null).length).toBeGreaterThan(3);
    expect((await runCommand(tp.ctx, ['rollups', 'check'])).stdout).toMatch(/ 0 differences/);
  });

  it('has phone-interview rounds: the earlier month closed around its interviews, the last one in the queue', async () => {
    const admin = await tp.admin();
    const rounds = (await admin.get('/api/v1/rounds')).body as {
      id: string;
      status: string;
      sampled: number;
      completed: number;
    }[];
    expect(rounds.map((r) => r.status).sort()).toEqual(['closed', 'published']);
    const closed = rounds.find((r) => r.status === 'closed') as (typeof rounds)[number];
    const detail = (await admin.get(`/api/v1/rounds/${closed.id}`)).body;
    // every completed record is one of the history's phone interviews, with its attempt
    const linked = await sql<{ n: number }>`select count(*)::int as n from interview_sample s
      join responses r on r.id = s.response_id and r.channel = 'phone' and r.event_id = s.event_id
      join interview_attempts a on a.sample_id = s.id and a.outcome = 'completed'
      where s.round_id = ${closed.id}`.execute(tp.ctx.db);
    expect(linked.rows[0]?.n).toBe(detail.total.completed);
    expect(detail.total.completed).toBeGreaterThan(100);
    expect(detail.total.refused + detail.total.unreachable + detail.total.ineligible).toBeGreaterThan(0);
    expect(detail.total.rates.completion.value).toBeGreaterThan(0.9);
    const prod = (await admin.get(`/api/v1/rounds/${closed.id}/interviewers`)).body;
    expect(prod.interviewers).toHaveLength(3);
    // the open round's records were never interviewed before
    const open = rounds.find((r) => r.status === 'published') as (typeof rounds)[number];
    expect(open.sampled).toBeGreaterThan(0);
    const clash = await sql<{ n: number }>`select count(*)::int as n from interview_sample s
      join responses r on r.event_id = s.event_id and r.channel = 'phone' where s.round_id = ${open.id}`.execute(tp.ctx.db);
    expect(clash.rows[0]?.n).toBe(0);
  });

  it('has SMS: the ratings of the last month answer their invitations, others went unanswered or failed, feedback waits for review', async () => {
    const admin = await tp.admin();
    const t = await tp.ctx.db.selectFrom('tenants').select('settings').executeTakeFirstOrThrow();
    const period = (t.settings as { demoHistory?: { until: string } }).demoHistory?.until as string;
    const stats = (await admin.get(`/api/v1/sms/stats?period=${period}`)).body as { units: { replies: number; sent: number }[] };
    // Messages are dated when they were sent, in the last month or just after it.
    const all = await sql<{
      status: string;
      n: number;
    }>`select status, count(*)::int as n from sms_messages group by status`.execute(tp.ctx.db);
    const by = Object.fromEntries(all.rows.map((r) => [r.status, r.n]));
    expect(by.delivered).toBeGreaterThan(100);
    expect(by.failed).toBeGreaterThan(0);
    expect(stats.units.reduce((a, u) => a + u.replies, 0)).toBeGreaterThan(0);
    // every rating received is the history's SMS response for the invited event
    const linked = await sql<{ bad: number; n: number }>`
      select count(*) filter (where r.id is null or r.event_id <> m.event_id or r.channel <> 'sms')::int as bad, count(*)::int as n
      from sms_inbound i join sms_messages m on m.id = i.message_id left join responses r on r.id = i.response_id
      where i.kind = 'rating'`.execute(tp.ctx.db);
    expect(linked.rows[0]?.n).toBeGreaterThan(50);
    expect(linked.rows[0]?.bad).toBe(0);
    const feedback = await admin.get('/api/v1/sms/inbound?kind=feedback&unreviewed=true');
    expect(feedback.body.total).toBe(5);
    expect((await admin.get('/api/v1/sms/settings')).body.settings.invitations).toBe(true);
  });

  it('does not load it again at the next start', async () => {
    const events = await count('service_events');
    const config = tp.config;
    await tp.close();
    const again = await startPlatform(config, tp.ctx.log, {});
    try {
      const n = (await sql<{ n: number }>`select count(*)::int as n from service_events`.execute(again.ctx.db)).rows[0]?.n;
      expect(n).toBe(events);
    } finally {
      await again.close();
    }
  }, 120_000);
});
