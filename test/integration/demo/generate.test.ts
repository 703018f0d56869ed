// The demo generator: deterministic (same seed, same data, also in another
// database), idempotent, and made of data the intake accepts like any other;
// the bulk path (COPY into an empty history) writes exactly what the intake does.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../../src/commands.ts';
import { startTestPlatform, type TestPlatform } from '../../support/platform.ts';

const ARGS = ['demo', 'generate', '--months', '2', '--until', '2026-10', '--scale', '0.02', '--seed', '7'];
let a: TestPlatform;
let b: TestPlatform;
beforeAll(async () => {
  [a, b] = await Promise.all([startTestPlatform(), startTestPlatform()]);
});
afterAll(async () => {
  await a?.stop();
  await b?.stop();
});

/** A checksum of what was generated, leaving out ids the database made itself (and the content hashes, which cover them). */
async function checksum(tp: TestPlatform) {
  const events = await sql<{ k: string }>`
    select concat_ws(':', external_id, kind, service, department, received_at::text, due_at::text, returned_at::text, status,
      period, has_name, phone_kind, source, citizen_enc is not null, encode(citizen_phone_hash, 'hex')) as k
    from service_events order by external_id`.execute(tp.ctx.db);
  const answers = await sql<{ k: string }>`
    select concat_ws(':', r.id, r.channel, r.day, r.submitted_at::text, r.status, r.version, r.source_type,
      e.external_id, a.item, a.ord, a.value, a.num) as k
    from responses r join response_answers a on a.response_id = r.id
    left join service_events e on e.id = r.event_id
    order by r.id, a.item, a.ord`.execute(tp.ctx.db);
  // Each unit's lists of the months as received (the bulk path records them itself).
  const lists = await sql<{ k: string }>`
    select concat_ws(':', u.code, s.period) as k from list_submissions s join units u on u.id = s.unit_id order by 1`.execute(
    tp.ctx.db,
  );
  const h = createHash('sha256');
  for (const r of [...events.rows, ...answers.rows, ...lists.rows]) h.update(`${r.k}\n`);
  return { events: events.rows.length, answers: answers.rows.length, lists: lists.rows.length, sha256: h.digest('hex') };
}

describe('mscore demo generate', () => {
  it('writes events and answers on every channel, through the intake rules', async () => {
    const r = await runCommand(a.ctx, ARGS);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/generated 2026-09 to 2026-10: \d+ events, \d+ responses .*bulk load/);
    const channels = await sql<{ channel: string; n: number }>`
      select channel, count(*)::int as n from responses group by channel order by channel`.execute(a.ctx.db);
    expect(channels.rows.map((c) => c.channel)).toEqual(['kiosk', 'phone', 'sms', 'web']);
    const kinds = await sql<{ kind: string }>`select distinct kind from service_events order by kind`.execute(a.ctx.db);
    expect(kinds.rows.map((k) => k.kind)).toEqual(['dossier', 'inpatient', 'outpatient']);
    // Units differ in data quality: some lists lack phone numbers.
    const q = await sql<{ unit_id: string; share: number }>`
      select unit_id, avg((citizen_phone_hash is not null)::int)::float8 as share from service_events group by unit_id`.execute(
      a.ctx.db,
    );
    const shares = q.rows.map((x) => x.share);
    expect(Math.max(...shares) - Math.min(...shares)).toBeGreaterThan(0.2);
    // Every unit's list of every month with events counts as received.
    const lists = await sql<{ missing: number; extra: number }>`
      with l as (select distinct unit_id, period from service_events)
      select (select count(*)::int from l where not exists (select 1 from list_submissions s
                where s.unit_id = l.unit_id and s.period = l.period)) as missing,
             (select count(*)::int from list_submissions s where not exists (select 1 from l
                where s.unit_id = l.unit_id and s.period = l.period)) as extra`.execute(a.ctx.db);
    expect(lists.rows[0]).toEqual({ missing: 0, extra: 0 });
    const check = await runCommand(a.ctx, ['rollups', 'check']);
    expect(check.stdout).toMatch(/ 0 differences/);
  });

  it('writes each month in the order of the keys an index rebuild sorts by', async () => {
    // Rows as stored (by ctid), each month's in the order of its key: events by unit
    // (the period index), responses by id, rollups by their primary key.
    const unsorted = (rows: { month: string; key: string }[]) => {
      const last = new Map<string, string>();
      let out = 0;
      for (const r of rows) {
        if ((last.get(r.month) ?? '') > r.key) out++;
        last.set(r.month, r.key);
      }
      return { rows: rows.length, out };
    };
    const events = await sql<{ month: string; key: string }>`
      select period as month, unit_id::text as key from service_events
       where period = to_char(received_at at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM') order by ctid`.execute(a.ctx.db);
    const responses = await sql<{ month: string; key: string }>`
      select to_char(day, 'YYYY-MM') as month, id::text as key from responses order by ctid`.execute(a.ctx.db);
    const rollups = await sql<{ month: string; key: string }>`
      select to_char(day, 'YYYY-MM') as month,
             concat_ws(chr(1), unit_id, day, channel, instrument_id, lpad(version::text, 4, '0'), item, value) as key
        from response_rollups order by ctid`.execute(a.ctx.db);
    for (const table of [events.rows, responses.rows, rollups.rows]) {
      const r = unsorted(table);
      expect(r.rows).toBeGreaterThan(100);
      // PostgreSQL may put a short row in room left on an earlier page (a few in a
      // thousand); rows in no order would be out half the time.
      expect(r.out / r.rows).toBeLessThan(0.02);
    }
  });

  it('is deterministic: a second run changes nothing, another database gets the same data', async () => {
    const first = await checksum(a);
    expect(first.events).toBeGreaterThan(500);
    // Again, through the intake: every event is unchanged and every response a replay of what the bulk load wrote.
    const again = await runCommand(a.ctx, ARGS);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('through the intake');
    expect(await checksum(a)).toEqual(first);
    const updated = await sql<{
      n: number;
    }>`select count(*)::int as n from service_events where updated_at <> created_at`.execute(a.ctx.db);
    expect(updated.rows[0]?.n).toBe(0);
    // Another database, every record through the intake: the same data as the bulk load.
    const viaIntake = await runCommand(b.ctx, [...ARGS, '--path', 'intake']);
    expect(viaIntake.stdout).toContain('through the intake');
    expect(await checksum(b)).toEqual(first);
    expect((await runCommand(b.ctx, ['rollups', 'check'])).stdout).toMatch(/ 0 differences/);
    // A bulk load needs an empty history.
    const refused = await runCommand(b.ctx, [...ARGS, '--path', 'bulk']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('demo.not_empty');
  });
});
