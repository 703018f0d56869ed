// The national demo: one tenant per province with its communes' offices,
// filled by the bulk path; resumable; refused on the embedded database.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../../src/commands.ts';
import { PROVINCES, provinceUnitsCsv } from '../../../src/modules/demo/national.ts';
import { backend, startTestPlatform, type TestPlatform } from '../../support/platform.ts';

let tp: TestPlatform;
beforeAll(async () => {
  tp = await startTestPlatform();
});
afterAll(async () => tp?.stop());

const ARGS = ['demo', 'generate', '--scale', 'national', '--provinces', 'QTR,HN', '--months', '1', '--until', '2026-10'];

describe('mscore demo generate --scale national', () => {
  it('covers the 34 provinces and 3,321 communes', () => {
    expect(PROVINCES).toHaveLength(34);
    expect(PROVINCES.reduce((s, [, , n]) => s + n, 0)).toBe(3321);
    const csv = provinceUnitsCsv('QTR', 'Tỉnh Quảng Trị', 78).trim().split('\n');
    // header, province, service centre, health department, hospital, 7 health centres, 78 offices
    expect(csv).toHaveLength(1 + 4 + 7 + 78);
  });

  it.skipIf(backend !== 'pglite')('is refused on the embedded database', async () => {
    const r = await runCommand(tp.ctx, ARGS);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('demo.national_needs_postgres');
  });

  it.skipIf(backend !== 'postgres')('fills each province as its own tenant, and resumes', async () => {
    const references = async () =>
      (
        await sql<{ conname: string; def: string }>`
          select conname, pg_get_constraintdef(oid) as def from pg_constraint
           where contype = 'f' and confrelid = 'service_events'::regclass order by conname`.execute(tp.ctx.db)
      ).rows;
    const fks = await references();
    const r = await runCommand(tp.ctx, [...ARGS, '--national-scale', '0.05']);
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/national demo: 2 provinces filled, \d+ events, \d+ responses/);
    const tenants = await sql<{ code: string; units: number; events: number; responses: number }>`
      select t.code,
        (select count(*)::int from units u where u.tenant_id = t.id) as units,
        (select count(*)::int from service_events e where e.tenant_id = t.id) as events,
        (select count(*)::int from responses r where r.tenant_id = t.id) as responses
      from tenants t where t.code like 'VN-%' order by t.code`.execute(tp.ctx.db);
    expect(tenants.rows.map((t) => [t.code, t.units])).toEqual([
      ['VN-HN', 1 + 3 + 11 + 126],
      ['VN-QTR', 1 + 3 + 7 + 78],
    ]);
    for (const t of tenants.rows) {
      expect(t.events).toBeGreaterThan(500);
      expect(t.responses).toBeGreaterThan(100);
    }
    expect((await runCommand(tp.ctx, ['--tenant', 'VN-QTR', 'rollups', 'check'])).stdout).toMatch(/ 0 differences/);
    const scores = await runCommand(tp.ctx, [
      '--tenant',
      'VN-QTR',
      'scores',
      '--index',
      'KIOSK_SATISFIED',
      '--period',
      '2026-10',
      '--json',
    ]);
    expect(JSON.parse(scores.stdout).length).toBeGreaterThan(78);
    // a second run leaves the filled provinces alone
    const again = await runCommand(tp.ctx, ARGS);
    expect(again.stdout).toContain('0 provinces filled');
    const after = await sql<{ n: number }>`select count(*)::int as n from service_events`.execute(tp.ctx.db);
    expect(after.rows[0]?.n).toBe(tenants.rows.reduce((s, t) => s + t.events, 0));
    // the indexes set aside during the load are all back
    expect(await tp.ctx.db.selectFrom('deferred_indexes').select('name').execute()).toEqual([]);
    const indexes = await sql<{ indexname: string }>`select indexname from pg_indexes
      where tablename in ('service_events', 'responses', 'response_answers', 'response_rollups')`.execute(tp.ctx.db);
    expect(indexes.rows.map((r) => r.indexname)).toEqual(
      expect.arrayContaining([
        'service_events_pkey',
        'service_events_period',
        'service_events_tenant_id_external_id_unit_id_key',
        'responses_one_per_event',
        'response_answers_pkey',
        'response_rollups_pkey',
      ]),
    );
    // and so are the foreign keys that reference the events' primary key
    expect(fks.length).toBeGreaterThan(3);
    expect(await references()).toEqual(fks);
  });
});
