// Rollups: counts per (unit, day, channel, instrument version, item, value).
// The intake only inserts deltas; a background job folds them into
// response_rollups, and readers add up both, so a count is exact at any moment.
import { sql } from 'kysely';
import type { Db, Executor } from '../../db/index.ts';
import type { JobDefinition } from '../../platform/jobs.ts';
import { dataChanged } from '../scoring/cache.ts';

export const COMPACT_JOB = 'responses.compact-rollups';
const COMPACT_CHUNK = 50_000;

/** Folds pending deltas into the rollups; returns how many delta rows were folded. */
export async function compactRollups(db: Executor): Promise<number> {
  let total = 0;
  for (;;) {
    // One statement: the deltas it removes are exactly the ones it adds up.
    const r = await sql<{ n: number }>`
      with moved as (
        delete from response_rollup_deltas
        where ctid = any(array(select ctid from response_rollup_deltas limit ${COMPACT_CHUNK}))
        returning tenant_id, unit_id, day, channel, instrument_id, version, item, value, flag, count
      ), summed as (
        select tenant_id, unit_id, day, channel, instrument_id, version, item, value, flag, sum(count)::bigint as count
        from moved group by tenant_id, unit_id, day, channel, instrument_id, version, item, value, flag
      ), up as (
        insert into response_rollups as t (tenant_id, unit_id, day, channel, instrument_id, version, item, value, flag, count)
        select * from summed
        on conflict (tenant_id, unit_id, day, channel, instrument_id, version, item, value, flag)
        do update set count = t.count + excluded.count
      )
      select count(*)::int as n from moved`.execute(db);
    const n = r.rows[0]?.n ?? 0;
    total += n;
    if (n < COMPACT_CHUNK) return total;
  }
}

export function compactRollupsJob(db: Db): JobDefinition {
  return {
    name: COMPACT_JOB,
    cron: '* * * * *',
    retryLimit: 2,
    handler: async () => {
      await compactRollups(db);
    },
  };
}

export type RollupRow = {
  unit_id: string;
  day: string;
  channel: string;
  instrument_id: string;
  version: number;
  item: string;
  value: string;
  flag: string;
  count: number;
};

export type RollupFilter = {
  tenantId: string;
  instrumentId?: string;
  unitIds?: string[];
  from?: string;
  to?: string;
  channel?: string;
};

/** Current counts (folded rollups plus pending deltas), zero rows left out. */
export async function readRollups(db: Executor, f: RollupFilter): Promise<RollupRow[]> {
  const where = (alias: string) =>
    sql.join(
      [
        sql`${sql.ref(`${alias}.tenant_id`)} = ${f.tenantId}`,
        ...(f.instrumentId ? [sql`${sql.ref(`${alias}.instrument_id`)} = ${f.instrumentId}`] : []),
        ...(f.unitIds ? [sql`${sql.ref(`${alias}.unit_id`)} = any(${f.unitIds}::uuid[])`] : []),
        ...(f.from ? [sql`${sql.ref(`${alias}.day`)} >= ${f.from}::date`] : []),
        ...(f.to ? [sql`${sql.ref(`${alias}.day`)} <= ${f.to}::date`] : []),
        ...(f.channel ? [sql`${sql.ref(`${alias}.channel`)} = ${f.channel}`] : []),
      ],
      sql` and `,
    );
  const r = await sql<RollupRow>`
    select unit_id, day::text as day, channel, instrument_id, version, item, value, flag, sum(count)::bigint as count
    from (
      select unit_id, day, channel, instrument_id, version, item, value, flag, count from response_rollups r where ${where('r')}
      union all
      select unit_id, day, channel, instrument_id, version, item, value, flag, count from response_rollup_deltas d where ${where('d')}
    ) x
    group by unit_id, day, channel, instrument_id, version, item, value, flag
    having sum(count) <> 0
    order by unit_id, day, channel, instrument_id, version, item, value, flag`.execute(db);
  return r.rows;
}

/** The same counts computed from the raw answers of complete responses. */
export async function recomputeFromAnswers(db: Executor, f: RollupFilter): Promise<RollupRow[]> {
  const conds = [
    sql`r.tenant_id = ${f.tenantId}`,
    sql`r.status = 'complete'`,
    ...(f.instrumentId ? [sql`r.instrument_id = ${f.instrumentId}`] : []),
    ...(f.unitIds ? [sql`r.unit_id = any(${f.unitIds}::uuid[])`] : []),
    ...(f.from ? [sql`r.day >= ${f.from}::date`] : []),
    ...(f.to ? [sql`r.day <= ${f.to}::date`] : []),
    ...(f.channel ? [sql`r.channel = ${f.channel}`] : []),
  ];
  const res = await sql<RollupRow>`
    with resp as (select * from responses r where ${sql.join(conds, sql` and `)}),
    types as (
      select v.instrument_id, v.version, it->>'code' as item, it->>'type' as type
      from instrument_versions v, jsonb_array_elements(v.definition->'items') it
      where v.tenant_id = ${f.tenantId}
    )
    select unit_id, day::text as day, channel, instrument_id, version, item, value, flag, count(*)::bigint as count
    from (
      -- free text and phone numbers are counted as answered ('*'), not by content
      select r.unit_id, r.day, r.channel, r.instrument_id, r.version, a.item,
        case when t.type in ('text', 'phone') then '*' else a.value end as value, ${FLAG_OF} as flag
      from resp r
      join response_answers a on a.tenant_id = r.tenant_id and a.response_id = r.id
      join types t on t.instrument_id = r.instrument_id and t.version = r.version and t.item = a.item
      union all
      select r.unit_id, r.day, r.channel, r.instrument_id, r.version, '_n', '', ${FLAG_OF} from resp r
    ) x
    group by unit_id, day, channel, instrument_id, version, item, value, flag
    order by unit_id, day, channel, instrument_id, version, item, value, flag`.execute(db);
  return res.rows;
}

// The first misuse rule that flagged the response; '' when counted.
const FLAG_OF = sql`coalesce(r.flags[1], '')`;

/** Rebuilds a tenant's rollups from raw answers (in one transaction) and returns the row count. */
export async function rebuildRollups(db: Db, tenantId: string): Promise<number> {
  try {
    return await rebuild(db, tenantId);
  } finally {
    dataChanged(tenantId);
  }
}

function rebuild(db: Db, tenantId: string): Promise<number> {
  return db.transaction().execute(async (tx) => {
    await sql`lock table response_rollup_deltas in exclusive mode`.execute(tx);
    await tx.deleteFrom('response_rollup_deltas').where('tenant_id', '=', tenantId).execute();
    await tx.deleteFrom('response_rollups').where('tenant_id', '=', tenantId).execute();
    const rows = await recomputeFromAnswers(tx, { tenantId });
    for (let i = 0; i < rows.length; i += 5000) {
      await tx
        .insertInto('response_rollups')
        .values(rows.slice(i, i + 5000).map((r) => ({ tenant_id: tenantId, ...r, day: r.day, channel: r.channel as never })))
        .execute();
    }
    return rows.length;
  });
}

/** Differences between the rollups and a recomputation: empty when they agree. */
export async function diffRollups(db: Executor, f: RollupFilter) {
  const [a, b] = await Promise.all([readRollups(db, f), recomputeFromAnswers(db, f)]);
  const key = (r: RollupRow) => [r.unit_id, r.day, r.channel, r.instrument_id, r.version, r.item, r.value, r.flag].join('|');
  const ma = new Map(a.map((r) => [key(r), Number(r.count)]));
  const mb = new Map(b.map((r) => [key(r), Number(r.count)]));
  const diffs: { key: string; rollup: number; raw: number }[] = [];
  for (const k of new Set([...ma.keys(), ...mb.keys()])) {
    if ((ma.get(k) ?? 0) !== (mb.get(k) ?? 0)) diffs.push({ key: k, rollup: ma.get(k) ?? 0, raw: mb.get(k) ?? 0 });
  }
  return { rows: a.length, diffs };
}
