// Bulk loads of tens of millions of rows are several times faster into tables
// without their secondary indexes, which are then built once from sorted data.
// The definitions are kept in deferred_indexes until rebuilt, so a stopped
// load leaves them to the next run or the next start (restoreIndexes).
import { sql } from 'kysely';
import type { Db } from './index.ts';

/**
 * Drops the indexes and unique keys of these tables except those named in
 * keep, after recording how to rebuild them. PostgreSQL only. Returns their names.
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
    for (const ix of found.rows) {
      await tx
        .insertInto('deferred_indexes')
        .values({ name: ix.name, table_name: ix.table_name, definition: ix.definition })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      if (ix.constraint_name)
        await sql`alter table ${sql.id(ix.table_name)} drop constraint ${sql.id(ix.constraint_name)}`.execute(tx);
      else await sql`drop index ${sql.id(ix.name)}`.execute(tx);
    }
    return found.rows.map((r) => r.name);
  });
}

/**
 * Rebuilds every deferred index and forgets each once built. Several at a time,
 * on their own connections, largest tables first: one build waits on its sort or
 * on reading the table, and builds over the same table share one read of it.
 * The national demo's ten took 191 s in two lanes, 172 s in three, 165 s in four.
 * Returns their names.
 */
export async function restoreIndexes(db: Db, onProgress?: (line: string) => void, lanes = 4): Promise<string[]> {
  const pending = (
    await sql<{ name: string; table_name: string; definition: string }>`
      select d.name, d.table_name, d.definition from deferred_indexes d
        left join pg_class t on t.relname = d.table_name and t.relnamespace = current_schema()::regnamespace
       order by coalesce(pg_relation_size(t.oid), 0) desc, d.table_name, d.name`.execute(db)
  ).rows;
  if (!pending.length) return [];
  const queue = [...pending];
  const lane = () =>
    db.connection().execute(async (conn) => {
      // Room to sort in memory: an index built from one sort is written once.
      await sql`set maintenance_work_mem = '512MB'`.execute(conn);
      try {
        for (let ix = queue.shift(); ix; ix = queue.shift()) {
          const t0 = performance.now();
          const { name, definition } = ix;
          await conn.transaction().execute(async (tx) => {
            const exists = await sql<{ n: number }>`select count(*)::int as n from pg_class
              where relname = ${name} and relnamespace = current_schema()::regnamespace`.execute(tx);
            if (!exists.rows[0]?.n) await sql.raw(definition).execute(tx);
            await tx.deleteFrom('deferred_indexes').where('name', '=', name).execute();
          });
          onProgress?.(`index ${name} on ${ix.table_name} rebuilt in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        }
      } finally {
        await sql`reset maintenance_work_mem`.execute(conn);
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
  return pending.map((ix) => ix.name);
}
