import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readEvents } from './events.ts';
import { detectHeader } from './header.ts';
import { parseRows } from './rows.ts';
import type { RowResult, TableRow } from './types.ts';

const VN = 'Asia/Ho_Chi_Minh';

async function* stream(rows: TableRow[]): AsyncGenerator<TableRow> {
  yield* rows;
}

/** Results of a table given as arrays of cells, numbered from row 1. */
async function parse(cells: string[][], opts: { kind?: 'dossier' | 'outpatient' | 'inpatient'; unit?: string } = {}) {
  const rows = cells.map((c, i) => ({ row: i + 1, cells: c }));
  const header = detectHeader(rows);
  if (!header) throw new Error('no header');
  const out: RowResult[] = [];
  for await (const r of parseRows(stream(rows), header, { timeZone: VN, ...opts })) out.push(r);
  return out;
}

describe('parseRows', () => {
  it('skips blank rows, row-number-only rows, repeated headers, group headings and the footer', async () => {
    const results = await parse([
      ['STT', 'Mã hồ sơ', 'Thủ tục', 'Họ tên'],
      ['I. LĨNH VỰC HỘ TỊCH'],
      ['1', 'H1', 'Khai sinh', 'An'],
      ['', '', '', ''],
      ['2'],
      ['STT', 'Mã hồ sơ', 'Thủ tục', 'Họ tên'],
      ['', 'Lĩnh vực chứng thực'],
      ['3', 'H3', 'Chứng thực', 'Bình'],
      ['Cộng: 2'],
      ['4', 'H4', 'Kết hôn', 'Cường'],
      ['Tổng cộng', '', '3 hồ sơ'],
      ['', 'NGƯỜI LẬP BIỂU', '', 'THỦ TRƯỞNG ĐƠN VỊ'],
      ['', '(Ký, ghi rõ họ tên)'],
      [],
      ['', 'Lê Văn Tám', '', 'Trần Quốc Toản'],
      ['', '', '', 'Quảng Trị, ngày ... tháng ... năm ...'],
    ]);
    expect(results.map((r) => [r.row, r.event?.externalId, r.errors.length])).toEqual([
      [3, 'H1', 0],
      [8, 'H3', 0],
      [10, 'H4', 0],
    ]);
  });

  it('reports a row without a code, but not the signers after the footer', async () => {
    const results = await parse([
      ['Mã hồ sơ', 'Thủ tục', 'Họ tên'],
      ['', 'Khai sinh', 'An'],
      ['Người lập biểu'],
      ['', '', 'Lê Văn Tám'],
    ]);
    expect(results).toEqual([
      {
        row: 2,
        errors: [
          {
            row: 2,
            column: 'Mã hồ sơ',
            code: 'row.external_id_missing',
            message: 'the row has no code (dossier or patient number)',
          },
        ],
      },
    ]);
  });

  it('names a column by its letter when its header cell is empty', async () => {
    const rows = [
      { row: 1, cells: ['Mã hồ sơ', 'Thủ tục', ''] },
      { row: 2, cells: ['H1', 'Khai sinh', '31/02/2026'] },
    ];
    const header = {
      headerRow: 1,
      headers: ['Mã hồ sơ', 'Thủ tục', ''],
      mapping: { 0: 'externalId', 1: 'service', 2: 'receivedAt' } as const,
    };
    const out: RowResult[] = [];
    for await (const r of parseRows(stream(rows), header, { timeZone: VN })) out.push(r);
    expect(out[0]?.errors).toEqual([
      { row: 2, column: 'C', code: 'date.invalid', message: '"31/02/2026" is not a date written day/month/year' },
    ]);
  });

  it('takes the kind from a kind column, then from the options, then from the headers', async () => {
    const cells = [
      ['Mã BN', 'Ngày khám', 'Loại KCB'],
      ['B1', '01/10/2026', 'Nội trú'],
      ['B2', '01/10/2026', ''],
      ['B3', '01/10/2026', 'Khám sức khỏe'],
    ];
    expect((await parse(cells)).map((r) => r.event?.kind)).toEqual(['inpatient', 'outpatient', 'outpatient']);
    const withKind = await parse(cells, { kind: 'dossier' });
    expect(withKind.map((r) => r.event?.kind)).toEqual(['inpatient', 'dossier', 'dossier']);
    expect(withKind[2]?.errors).toEqual([
      { row: 4, column: 'Loại KCB', code: 'kind.invalid', message: 'unknown kind "Khám sức khỏe" (hồ sơ, ngoại trú or nội trú)' },
    ]);
  });

  it('infers the status from the return date when the column is missing or blank', async () => {
    const results = await parse([
      ['Mã hồ sơ', 'Ngày tiếp nhận', 'Ngày trả kết quả', 'Trạng thái'],
      ['H1', '01/10/2026 08:00', '01/10/2026', ''],
      ['H2', '01/10/2026 08:00', '', ''],
      ['H3', '01/10/2026 08:00', '', 'Hủy'],
    ]);
    // A return date without a time stands for the whole day: not before 08:00 that day.
    expect(results.map((r) => [r.event?.status, r.event?.returnedAt, r.errors])).toEqual([
      ['returned', '2026-09-30T17:00:00.000Z', []],
      ['received', undefined, []],
      ['cancelled', undefined, []],
    ]);
  });

  it('keeps the first mobile number of a cell, and a landline when there is no mobile', async () => {
    const results = await parse([
      ['Mã hồ sơ', 'Số điện thoại'],
      ['H1', '0233 3852 123 / 0912 345 678'],
      ['H2', '0233 3852 123'],
      ['H3', '912345678'],
      ['H4', 'số cũ'],
    ]);
    expect(results.map((r) => [r.event?.citizen, r.errors.map((e) => e.code)])).toEqual([
      [{ phone: '0912345678', phoneKind: 'mobile' }, []],
      [{ phone: '02333852123', phoneKind: 'landline' }, []],
      [{ phone: '0912345678', phoneKind: 'mobile' }, []],
      [undefined, ['phone.invalid']],
    ]);
  });

  it('counts a code once per unit when the file has a unit column', async () => {
    const results = await parse([
      ['Mã đơn vị', 'Mã hồ sơ', 'Thủ tục'],
      ['U1', 'H1', 'a'],
      ['U2', 'H1', 'b'],
      ['U1', 'H1', 'c'],
    ]);
    expect(results.map((r) => [r.row, r.event?.unit, r.errors.map((e) => e.code)])).toEqual([
      [2, 'U1', []],
      [3, 'U2', []],
      [2, undefined, ['row.duplicate']],
      [4, 'U1', []],
    ]);
  });
});

describe('readEvents', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'mscore-events-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('applies a given mapping to a file whose headers are not recognised', async () => {
    const file = path.join(work, 'custom.csv');
    writeFileSync(file, 'Số phiếu,Nội dung,Khách\nP-1,Khai sinh,Nguyễn Văn An\n');
    const { header, rows } = await readEvents(file, {
      timeZone: VN,
      unit: 'UB',
      mapping: { 0: 'externalId', 1: 'service', 2: 'name' },
    });
    expect(header).toEqual({
      headerRow: 1,
      headers: ['Số phiếu', 'Nội dung', 'Khách'],
      mapping: { 0: 'externalId', 1: 'service', 2: 'name' },
      unmapped: [],
    });
    const out: RowResult[] = [];
    for await (const r of rows) out.push(r);
    expect(out).toEqual([
      {
        row: 2,
        event: {
          row: 2,
          externalId: 'P-1',
          unit: 'UB',
          kind: 'dossier',
          service: 'Khai sinh',
          status: 'received',
          citizen: { name: 'Nguyễn Văn An' },
        },
        errors: [],
      },
    ]);
  });
});
