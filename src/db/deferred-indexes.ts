// Bulk loads of tens of millions of rows are several times faster into tables
// without their secondary indexes, which are then built once from sorted data.
// The definitions are kept in deferred_indexes until rebuilt, so a stopped
// load leaves them to the next run or the next start (restoreIndexes).
import { sql } from 'kysely';
import type { Db } from './index.ts';

/**
 * Drops the indexes and unique keys of these tables except those named in
 * keep, after recording how to rebuild them. A foreign key elsewhere that
 * references one of them is recorded and dropped first, to be put back after
 * the keys. PostgreSQL only. Returns the names of the indexes and keys.
 */
export async function deferIndexes(db: Db, tables: readonly string[], keep: readonly string[]): Promise<string[]> {
  return db.transaction().execute(async (tx) => {
    const found = await sql<{ name: string; table_name: string; definition: string; constraint_name: string | null }>`
      select c.relname as name, t.relname as table_name, con.conname as constraint_name,
             case when con.conname is null then pg_get_indexdef(i.indexrelid)
                  else format('alter table %I add constraint %I %s', t.relname, con.conname, pg_get_constraintdef(con.oid))
             end as definition
        from pg_index i
        join pg_class c on c.oid = i.indexrelid
        join pg_class t on t.oid = i.indrelid
        left join pg_constraint con on con.conindid = i.indexrelid and con.conrelid = t.oid and con.contype in ('p', 'u')
       where t.relnamespace = current_schema()::regnamespace
         and t.relname = any(${tables as string[]})
         and not (c.relname = any(${keep as string[]}))
       order by c.relname`.execute(tx);
    const references = await sql<{ name: string; table_name: string; definition: string }>`
      select con.conname as name, t.relname as table_name,
             format('alter table %I add constraint %I %s', t.relname, con.conname, pg_get_constraintdef(con.oid)) as definition
        from pg_constraint con
        join pg_class t on t.oid = con.conrelid
        join pg_class ix on ix.oid = con.conindid
       where con.contype = 'f'
         and t.relnamespace = current_schema()::regnamespace
         and ix.relname = any(${found.rows.map((r) => r.name)})
       order by con.conname`.execute(tx);
    const record = (ix: { name: string; table_name: string; definition: string }, afterKeys: boolean) =>
      tx
        .insertInto('deferred_indexes')
        .values({ name: ix.name, table_name: ix.table_name, definition: ix.definition, after_keys: afterKeys })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
    for (const fk of references.rows) {
      await record(fk, true);
      await sql`alter table ${sql.id(fk.table_name)} drop constraint ${sql.id(fk.name)}`.execute(tx);
    }
    for (const ix of found.rows) {
      await record(ix, false);
      if (ix.constraint_name)
        await sql`alter table ${sql.id(ix.table_name)} drop constraint ${sql.id(ix.constraint_name)}`.execute(tx);
      else await sql`drop index ${sql.id(ix.name)}`.execute(tx);
    }
    return found.rows.map((r) => r.name);
  });
}

type Deferred = { name: string; table_name: string; definition: string; after_keys: boolean };

/**
 * Rebuilds every deferred index and forgets each once built. Several at a time,
 * on their own connections, largest tables first: one build waits on its sort or
 * on reading the table, and builds over the same table share one read of it.
 * The national demo's twelve, on 2 cores: 252 s in two lanes, 253 s in four
 * with PostgreSQL's parallel workers, 212 s in five without them (171 s once
 * the demo wrote each month in the order of the keys).
 * The foreign keys set aside with them come back after all of them.
 * Returns their names.
 */
export async function restoreIndexes(db: Db, onProgress?: (line: string) => void, lanes = 5): Promise<string[]> {
  const pending = (
    await sql<Deferred>`
      select d.name, d.table_name, d.definition, d.after_keys from deferred_indexes d
        left join pg_class t on t.relname = d.table_name and t.relnamespace = current_schema()::regnamespace
       order by coalesce(pg_relation_size(t.oid), 0) desc, d.table_name, d.name`.execute(db)
  ).rows;
  // Keys first, then the foreign keys: a failure among the keys leaves those recorded, not built.
  for (const afterKeys of [false, true])
    await rebuildInLanes(
      db,
      pending.filter((ix) => ix.after_keys === afterKeys),
      lanes,
      onProgress,
    );
  return pending.map((ix) => ix.name);
}

async function rebuildInLanes(db: Db, pending: Deferred[], lanes: number, onProgress?: (line: string) => void) {
  if (!pending.length) return;
  const queue = [...pending];
  const lane = () =>
    db.connection().execute(async (conn) => {
      // Room to sort in memory: an index built from one sort is written once.
      await sql`set maintenance_work_mem = '512MB'`.execute(conn);
      // The lanes are the parallelism: a build's own workers only add their merge (a quarter more CPU, measured).
      await sql`set max_parallel_maintenance_workers = 0`.execute(conn);
      try {
        for (let ix = queue.shift(); ix; ix = queue.shift()) {
          const t0 = performance.now();
          const { name, definition } = ix;
          await conn.transaction().execute(async (tx) => {
            // Built already when a stop came between building it and forgetting it.
            const exists = await sql<{ n: number }>`select
                (select count(*) from pg_class where relname = ${name} and relnamespace = current_schema()::regnamespace)
              + (select count(*) from pg_constraint c join pg_class t on t.oid = c.conrelid
                  where c.conname = ${name} and t.relname = ${ix.table_name} and t.relnamespace = current_schema()::regnamespace)
              as n`.execute(tx);
            if (!Number(exists.rows[0]?.n)) await sql.raw(definition).execute(tx);
            await tx.deleteFrom('deferred_indexes').where('name', '=', name).execute();
          });
          const what = ix.after_keys ? 'foreign key' : 'index';
          onProgress?.(`${what} ${name} on ${ix.table_name} rebuilt in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        }
      } finally {
        await sql`reset maintenance_work_mem`.execute(conn);
        await sql`reset max_parallel_maintenance_workers`.execute(conn);
      }
    });
  // A failed lane stops handing out work; the other finishes its build, then the failure is reported.
  const results = await Promise.allSettled(
    Array.from({ length: Math.max(1, Math.min(lanes, pending.length)) }, () =>
      lane().catch((e) => {
        queue.length = 0;
        throw e;
      }),
    ),
  );
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}
