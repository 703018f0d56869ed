import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { minimalXlsx, sheetXml, zip } from '../../../../test/fixtures/lists/zip.ts';
import { readEvents } from './events.ts';
import { DEFAULT_LIMITS, ImportFileError } from './limits.ts';
import { readTable } from './read-table.ts';
import type { RowResult, TableRow } from './types.ts';
import { cellText, numberText, readXlsx } from './xlsx.ts';

const FIXTURES = path.join(import.meta.dirname, '../../../../test/fixtures/lists');
const fixture = (name: string) => path.join(FIXTURES, name);
const VN = 'Asia/Ho_Chi_Minh';
const work = mkdtempSync(path.join(tmpdir(), 'mscore-xlsx-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Writes a buffer to a temporary file and returns its path. */
function temp(name: string, data: Buffer): string {
  const file = path.join(work, name);
  writeFileSync(file, data);
  return file;
}

async function table(file: string, limits = {}): Promise<TableRow[]> {
  const out: TableRow[] = [];
  for await (const r of readTable(file, limits)) out.push(r);
  return out;
}

describe('an Excel export with titles, merged cells, a two-row header, dates and a footer (dossiers.xlsx)', () => {
  it('reads the first visible, non-empty sheet; dates as local ISO text, numbers as plain text', async () => {
    const rows = await table(fixture('dossiers.xlsx'));
    // The hidden lookup sheet and the empty sheet before the list are skipped.
    expect(rows.slice(0, 5)).toEqual([
      { row: 1, cells: ['UBND HUYỆN ĐAKRÔNG'] },
      { row: 2, cells: ['DANH SÁCH HỒ SƠ ĐÃ TRẢ KẾT QUẢ THÁNG 10/2026'] },
      { row: 4, cells: ['STT', 'Mã hồ sơ', 'Thủ tục', 'Ngày', '', '', '', 'Người nộp', '', 'Trạng thái', 'Hình thức nộp'] },
      { row: 5, cells: ['', '', '', 'Tiếp nhận', 'Hẹn trả', 'Hẹn lại', 'Trả kết quả', 'Họ tên', 'Điện thoại'] },
      {
        row: 6,
        cells: [
          '1',
          '000.00.12.H50-261001-0001',
          'Đăng ký khai sinh',
          '2026-10-01T08:30:00',
          '2026-10-03',
          '',
          '2026-10-02T15:00:00',
          'Hồ Văn Nam',
          '912345678',
          'Đã trả kết quả',
          'Trực tiếp',
        ],
      },
    ]);
    expect(rows[5]?.cells.slice(3, 5)).toEqual(['46300.375', '46302']);
    expect(rows.map((r) => r.row)).toEqual([1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 19]);
  });

  it('gives the exact events and errors', async () => {
    const { header, rows } = await readEvents(fixture('dossiers.xlsx'), { timeZone: VN });
    const results: RowResult[] = [];
    for await (const r of rows) results.push(r);
    expect(header).toEqual({
      headerRow: 5,
      headers: [
        'STT',
        'Mã hồ sơ',
        'Thủ tục',
        'Ngày Tiếp nhận',
        'Ngày Hẹn trả',
        'Ngày Hẹn lại',
        'Ngày Trả kết quả',
        'Họ tên',
        'Điện thoại',
        'Trạng thái',
        'Hình thức nộp',
      ],
      mapping: {
        1: 'externalId',
        2: 'service',
        3: 'receivedAt',
        4: 'dueAt',
        5: 'promisedAt',
        6: 'returnedAt',
        7: 'name',
        8: 'phone',
        9: 'status',
        10: 'channel',
      },
      unmapped: [],
    });
    const nam = { name: 'Hồ Văn Nam', phone: '0912345678', phoneKind: 'mobile' };
    expect(results).toEqual([
      {
        row: 6,
        event: {
          row: 6,
          externalId: '000.00.12.H50-261001-0001',
          kind: 'dossier',
          service: 'Đăng ký khai sinh',
          receivedAt: '2026-10-01T01:30:00.000Z',
          dueAt: '2026-10-02T17:00:00.000Z',
          returnedAt: '2026-10-02T08:00:00.000Z',
          status: 'returned',
          channel: 'counter',
          citizen: nam,
        },
        errors: [],
      },
      {
        row: 7,
        event: {
          row: 7,
          externalId: '000.00.12.H50-261005-0002',
          kind: 'dossier',
          service: 'Chứng thực bản sao',
          receivedAt: '2026-10-05T02:00:00.000Z', // serial 46300.375 = 05/10/2026 09:00
          dueAt: '2026-10-06T17:00:00.000Z', // serial 46302 = 07/10/2026
          returnedAt: '2026-10-07T03:15:00.000Z',
          status: 'returned',
          channel: 'online',
          citizen: { name: 'Trần Thị Mai', phone: '0987654321', phoneKind: 'mobile' },
        },
        errors: [],
      },
      {
        row: 8,
        event: {
          row: 8,
          externalId: '000.00.12.H50-261005-0003',
          kind: 'dossier',
          service: 'Cấp phiếu lý lịch tư pháp',
          receivedAt: '2026-10-04T17:00:00.000Z',
          dueAt: '2026-10-11T17:00:00.000Z',
          promisedAt: '2026-10-14T17:00:00.000Z',
          status: 'processing',
          channel: 'online',
          citizen: { name: 'NGUYỄN THỊ HOA', phone: '0351234567', phoneKind: 'mobile' },
        },
        errors: [],
      },
      {
        row: 9,
        errors: [
          {
            row: 9,
            column: 'Mã hồ sơ',
            code: 'row.external_id_missing',
            message: 'the row has no code (dossier or patient number)',
          },
        ],
      },
      {
        row: 10,
        event: {
          row: 10,
          externalId: '000.00.12.H50-261013-0005',
          kind: 'dossier',
          service: 'Đăng ký khai tử',
          status: 'received',
          channel: 'counter',
          citizen: { name: 'Phan Văn Tâm' },
        },
        errors: [
          {
            row: 10,
            column: 'Ngày Tiếp nhận',
            code: 'date.invalid',
            message: '"10/13/2026" is not a date written day/month/year',
          },
          {
            row: 10,
            column: 'Ngày Hẹn trả',
            code: 'date.out_of_range',
            message: '"1999-10-20" is outside the years 2000 to 2100',
          },
          { row: 10, column: 'Trạng thái', code: 'status.invalid', message: 'unknown status "Chờ xem xét"' },
        ],
      },
      {
        row: 6,
        errors: [
          { row: 6, column: 'Mã hồ sơ', code: 'row.duplicate', message: 'the same code is on row 11 too; the later row is kept' },
        ],
      },
      {
        row: 11,
        event: {
          row: 11,
          externalId: '000.00.12.H50-261001-0001',
          kind: 'dossier',
          service: 'Đăng ký khai sinh',
          receivedAt: '2026-10-01T01:30:00.000Z',
          dueAt: '2026-10-02T17:00:00.000Z',
          returnedAt: '2026-10-02T09:00:00.000Z',
          status: 'returned',
          channel: 'counter',
          citizen: nam,
        },
        errors: [],
      },
    ]);
  });
});

describe('hostile workbooks', () => {
  it('refuses a zip bomb by its declared size (zip-bomb.xlsx: 48 MB of zeros in 50 KB)', async () => {
    await expect(table(fixture('zip-bomb.xlsx'), { maxUnpackedBytes: 32 * 1024 * 1024 })).rejects.toMatchObject({
      code: 'import.zip_bomb',
    });
  });

  it('refuses an entry that inflates past the size it declares (zip-bomb-lying.xlsx)', async () => {
    await expect(table(fixture('zip-bomb-lying.xlsx'))).rejects.toMatchObject({
      code: 'import.zip_bomb',
      message: expect.stringContaining('declared size'),
    });
  });

  it('refuses too many entries', async () => {
    const entries = Array.from({ length: 201 }, (_, i) => ({ name: `xl/media/image${i}.png`, data: 'x' }));
    const file = temp('many.xlsx', minimalXlsx(sheetXml([['Mã hồ sơ', 'Thủ tục']]), entries));
    await expect(table(file)).rejects.toMatchObject({ code: 'import.zip_bomb', message: expect.stringContaining('206 entries') });
    expect(await table(file, { maxZipEntries: 300 })).toHaveLength(1);
  });

  it('never expands XML entities, external or internal (xxe.xlsx): the workbook is refused', async () => {
    const err = await table(fixture('xxe.xlsx')).catch((e: unknown) => e as Error);
    expect(err).toMatchObject({ code: 'import.malformed', message: expect.stringContaining('undefined entity') });
    expect((err as Error).message).not.toMatch(/root:|EXPANDED/);
    // The same workbook without the entities reads fine.
    const plain = temp(
      'plain.xlsx',
      minimalXlsx(
        sheetXml([
          ['Mã hồ sơ', 'Thủ tục', 'Họ tên'],
          ['H1', 'internal', 'xxe'],
        ]),
      ),
    );
    expect(await table(plain)).toEqual([
      { row: 1, cells: ['Mã hồ sơ', 'Thủ tục', 'Họ tên'] },
      { row: 2, cells: ['H1', 'internal', 'xxe'] },
    ]);
  });

  it('reads only entries listed in the central directory, not hidden local ones', async () => {
    const hidden = {
      name: 'xl/worksheets/sheet1.xml',
      data: sheetXml([
        ['Mã hồ sơ', 'Thủ tục'],
        ['HIDDEN', 'x'],
      ]),
      unlisted: true,
    };
    const file = temp(
      'hidden.xlsx',
      minimalXlsx(
        sheetXml([
          ['Mã hồ sơ', 'Thủ tục'],
          ['LISTED', 'y'],
        ]),
        [hidden],
      ),
    );
    expect(await table(file)).toEqual([
      { row: 1, cells: ['Mã hồ sơ', 'Thủ tục'] },
      { row: 2, cells: ['LISTED', 'y'] },
    ]);
  });

  it('refuses a zip that is not a workbook, and a broken one', async () => {
    const docx = temp('letter.xlsx', zip([{ name: 'word/document.xml', data: '<w:document/>' }]));
    await expect(table(docx)).rejects.toMatchObject({ code: 'import.file_type' });
    const broken = temp('broken.xlsx', minimalXlsx(sheetXml([['Mã hồ sơ']])).subarray(0, 400));
    await expect(table(broken)).rejects.toMatchObject({ code: 'import.file_type' });
  });

  it('streams without temporary files, also when the workbook has no shared strings', async () => {
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith('tmp-')).length;
    const file = temp(
      'inline.xlsx',
      minimalXlsx(
        sheetXml([
          ['Mã hồ sơ', 'Thủ tục'],
          ['H1', 'Khai sinh'],
        ]),
      ),
    );
    expect(await table(file)).toHaveLength(2);
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('tmp-')).length).toBe(before);
  });
});

describe('a limit reached while a workbook is read', () => {
  /** Reads dossiers.xlsx with a clock that runs out at its `k`-th look; the error, if any. */
  async function readUntil(k: number): Promise<{ error?: unknown; looks: number }> {
    let looks = 0;
    const check = () => {
      if (++looks === k) throw new ImportFileError('import.timeout', 'out of time');
    };
    try {
      for await (const _ of readXlsx(fixture('dossiers.xlsx'), DEFAULT_LIMITS, check));
      return { looks };
    } catch (error) {
      return { error, looks };
    }
  }

  it('fails at once, whether checking, inflating or parsing, and never hangs', async () => {
    const { looks } = await readUntil(0);
    expect(looks).toBeGreaterThan(10);
    for (let k = 1; k <= looks; k++) {
      expect((await readUntil(k)).error, `look ${k}`).toMatchObject({ code: 'import.timeout' });
    }
  });
});

describe('cellText', () => {
  it('renders every kind of cell value as display text', () => {
    expect(cellText(null)).toBe('');
    expect(cellText('a')).toBe('a');
    expect(cellText(912345678)).toBe('912345678');
    expect(cellText(true)).toBe('TRUE');
    expect(cellText(new Date(Date.UTC(2026, 9, 5)))).toBe('2026-10-05');
    expect(cellText(new Date(Date.UTC(2026, 9, 5, 8, 30, 0, 999)))).toBe('2026-10-05T08:30:01');
    expect(cellText({ richText: [{ text: 'Nguyễn ' }, { text: 'Văn An' }] })).toBe('Nguyễn Văn An');
    expect(cellText({ formula: 'A1+1', result: 46300 })).toBe('46300');
    expect(cellText({ error: '#N/A' } as never)).toBe('#N/A');
    expect(cellText({ text: 'link', hyperlink: 'http://x' })).toBe('link');
  });

  it('writes numbers without exponent or float noise', () => {
    expect(numberText(84912345678)).toBe('84912345678');
    expect(numberText(0.1 + 0.2)).toBe('0.3');
    expect(numberText(46300.375)).toBe('46300.375');
    expect(numberText(Number.NaN)).toBe('');
  });
});
