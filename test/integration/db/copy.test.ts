// Bulk loads with COPY in the binary format: every type the platform sends
// arrives as sent (NULLs, empty strings, quotes, Vietnamese text, bytes, the
// instants), and on the embedded database (one connection) a COPY never lands
// inside another caller's open transaction.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CopyColumns, CopyRows } from '../../../src/db/copy.ts';
import { type Database, openDatabase } from '../../../src/db/index.ts';
import { freshDatabase, type TestDb } from '../../support/platform.ts';

let tdb: TestDb;
let database: Database;
beforeAll(async () => {
  tdb = await freshDatabase();
  database = await openDatabase({ url: tdb.url, dataDir: tdb.dataDir });
  await database.execScript(`create table copied (
    id uuid, t text, s smallint, n int, big bigint, x double precision, f boolean, d date, at timestamptz, b bytea)`);
});
afterAll(async () => {
  await database?.close();
  await tdb?.drop();
});

const COLUMNS: CopyColumns = {
  id: 'uuid',
  t: 'text',
  s: 'int2',
  n: 'int4',
  big: 'int8',
  x: 'float8',
  f: 'bool',
  d: 'date',
  at: 'timestamptz',
  b: 'bytea',
};
const copy = (rows: CopyRows) => database.copyRows('copied', rows.columns, rows.finish());

describe('COPY in the binary format', () => {
  it('keeps every value as sent', async () => {
    const rows = new CopyRows(COLUMNS, 16); // small: the buffer has to grow
    rows.add([
      '0190b6a2-7c4e-7abc-8def-0123456789ab',
      'Nguyễn "Văn" An, Đông Hà\nline 2\\ {a,b} NULL',
      -32768,
      -5,
      -9_007_199_254_740_991,
      -0.125,
      true,
      '1999-12-31',
      new Date('1969-07-20T20:17:40.123Z'),
      Buffer.from([0, 255, 16]),
    ]);
    rows.add([
      'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF',
      '',
      32767,
      2_147_483_647,
      9_007_199_254_740_991,
      1e300,
      false,
      '2026-02-28',
      '2026-10-05T09:00:00.000+07:00',
      '\\x00ff',
    ]);
    rows.add(['00000000-0000-4000-8000-000000000001', null, 0, 0, 0, 0, null, null, undefined, '']);
    expect(rows.count).toBe(3);
    await copy(rows);
    const got = await sql<Record<string, unknown>>`
      select id::text, t, s, n, big::text, x, f, d::text, to_char(at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') as at,
             encode(b, 'hex') as b
        from copied order by s`.execute(database.db);
    expect(got.rows).toEqual([
      {
        id: '0190b6a2-7c4e-7abc-8def-0123456789ab',
        t: 'Nguyễn "Văn" An, Đông Hà\nline 2\\ {a,b} NULL',
        s: -32768,
        n: -5,
        big: '-9007199254740991',
        x: -0.125,
        f: true,
        d: '1999-12-31',
        at: '1969-07-20 20:17:40.123',
        b: '00ff10',
      },
      { id: '00000000-0000-4000-8000-000000000001', t: null, s: 0, n: 0, big: '0', x: 0, f: null, d: null, at: null, b: '' },
      {
        id: 'ffffffff-ffff-ffff-ffff-ffffffffffff',
        t: '',
        s: 32767,
        n: 2_147_483_647,
        big: '9007199254740991',
        x: 1e300,
        f: false,
        d: '2026-02-28',
        at: '2026-10-05 02:00:00.000',
        b: '00ff',
      },
    ]);
    await database.execScript('truncate copied');
  });

  it('grows its buffer within any field', async () => {
    const rows = new CopyRows(COLUMNS, 1);
    for (let i = 0; i < 300; i++)
      rows.add([
        null,
        i % 7 ? null : 'ă'.repeat(i),
        i,
        -i,
        i * 1e9,
        i / 4,
        i % 2 === 0,
        '2026-01-01',
        new Date(i * 1e9),
        'ab'.repeat(i % 5),
      ]);
    await copy(rows);
    const got = await sql<{ n: number; s: number; x: number; chars: number; bytes: number; seconds: number }>`
      select count(*)::int as n, sum(s)::int as s, sum(x) as x, sum(length(t))::int as chars, sum(length(b))::int as bytes,
             sum(extract(epoch from at))::float8 as seconds
        from copied`.execute(database.db);
    expect(got.rows[0]).toEqual({ n: 300, s: 44850, x: 11212.5, chars: 6321, bytes: 600, seconds: 44_850_000_000 });
    await database.execScript('truncate copied');
  });

  it('refuses a value of the wrong kind with the column named, and keeps the other rows whole', async () => {
    const rows = new CopyRows({ id: 'uuid', n: 'int4', at: 'timestamptz', d: 'date' });
    rows.add([null, 1, null, null]);
    expect(() => rows.add(['not-a-uuid', 1, null, null])).toThrow(/column id \(uuid\): cannot send string not-a-uuid/);
    expect(() => rows.add([null, 1.5, null, null])).toThrow(/column n \(int4\)/);
    expect(() => rows.add([null, 1, 'yesterday', null])).toThrow(/column at \(timestamptz\)/);
    expect(() => rows.add([null, 1, null, '5/10/2026'])).toThrow(/column d \(date\)/);
    expect(() => rows.add([null, 1])).toThrow(/2 values for 4 columns/);
    rows.add([null, 2, null, null]);
    expect(rows.count).toBe(2);
    await database.execScript('create table refused (id uuid, n int, at timestamptz, d date)');
    await database.copyRows('refused', rows.columns, rows.finish());
    const got = await sql<{ n: number }>`select n from refused order by n`.execute(database.db);
    expect(got.rows.map((r) => r.n)).toEqual([1, 2]);
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
    const one = new CopyRows({ t: 'text' });
    one.add(['copied meanwhile']);
    const copying = database.copyRows('copied', one.columns, one.finish());
    await new Promise((r) => setTimeout(r, 100));
    release();
    expect(await tx).toBe('rolled back on purpose');
    await copying;
    const got = await sql<{ t: string }>`select t from copied where t in ('inside the transaction', 'copied meanwhile')`.execute(
      database.db,
    );
    expect(got.rows.map((r) => r.t)).toEqual(['copied meanwhile']);
  });
});
