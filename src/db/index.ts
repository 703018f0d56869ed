// Opens the configured database (embedded PGlite or PostgreSQL) behind one
// Kysely instance, and applies migrations.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CompiledQuery, Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { type DirLock, lockDataDir } from './datadir-lock.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import type { DB } from './types.ts';

export type Db = Kysely<DB>;
export type Tx = Transaction<DB>;
/** Anything that runs queries: the database or an open transaction. */
export type Executor = Kysely<DB> | Transaction<DB>;

export type Database = {
  kind: 'pglite' | 'postgres';
  db: Db;
  close(): Promise<void>;
  /** Runs SQL text without parameters (may hold several statements). */
  execScript(sql: string, on?: Executor): Promise<void>;
  /** The directory lock of the embedded database, for the server to publish its port. */
  lock?: DirLock;
  /**
   * Bulk load: COPY rows in the binary format (CopyRows in copy.ts) into a table's columns.
   * trusted: rows made by the platform itself with references it has checked; the
   * foreign-key triggers are skipped for this one statement where the role may do so.
   * The bytes may come from a worker thread, handed over without a copy.
   */
  copyRows(table: string, columns: readonly string[], rows: Uint8Array, opts?: { trusted?: boolean }): Promise<void>;
};

const copySql = (table: string, columns: readonly string[], source: string) =>
  `copy ${table} (${columns.join(', ')}) from ${source} with (format binary)`;

const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082; // kept as 'YYYY-MM-DD': a Date would shift with the process time zone
const BYTEA = 17; // a Buffer on both backends (PGlite would give a bare Uint8Array)

export async function openDatabase(opts: { url?: string; dataDir: string }): Promise<Database> {
  if (opts.url) {
    // Counts and ids fit in a JS number; both backends return numbers.
    pg.types.setTypeParser(INT8, (v) => Number(v));
    pg.types.setTypeParser(NUMERIC, (v) => Number(v));
    pg.types.setTypeParser(DATE, (v) => v);
    const pool = new pg.Pool({ connectionString: opts.url, max: 10 });
    // A connection the server ends (restart, administrator, a closing pool) must
    // not crash the process: the pool replaces it, and the next query reports a
    // real outage as its own error.
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return {
      kind: 'postgres',
      db,
      close: () => db.destroy(),
      copyRows: async (table, columns, rows, opts = {}) => {
        const client = await pool.connect();
        try {
          await client.query('begin');
          if (opts.trusted) {
            // Needs a superuser; others simply keep the checks.
            await client.query('savepoint r');
            await client
              .query('set local session_replication_role = replica')
              .catch(() => client.query('rollback to savepoint r'));
          }
          const stream = client.query(copyFrom(copySql(table, columns, 'stdin')));
          await pipeline(Readable.from([rows]), stream);
          await client.query('commit');
        } catch (e) {
          await client.query('rollback').catch(() => {});
          throw e;
        } finally {
          client.release();
        }
      },
      execScript: async (sqlText, on = db) => {
        await on.executeQuery(CompiledQuery.raw(sqlText, []));
      },
    };
  }
  const lock = lockDataDir(opts.dataDir);
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const pgdata = path.join(opts.dataDir, 'pgdata');
    const client = await PGlite.create(pgdata, {
      parsers: {
        [INT8]: (v: string) => Number(v),
        [NUMERIC]: (v: string) => Number(v),
        [DATE]: (v: string) => v,
        [BYTEA]: (v: string) => Buffer.from(v.slice(2), 'hex'),
      },
    });
    const db = new Kysely<DB>({ dialect: new PGliteDialect(client) });
    return {
      kind: 'pglite',
      db,
      lock,
      copyRows: async (table, columns, rows, opts = {}) => {
        // Holding Kysely's lease on the one connection: no other caller's transaction is open meanwhile.
        await db.connection().execute(() =>
          client.transaction(async (tx) => {
            if (opts.trusted) await tx.query('set local session_replication_role = replica');
            await tx.query(copySql(table, columns, "'/dev/blob'"), [], { blob: new Blob([rows as Uint8Array<ArrayBuffer>]) });
          }),
        );
      },
      close: async () => {
        await db.destroy();
        await client.close();
        lock.release();
      },
      execScript: async (sqlText, on = db) => {
        await on.executeQuery(CompiledQuery.raw(sqlText, []));
      },
    };
  } catch (e) {
    lock.release();
    throw e;
  }
}

const MIGRATIONS_DIR = path.join(import.meta.dirname, 'migrations');

export function listMigrations(): { version: string; name: string; sql: string; checksum: string }[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => {
      const sql = readFileSync(path.join(MIGRATIONS_DIR, f), 'utf8');
      return {
        version: f.slice(0, 4),
        name: f.slice(5, -4),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

/**
 * Runs fn while holding a PostgreSQL advisory lock, so several processes starting
 * together on one database take turns (creating the tenant, the built-ins and the
 * job queue's schema). The embedded database has one process and one connection.
 */
export async function exclusively<T>(database: Database, key: number, fn: () => Promise<T>): Promise<T> {
  if (database.kind === 'pglite') return fn();
  return database.db.connection().execute(async (conn) => {
    await conn.executeQuery(CompiledQuery.raw('select pg_advisory_lock($1)', [key]));
    try {
      return await fn();
    } finally {
      await conn.executeQuery(CompiledQuery.raw('select pg_advisory_unlock($1)', [key]));
    }
  });
}

/** Applies pending migrations in order, each in its own transaction; returns the versions applied. */
export async function migrate(database: Database): Promise<string[]> {
  const { db } = database;
  const applied: string[] = [];
  await db.connection().execute(async (conn) => {
    // Serialises concurrent starts of several processes on one PostgreSQL.
    await conn.executeQuery(CompiledQuery.raw('select pg_advisory_lock(727274001)', []));
    try {
      await database.execScript(
        `create table if not exists schema_migrations (
          version text primary key, name text not null, checksum text not null,
          applied_at timestamptz not null default now())`,
        conn,
      );
      const done = new Map(
        (await conn.selectFrom('schema_migrations').select(['version', 'checksum']).execute()).map((r) => [
          r.version,
          r.checksum,
        ]),
      );
      for (const m of listMigrations()) {
        const seen = done.get(m.version);
        if (seen) {
          if (seen !== m.checksum) {
            throw new Error(`migration ${m.version}_${m.name} was changed after it was applied; add a new migration instead`);
          }
          continue;
        }
        await conn.transaction().execute(async (tx) => {
          await database.execScript(m.sql, tx);
          await tx.insertInto('schema_migrations').values({ version: m.version, name: m.name, checksum: m.checksum }).execute();
        });
        applied.push(`${m.version}_${m.name}`);
      }
    } finally {
      await conn.executeQuery(CompiledQuery.raw('select pg_advisory_unlock(727274001)', []));
    }
  });
  return applied;
}
