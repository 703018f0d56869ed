// List imports over HTTP and from the command line: preview, corrected
// mapping saved per unit, good rows kept and bad rows reported, idempotency.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImportReport, importEventsFile } from '../../../src/modules/events/commands/import-file.ts';
import { backend, type Client, SECRET, startTestPlatform, type TestPlatform } from '../../support/platform.ts';

let tp: TestPlatform;
let admin: Client;
const dir = mkdtempSync(path.join(tmpdir(), 'mscore-import-'));
beforeAll(async () => {
  tp = await startTestPlatform();
  admin = await tp.admin();
});
afterAll(async () => tp?.stop());

const LIST = [
  'UBND HUYỆN HƯỚNG HÓA,,,,,',
  'DANH SÁCH HỒ SƠ THÁNG 10/2026,,,,,',
  'STT,Số phiếu,Ngày tiếp nhận,Ngày hẹn trả,Ngày trả kết quả,Họ tên,Số điện thoại',
  '1,HH-1,01/10/2026,05/10/2026,04/10/2026 10:00,Hồ Văn A,0912 345 001',
  '2,HH-2,02/10/2026,06/10/2026,,Pả Thị B,',
  '3,HH-3,02/10/2026,06/10/2026,07/10/2026,Kê C,12345',
  '4,,02/10/2026,06/10/2026,,Không mã,0912345004',
  '5,HH-5,32/10/2026,06/10/2026,,Sai ngày,0912345005',
  ',,,,,,',
  'Người lập biểu,,,,,,',
].join('\r\n');

const tenantId = async () => (await tp.ctx.db.selectFrom('tenants').select('id').executeTakeFirstOrThrow()).id;

function upload(content: string | Uint8Array, fields: Record<string, string>, name = 'list.csv') {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  f.append('file', new Blob([content as Uint8Array<ArrayBuffer> | string]), name);
  return f;
}

describe('list import', () => {
  it('previews the layout; an unknown id header is offered unmapped and blocks the import until mapped', async () => {
    const p = await admin.post('/api/v1/imports/preview', upload(LIST, { unit: 'QT-HH-MC' }));
    expect(p.status).toBe(200);
    expect(p.body).toMatchObject({ headerRow: 3, profile: false });
    expect(Object.values(p.body.mapping)).not.toContain('externalId');
    expect(p.body.unmapped).toContain('Số phiếu');
    const blocked = await admin.post('/api/v1/imports', upload(LIST, { unit: 'QT-HH-MC' }));
    expect(blocked.status).toBe(422);
    expect(blocked.body.code).toBe('import.no_header');
    const known = LIST.replace('Số phiếu', 'Mã hồ sơ');
    const ok = await admin.post('/api/v1/imports/preview', upload(known, { unit: 'QT-HH-MC' }));
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ headerRow: 3, kind: 'dossier', profile: false });
    expect(ok.body.mapping).toMatchObject({
      1: 'externalId',
      2: 'receivedAt',
      3: 'dueAt',
      4: 'returnedAt',
      5: 'name',
      6: 'phone',
    });
    expect(ok.body.sample[0]).toEqual({
      row: 4,
      cells: ['1', 'HH-1', '01/10/2026', '05/10/2026', '04/10/2026 10:00', 'Hồ Văn A', '0912 345 001'],
    });
  });

  it('imports with a corrected mapping: good rows kept, bad rows reported by spreadsheet row and column', async () => {
    const mapping = JSON.stringify({
      headerRow: 3,
      mapping: { 1: 'externalId', 2: 'receivedAt', 3: 'dueAt', 4: 'returnedAt', 5: 'name', 6: 'phone' },
    });
    const r = await admin.post('/api/v1/imports', upload(LIST, { unit: 'QT-HH-MC', mapping, saveProfile: 'true' }));
    expect(r.status).toBe(200);
    // Row 8 keeps its good cells; only its impossible date is dropped and reported.
    expect(r.body).toMatchObject({ rows: 5, accepted: 4, updated: 0, unchanged: 0, rejected: 1, headerRow: 3, kind: 'dossier' });
    const errs = (r.body.errors as { row: number; column: string; code: string }[]).map((e) => `${e.row}:${e.column}:${e.code}`);
    expect(errs).toEqual(
      expect.arrayContaining([
        '6:Số điện thoại:phone.invalid',
        '7:Số phiếu:row.external_id_missing',
        '8:Ngày tiếp nhận:date.invalid',
      ]),
    );
    expect(JSON.stringify(r.body.errors)).not.toContain('12345');
    expect(r.body.quality).toEqual({ rows: 4, validMobile: 2, withName: 4, withReturnDate: 2 });
    const events = (await admin.get('/api/v1/events?unit=QT-HH-MC')).body.items as {
      externalId: string;
      phoneMasked: string | null;
    }[];
    expect(events.map((e) => e.externalId).sort()).toEqual(['HH-1', 'HH-2', 'HH-3', 'HH-5']);
    expect(events.find((e) => e.externalId === 'HH-1')?.phoneMasked).toBe('091***5001');
  });

  it('reuses the saved mapping for the same layout, and a second import changes nothing', async () => {
    const p = await admin.post('/api/v1/imports/preview', upload(LIST, { unit: 'QT-HH-MC' }));
    expect(p.status).toBe(200);
    expect(p.body.profile).toBe(true);
    const before = await tp.ctx.db.selectFrom('service_events').select(['id', 'updated_at']).orderBy('id').execute();
    const r = await admin.post('/api/v1/imports', upload(LIST, { unit: 'QT-HH-MC' }));
    expect(r.body).toMatchObject({ accepted: 0, updated: 0, unchanged: 4, rejected: 1 });
    const after = await tp.ctx.db.selectFrom('service_events').select(['id', 'updated_at']).orderBy('id').execute();
    expect(after).toEqual(before);
  });

  it('keeps the import history with each report', async () => {
    const list = (await admin.get('/api/v1/imports')).body as {
      id: string;
      status: string;
      accepted: number;
      unchanged: number;
    }[];
    expect(list.length).toBeGreaterThanOrEqual(2);
    expect(list[0]).toMatchObject({ status: 'done', accepted: 0, unchanged: 4 });
    const one = await admin.get(`/api/v1/imports/${list[1]?.id}`);
    expect(one.body).toMatchObject({ accepted: 4, rejected: 1, headerRow: 3 });
    expect(one.body.errors).toHaveLength(3);
  });

  it('refuses what is not a list, and a foreign unit, writing nothing', async () => {
    const pngBytes = new Uint8Array([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1,
    ]);
    const png = await admin.post('/api/v1/imports', upload(pngBytes, { unit: 'QT-HH-MC' }, 'photo.png'));
    expect(png.status).toBe(422);
    expect(png.body.code).toBe('import.file_type');
    const none = await admin.post('/api/v1/imports', upload(LIST.replace('Số phiếu', 'Mã hồ sơ'), {}));
    expect(none.status).toBe(422);
    expect(none.body.code).toBe('import.unit_missing');
    const missing = new FormData();
    missing.append('unit', 'QT-HH-MC');
    expect((await admin.post('/api/v1/imports', missing)).body.code).toBe('import.file_missing');
    const badMapping = await admin.post(
      '/api/v1/imports',
      upload(LIST, { unit: 'QT-HH-MC', mapping: '{"mapping":{"1":"colour"}}' }),
    );
    expect(badMapping.status).toBe(400);
    expect(badMapping.body.code).toBe('import.mapping_invalid');
  });

  it('`mscore import --json` prints the same report', async () => {
    const file = path.join(dir, 'cli.csv');
    writeFileSync(file, LIST.replace('Số phiếu', 'Mã hồ sơ').replaceAll('HH-', 'CLI-'));
    const env = {
      ...process.env,
      MSCORE_SECRET_KEY: SECRET,
      ...(backend === 'postgres' ? { DATABASE_URL: tp.config.databaseUrl } : { MSCORE_DATA_DIR: tp.config.dataDir }),
    };
    const { stdout } = await promisify(execFile)('bin/mscore', ['import', file, '--unit', 'QT-HH-MC', '--json'], {
      env: env as NodeJS.ProcessEnv,
    });
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ rows: 5, accepted: 4, rejected: 1, quality: { rows: 4, validMobile: 2 } });
    expect(report.errors.map((e: { row: number }) => e.row)).toEqual([6, 7, 8]);
  });

  it('gives the same report whether the file is prepared on a worker thread or on this one', async () => {
    const rows = Array.from({ length: 4500 }, (_, i) =>
      [
        i + 1,
        `W-${i % 4400}`,
        '01/10/2026',
        '05/10/2026',
        i % 3 ? '04/10/2026' : '',
        `Người ${i}`,
        i % 5 ? `0912${String(i).padStart(6, '0')}` : 'x',
      ].join(','),
    );
    const file = path.join(dir, 'worker.csv');
    writeFileSync(file, [LIST.split('\r\n').slice(0, 3).join('\r\n').replace('Số phiếu', 'Mã hồ sơ'), ...rows].join('\r\n'));
    const run = async (unit: string, secretKey?: string) =>
      importEventsFile(tp.ctx.db, tp.ctx.vault, {
        tenantId: await tenantId(),
        timeZone: 'Asia/Ho_Chi_Minh',
        actor: { type: 'cli', name: 'test' },
        scope: { all: true },
        file,
        filename: 'worker.csv',
        unit,
        ...(secretKey ? { secretKey } : {}),
      });
    const here = await run('QT-CL-MC');
    const worker = await run('QT-TP-MC', SECRET);
    const strip = (r: ImportReport) => ({ ...r, id: '', unit: '' });
    expect(strip(worker)).toEqual(strip(here));
    // 100 codes come twice: the later row wins, the earlier is reported
    expect(worker).toMatchObject({ rows: 4500, accepted: 4400 });
    expect(worker.errorCount).toBeGreaterThanOrEqual(100);
    // the stored events are the same too, but for their unit
    const stored = await sql<{ unit: string; n: number; h: string }>`
      select u.code as unit, count(*)::int as n, md5(string_agg(e.external_id || e.status || coalesce(e.phone_kind, '') || e.period, ',' order by e.external_id)) as h
      from service_events e join units u on u.id = e.unit_id where u.code in ('QT-CL-MC', 'QT-TP-MC') group by u.code`.execute(
      tp.ctx.db,
    );
    expect(stored.rows[0]?.n).toBe(4400);
    expect(stored.rows[0]?.h).toBe(stored.rows[1]?.h);
  });

  it('stops a file over the limits on the worker thread, with the reason, and marks the import failed', async () => {
    const file = path.join(dir, 'limit.csv');
    // past the first rows the header is read from, so the worker is the one that counts too many
    const many = Array.from({ length: 100 }, (_, i) => `${i + 1},L-${i},01/10/2026,05/10/2026,,Người ${i},`);
    writeFileSync(file, [LIST.split('\r\n').slice(0, 3).join('\r\n').replace('Số phiếu', 'Mã hồ sơ'), ...many].join('\r\n'));
    const failed = importEventsFile(tp.ctx.db, tp.ctx.vault, {
      tenantId: await tenantId(),
      timeZone: 'Asia/Ho_Chi_Minh',
      actor: { type: 'cli', name: 'test' },
      scope: { all: true },
      file,
      filename: 'limit.csv',
      unit: 'QT-HH-MC',
      limits: { maxRows: 50 },
      secretKey: SECRET,
    });
    await expect(failed).rejects.toMatchObject({ status: 422, code: 'import.too_many_rows' });
    const last = await tp.ctx.db
      .selectFrom('import_batches')
      .select(['status', 'failure'])
      .where('filename', '=', 'limit.csv')
      .execute();
    expect(last).toEqual([{ status: 'failed', failure: 'import.too_many_rows' }]);
  });
});
