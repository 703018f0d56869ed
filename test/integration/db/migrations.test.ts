import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, listMigrations, migrate, openDatabase } from '../../../src/db/index.ts';
import { backend, freshDatabase, type TestDb } from '../../support/platform.ts';

let tdb: TestDb;
let database: Database;
beforeAll(async () => {
  tdb = await freshDatabase();
  database = await openDatabase({ url: tdb.url, dataDir: tdb.dataDir });
});
afterAll(async () => {
  await database?.close();
  await tdb?.drop();
});

describe(`migrations on ${backend}`, () => {
  it('applies every migration in order on an empty database and records each', async () => {
    const files = listMigrations();
    expect(files.map((m) => m.version)).toEqual([...files.map((m) => m.version)].sort());
    const applied = await migrate(database);
    expect(applied).toEqual(files.map((m) => `${m.version}_${m.name}`));
    const rows = await database.db.selectFrom('schema_migrations').select(['version', 'checksum']).orderBy('version').execute();
    expect(rows).toEqual(files.map((m) => ({ version: m.version, checksum: m.checksum })));
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = 'public' order by table_name`.execute(database.db);
    expect(tables.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining([
        'tenants',
        'units',
        'services',
        'users',
        'role_grants',
        'sessions',
        'api_tokens',
        'audit_log',
        'audit_head',
      ]),
    );
  });

  it('is a no-op the second time, also when started concurrently', async () => {
    const again = await Promise.all([migrate(database), migrate(database)]);
    expect(again).toEqual([[], []]);
  });

  it('refuses to run when an applied migration was edited', async () => {
    await database.db.updateTable('schema_migrations').set({ checksum: 'edited' }).where('version', '=', '0001').execute();
    await expect(migrate(database)).rejects.toThrow(/was changed after it was applied/);
    const first = listMigrations()[0];
    await database.db
      .updateTable('schema_migrations')
      .set({ checksum: first?.checksum as string })
      .where('version', '=', '0001')
      .execute();
    expect(await migrate(database)).toEqual([]);
  });

  it('every tenant-owned table has tenant_id, and every unique key includes it', async () => {
    const cols = await sql<{ table_name: string }>`
      select c.table_name from information_schema.columns c
      join information_schema.tables t on t.table_name = c.table_name and t.table_schema = c.table_schema
      where c.table_schema = 'public' and c.column_name = 'tenant_id' and t.table_type = 'BASE TABLE'`.execute(database.db);
    const owned = cols.rows.map((r) => r.table_name);
    expect(owned).toEqual(
      expect.arrayContaining(['units', 'services', 'users', 'role_grants', 'sessions', 'api_tokens', 'audit_log']),
    );
    const uniques = await sql<{ tablename: string; indexdef: string }>`
      select tablename, indexdef from pg_indexes where schemaname = 'public' and indexdef ilike 'create unique%'`.execute(
      database.db,
    );
    const bad = uniques.rows.filter(
      (u) => owned.includes(u.tablename) && !u.indexdef.includes('tenant_id') && !/\(id\)$/.test(u.indexdef),
    );
    expect(bad).toEqual([]);
  });

  it('the keys built over codes compare them byte by byte (the "C" collation)', async () => {
    const cols = await sql<{ col: string; collation_name: string | null }>`
      select table_name || '.' || column_name as col, collation_name from information_schema.columns
       where table_schema = 'public'
         and (table_name, column_name) in (('service_events', 'external_id'), ('service_events', 'period'),
           ('list_submissions', 'period'), ('responses', 'channel'), ('response_answers', 'item'),
           ('response_rollups', 'channel'), ('response_rollups', 'item'), ('response_rollups', 'value'),
           ('response_rollups', 'flag'), ('response_rollup_deltas', 'item'), ('response_rollup_deltas', 'value'))
       order by 1`.execute(database.db);
    expect(cols.rows).toHaveLength(11);
    expect(cols.rows.filter((c) => c.collation_name !== 'C')).toEqual([]);
  });
});

describe(`references on ${backend}`, () => {
  it("an event's unit must belong to the event's tenant", async () => {
    const db = database.db;
    const tenant = async (code: string) =>
      (await db.insertInto('tenants').values({ code, name: code }).returning('id').executeTakeFirstOrThrow()).id;
    const [a, b] = [await tenant('ref-a'), await tenant('ref-b')];
    const unit = await db
      .insertInto('units')
      .values({ tenant_id: b, code: 'U-B', name: 'Unit of B', kind: 'one_stop_office', search_key: 'unit of b' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const event = (tenantId: string) =>
      db
        .insertInto('service_events')
        .values({
          tenant_id: tenantId,
          unit_id: unit.id,
          kind: 'dossier',
          external_id: 'X-1',
          period: '2026-10',
          status: 'received',
          source: 'api',
          content_hash: Buffer.alloc(32),
        })
        .execute();
    await expect(event(a)).rejects.toThrow(/service_events_unit_fkey/);
    await expect(event(b)).resolves.toBeDefined();
  });
});

describe.skipIf(backend !== 'postgres')('connections the server ends', () => {
  it('do not crash the process; the next query works on a new connection', async () => {
    const errors: unknown[] = [];
    const onUncaught = (e: unknown) => errors.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      // Several idle connections in the pool, then the server ends them all.
      await Promise.all(Array.from({ length: 4 }, () => sql`select pg_sleep(0.05)`.execute(database.db)));
      const admin = await openDatabase({ url: process.env.TEST_DATABASE_URL, dataDir: tdb.dataDir });
      const dbName = new URL(tdb.url as string).pathname.slice(1);
      await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${dbName} and pid <> pg_backend_pid()`.execute(
        admin.db,
      );
      await admin.close();
      await new Promise((r) => setTimeout(r, 300));
      const r = await sql<{ one: number }>`select 1 as one`.execute(database.db);
      expect(r.rows[0]?.one).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
