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
