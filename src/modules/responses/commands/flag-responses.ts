// Misuse rules flag responses; they are never deleted. A response's first
// flag decides where it is counted: flagging a counted response moves its
// counts in the rollups from '' to that rule (as deltas, in the same statement).
import { sql } from 'kysely';
import type { Executor } from '../../../db/index.ts';

/** Adds the rules to each response (a rule it already has is not added twice); returns how many changed. */
export async function flagResponses(db: Executor, tenantId: string, rules: Map<string, string[]>): Promise<number> {
  const pairs = [...rules].flatMap(([id, rs]) => rs.map((rule) => [id, rule] as const));
  if (!pairs.length) return 0;
  const r = await sql<{ n: number }>`
    with f as (
      select id, array_agg(distinct rule) as rules
      from unnest(${pairs.map((p) => p[0])}::uuid[], ${pairs.map((p) => p[1])}::text[]) as t(id, rule)
      group by id
    ), old as (
      select r.id, cardinality(r.flags) as n0 from responses r join f on f.id = r.id where r.tenant_id = ${tenantId}
    ), upd as (
      update responses r
         set flags = r.flags || array(select x from unnest(f.rules) x where not (x = any(r.flags)) order by x)
        from f
       where r.tenant_id = ${tenantId} and r.id = f.id and not (f.rules <@ r.flags)
      returning r.id, r.unit_id, r.day, r.channel, r.instrument_id, r.version, r.status, r.flags[1] as first
    ), moved as (
      select upd.* from upd join old using (id) where old.n0 = 0 and upd.status = 'complete'
    ), types as (
      select v.instrument_id, v.version, it->>'code' as item, it->>'type' as type
      from instrument_versions v, jsonb_array_elements(v.definition->'items') it
      where v.tenant_id = ${tenantId}
    ), keys as (
      select m.unit_id, m.day, m.channel, m.instrument_id, m.version, m.first, a.item,
        case when t.type in ('text', 'phone') then '*' else a.value end as value
      from moved m
      join response_answers a on a.tenant_id = ${tenantId} and a.response_id = m.id
      join types t on t.instrument_id = m.instrument_id and t.version = m.version and t.item = a.item
      union all
      select m.unit_id, m.day, m.channel, m.instrument_id, m.version, m.first, '_n', '' from moved m
    ), d as (
      insert into response_rollup_deltas (tenant_id, unit_id, day, channel, instrument_id, version, item, value, flag, count)
      select ${tenantId}::uuid, unit_id, day, channel, instrument_id, version, item, value, flag, sum(c)::int
      from (
        select unit_id, day, channel, instrument_id, version, item, value, '' as flag, -1 as c from keys
        union all
        select unit_id, day, channel, instrument_id, version, item, value, first, 1 from keys
      ) x
      group by unit_id, day, channel, instrument_id, version, item, value, flag
    )
    select count(*)::int as n from upd`.execute(db);
  return r.rows[0]?.n ?? 0;
}
