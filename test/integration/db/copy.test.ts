// Bulk loads with COPY: NULLs, empty strings, quotes, bytes and arrays arrive
// as sent, and on the embedded database (one connection) a COPY never lands
// inside another caller's open transaction.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvLine } from '../../../src/db/copy.ts';
import { type Database, openDatabase } from '../../../src/db/index.ts';
import { freshDatabase, type TestDb } from '../../support/platform.ts';

let tdb: TestDb;
let database: Database;
beforeAll(async () => {
  tdb = await freshDatabase();
  database = await openDatabase({ url: tdb.url, dataDir: tdb.dataDir });
  await database.execScript('create table copied (t text, n int, b bytea, a text[], f boolean, at timestamptz)');
});
afterAll(async () => {
  await database?.close();
  await tdb?.drop();
});

describe('COPY in CSV', () => {
  it('keeps every value as sent', async () => {
    const rows = [
      ['plain', 1, Buffer.from([0, 255, 16]), ['a', 'b,c', 'd"e'], true, new Date('2026-10-05T02:00:00Z')],
      ['', null, null, [], false, null],
      ['Nguyễn "Văn" An, Đông Hà\nline 2', -5, Buffer.alloc(0), ['x\\y'], null, null],
    ] as const;
    await database.copyCsv('copied', ['t', 'n', 'b', 'a', 'f', 'at'], rows.map((r) => csvLine(r)).join(''));
    const got = await sql<{
      t: string | null;
      n: number | null;
      b: Buffer | null;
      a: string[];
      f: boolean | null;
      at: Date | null;
    }>`
      select t, n, b, a, f, at from copied order by n nulls first`.execute(database.db);
    expect(got.rows.map((r) => [r.t, r.n, r.b ? r.b.toString('hex') : null, r.a, r.f])).toEqual([
      ['', null, null, [], false],
      ['Nguyễn "Văn" An, Đông Hà\nline 2', -5, '', ['x\\y'], null],
      ['plain', 1, '00ff10', ['a', 'b,c', 'd"e'], true],
    ]);
  });

  it('waits for another caller’s transaction instead of committing it', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const tx = database.db
      .transaction()
      .execute(async (t) => {
        await sql`insert into copied (t) values ('inside the transaction')`.execute(t);
        await held;
        throw new Error('rolled back on purpose');
      })
      .catch((e: Error) => e.message);
    await new Promise((r) => setTimeout(r, 50));
    const copy = database.copyCsv('copied', ['t'], csvLine(['copied meanwhile']));
    await new Promise((r) => setTimeout(r, 100));
    release();
    expect(await tx).toBe('rolled back on purpose');
    await copy;
    const got = await sql<{ t: string }>`select t from copied where t in ('inside the transaction', 'copied meanwhile')`.execute(
      database.db,
    );
    expect(got.rows.map((r) => r.t)).toEqual(['copied meanwhile']);
  });
});
