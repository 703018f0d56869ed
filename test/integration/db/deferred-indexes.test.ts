// Indexes set aside for a bulk load are recorded before they are dropped, are
// rebuilt exactly as they were, and a start after a stopped load rebuilds them.
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { deferIndexes, restoreIndexes } from '../../../src/db/deferred-indexes.ts';
import { type Database, type Db, migrate, openDatabase } from '../../../src/db/index.ts';
import { startPlatform } from '../../../src/main.ts';
import { freshDatabase, SECRET, type TestDb } from '../../support/platform.ts';

const TABLES = ['service_events', 'responses', 'response_answers'];
const KEEP = ['service_events_pkey', 'responses_pkey'];

const definitions = async (db: Db) =>
  (
    await sql<{ indexname: string; indexdef: string }>`
      select indexname, indexdef from pg_indexes
       where schemaname = current_schema() and tablename = any(${TABLES}) order by indexname`.execute(db)
  ).rows;

let tdb: TestDb;
let database: Database;
beforeAll(async () => {
  tdb = await freshDatabase();
  database = await openDatabase({ url: tdb.url, dataDir: tdb.dataDir });
  await migrate(database);
});
afterAll(async () => {
  await database?.close();
  await tdb?.drop();
});

describe('deferred indexes', () => {
  it('are recorded, dropped, and rebuilt as they were', async () => {
    const before = await definitions(database.db);
    expect(before.map((d) => d.indexname)).toContain('service_events_tenant_id_external_id_unit_id_key');

    const deferred = await deferIndexes(database.db, TABLES, KEEP);
    expect(deferred.sort()).toEqual(
      before
        .map((d) => d.indexname)
        .filter((n) => !KEEP.includes(n))
        .sort(),
    );
    expect((await definitions(database.db)).map((d) => d.indexname)).toEqual([...KEEP].sort());
    // a second call finds nothing more to drop and keeps what was recorded
    expect(await deferIndexes(database.db, TABLES, KEEP)).toEqual([]);
    expect(await database.db.selectFrom('deferred_indexes').select('name').execute()).toHaveLength(deferred.length);

    const lines: string[] = [];
    expect((await restoreIndexes(database.db, (l) => lines.push(l))).sort()).toEqual(deferred.sort());
    expect(lines.join('\n')).toMatch(/index response_answers_pkey on response_answers rebuilt in [\d.]+ s/);
    expect(await definitions(database.db)).toEqual(before);
    expect(await database.db.selectFrom('deferred_indexes').select('name').execute()).toEqual([]);
    // the unique key works again
    const c = await sql<{ contype: string }>`select contype from pg_constraint
      where conname = 'service_events_tenant_id_external_id_unit_id_key'`.execute(database.db);
    expect(c.rows).toEqual([{ contype: 'u' }]);
  });

  it('stay recorded when a rebuild fails, so that none is lost', async () => {
    const before = await definitions(database.db);
    const deferred = await deferIndexes(database.db, TABLES, KEEP);
    await database.db
      .insertInto('deferred_indexes')
      .values({
        name: 'zz_broken',
        table_name: 'service_events',
        definition: 'create index zz_broken on service_events (no_such_column)',
      })
      .execute();
    await expect(restoreIndexes(database.db)).rejects.toThrow(/no_such_column/);
    // whatever was not rebuilt is still recorded, whatever was is there
    const left = (await database.db.selectFrom('deferred_indexes').select('name').execute()).map((r) => r.name);
    expect(left).toContain('zz_broken');
    const built = (await definitions(database.db)).map((d) => d.indexname);
    expect([...built.filter((n) => !KEEP.includes(n)), ...left.filter((n) => n !== 'zz_broken')].sort()).toEqual(deferred.sort());
    await database.db.deleteFrom('deferred_indexes').where('name', '=', 'zz_broken').execute();
    await restoreIndexes(database.db);
    expect(await definitions(database.db)).toEqual(before);
  });

  it('take along the foreign keys that reference them, which come back after every key', async () => {
    const db = database.db;
    const references = async () =>
      (
        await sql<{ conname: string; def: string }>`
          select conname, pg_get_constraintdef(oid) as def from pg_constraint
           where contype = 'f' and confrelid = 'service_events'::regclass order by conname`.execute(db)
      ).rows;
    const before = await definitions(db);
    const fks = await references();
    expect(fks.map((f) => f.conname)).toContain('sms_messages_event_id_fkey');

    const deferred = await deferIndexes(db, ['service_events'], []);
    expect(deferred).toEqual(expect.arrayContaining(['service_events_pkey', 'service_events_period']));
    expect(await references()).toEqual([]);
    const recorded = await db.selectFrom('deferred_indexes').select('name').where('after_keys', '=', true).execute();
    expect(recorded.map((r) => r.name).sort()).toEqual(fks.map((f) => f.conname));

    // A key that cannot be built keeps the foreign keys recorded, not half put back.
    await db
      .insertInto('deferred_indexes')
      .values({ name: 'zz_broken', table_name: 'service_events', definition: 'create index zz_broken on service_events (nope)' })
      .execute();
    await expect(restoreIndexes(db)).rejects.toThrow(/nope/);
    expect(await references()).toEqual([]);
    expect(await db.selectFrom('deferred_indexes').select('name').where('after_keys', '=', true).execute()).toHaveLength(
      fks.length,
    );
    await db.deleteFrom('deferred_indexes').where('name', '=', 'zz_broken').execute();

    // Four lanes, the small tables' foreign keys first in size order: they must still wait for the key.
    const lines: string[] = [];
    await restoreIndexes(db, (l) => lines.push(l), 4);
    expect(await references()).toEqual(fks);
    expect(await definitions(db)).toEqual(before);
    expect(await db.selectFrom('deferred_indexes').select('name').execute()).toEqual([]);
    const firstReference = lines.findIndex((l) => l.startsWith('foreign key '));
    expect(lines[firstReference]).toMatch(/^foreign key \w+ on \w+ rebuilt in [\d.]+ s$/);
    expect(lines.slice(firstReference).every((l) => l.startsWith('foreign key '))).toBe(true);
  });

  it('left behind by a stopped load, are rebuilt by the next start', async () => {
    const before = await definitions(database.db);
    const deferred = await deferIndexes(database.db, TABLES, KEEP);
    expect(deferred.length).toBeGreaterThan(3);
    const config = loadConfig({
      MSCORE_DATA_DIR: tdb.dataDir,
      MSCORE_SECRET_KEY: SECRET,
      MSCORE_DEMO_MONTHS: '0',
      MSCORE_ADMIN_PASSWORD: 'deferred-indexes-admin',
      ...(tdb.url ? { DATABASE_URL: tdb.url } : {}),
    });
    // the embedded database takes one process at a time
    await database.close();
    const p = await startPlatform(config, pino({ level: 'silent' }), { listen: false, workers: false });
    try {
      expect(await definitions(p.ctx.db)).toEqual(before);
      expect(await p.ctx.db.selectFrom('deferred_indexes').select('name').execute()).toEqual([]);
    } finally {
      await p.close();
      database = await openDatabase({ url: tdb.url, dataDir: tdb.dataDir });
    }
  });
});
