import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectDelimiter, splitRecords } from './csv.ts';
import { readEvents } from './events.ts';
import { ImportFileError } from './limits.ts';
import { readTable } from './read-table.ts';
import type { RowResult } from './types.ts';

const FIXTURES = path.join(import.meta.dirname, '../../../../test/fixtures/lists');
const fixture = (name: string) => path.join(FIXTURES, name);
const VN = 'Asia/Ho_Chi_Minh';

async function read(name: string, opts: { unit?: string } = {}) {
  const { header, rows } = await readEvents(fixture(name), { timeZone: VN, ...opts });
  const results: RowResult[] = [];
  for await (const r of rows) results.push(r);
  return { header, results };
}

describe('comma-separated UTF-8 without a byte-order mark (dossiers-comma.csv)', () => {
  it('reads quoted cells with commas, quotes and a line break; numbers rows as Excel shows them', async () => {
    const table = [];
    for await (const r of readTable(fixture('dossiers-comma.csv'))) table.push(r);
    expect(table[0]).toEqual({ row: 1, cells: ['UBND HUYỆN ĐAKRÔNG', '', '', '', '', '', '', '', '', '', ''] });
    expect(table[4]?.row).toBe(5);
    expect(table[4]?.cells.slice(2, 3)).toEqual(['Đăng ký khai sinh "có yếu tố nước ngoài"']);
    expect(table[4]?.cells[9]).toBe('Trần Thị\r\nBình');
    expect(table[5]?.row).toBe(6);
    expect(table).toHaveLength(16);
  });

  it('gives the exact events and errors', async () => {
    const { header, results } = await read('dossiers-comma.csv');
    expect(header).toEqual({
      headerRow: 3,
      headers: [
        'STT',
        'Mã hồ sơ',
        'Thủ tục',
        'Ngày tiếp nhận',
        'Ngày hẹn trả',
        'Ngày trả kết quả',
        'Trạng thái',
        'Hình thức nộp',
        'Số điện thoại',
        'Họ tên',
        'Giới tính',
      ],
      mapping: {
        1: 'externalId',
        2: 'service',
        3: 'receivedAt',
        4: 'dueAt',
        5: 'returnedAt',
        6: 'status',
        7: 'channel',
        8: 'phone',
        9: 'name',
        10: 'gender',
      },
      unmapped: [],
    });
    const an = { name: 'Nguyễn Văn An', phone: '0912345678', phoneKind: 'mobile', gender: 'male' };
    expect(results).toEqual([
      {
        row: 4,
        event: {
          row: 4,
          externalId: 'H50.12-261001-0001',
          kind: 'dossier',
          service: 'Chứng thực bản sao từ bản chính, giấy tờ',
          receivedAt: '2026-10-01T01:30:00.000Z',
          dueAt: '2026-10-02T17:00:00.000Z',
          returnedAt: '2026-10-02T08:00:00.000Z',
          status: 'returned',
          channel: 'counter',
          citizen: an,
        },
        errors: [],
      },
      {
        row: 5,
        event: {
          row: 5,
          externalId: 'H50.12-261001-0002',
          kind: 'dossier',
          service: 'Đăng ký khai sinh "có yếu tố nước ngoài"',
          receivedAt: '2026-10-01T02:15:00.000Z',
          dueAt: '2026-10-05T17:00:00.000Z',
          status: 'processing',
          channel: 'online',
          citizen: { name: 'Trần Thị Bình', phone: '0912345678', phoneKind: 'mobile', gender: 'female' },
        },
        errors: [],
      },
      {
        row: 6,
        event: {
          row: 6,
          externalId: 'H50.12-261002-0003',
          kind: 'dossier',
          service: 'Cấp bản sao trích lục hộ tịch',
          receivedAt: '2026-10-01T17:00:00.000Z',
          dueAt: '2026-10-04T17:00:00.000Z',
          returnedAt: '2026-10-04T17:00:00.000Z',
          status: 'returned',
          channel: 'online',
          // a landline first, then a mobile: the mobile one wins
          citizen: { name: 'Lê Văn Cường', phone: '0905123456', phoneKind: 'mobile', gender: 'male' },
        },
        errors: [],
      },
      {
        row: 7,
        event: {
          row: 7,
          externalId: 'H50.12-261002-0004',
          kind: 'dossier',
          service: 'Đăng ký kết hôn',
          receivedAt: '2026-10-02T07:00:00.000Z',
          status: 'returned',
          channel: 'counter',
          citizen: { name: 'Hồ Thị Dung', phone: '0351234567', phoneKind: 'mobile', gender: 'female' },
        },
        errors: [
          { row: 7, column: 'Ngày trả kết quả', code: 'date.order', message: 'the return date is before the date received' },
        ],
      },
      {
        row: 8,
        errors: [
          {
            row: 8,
            column: 'Mã hồ sơ',
            code: 'row.external_id_missing',
            message: 'the row has no code (dossier or patient number)',
          },
        ],
      },
      {
        row: 9,
        event: {
          row: 9,
          externalId: 'H50.12-261003-0006',
          kind: 'dossier',
          service: 'Thay đổi hộ tịch',
          receivedAt: '2026-10-02T17:00:00.000Z',
          dueAt: '2026-10-03T17:00:00.000Z',
          status: 'received',
          citizen: { name: 'Võ Thị Phương' },
        },
        errors: [
          { row: 9, column: 'Trạng thái', code: 'status.invalid', message: 'unknown status "Tạm dừng"' },
          {
            row: 9,
            column: 'Hình thức nộp',
            code: 'channel.invalid',
            message: 'unknown channel "Bưu điện" (trực tiếp or trực tuyến)',
          },
          {
            row: 9,
            column: 'Số điện thoại',
            code: 'phone.invalid',
            message: 'invalid phone number (số điện thoại không hợp lệ)',
          },
          { row: 9, column: 'Giới tính', code: 'gender.invalid', message: 'unknown gender "Không rõ" (nam, nữ or khác)' },
        ],
      },
      {
        row: 4,
        errors: [
          { row: 4, column: 'Mã hồ sơ', code: 'row.duplicate', message: 'the same code is on row 10 too; the later row is kept' },
        ],
      },
      {
        row: 10,
        event: {
          row: 10,
          externalId: 'H50.12-261001-0001',
          kind: 'dossier',
          service: 'Chứng thực bản sao từ bản chính, giấy tờ',
          receivedAt: '2026-10-01T01:30:00.000Z',
          dueAt: '2026-10-02T17:00:00.000Z',
          returnedAt: '2026-10-02T09:00:00.000Z',
          status: 'returned',
          channel: 'counter',
          citizen: { ...an, phone: '0381234567' }, // 0168… is now 038…
        },
        errors: [],
      },
      {
        row: 11,
        errors: [
          { row: 11, column: 'Mã hồ sơ', code: 'row.external_id_invalid', message: 'the code is longer than 100 characters' },
        ],
      },
    ]);
  });

  it('never puts the digits of a phone number in an error', async () => {
    const { results } = await read('dossiers-comma.csv');
    const messages = results.flatMap((r) => r.errors.map((e) => e.message)).join('\n');
    expect(messages).not.toMatch(/12345/);
  });
});

describe('semicolon-separated UTF-8 with a byte-order mark, headers without accents (dossiers-semicolon-bom.csv)', () => {
  it('gives the exact events and errors', async () => {
    const { header, results } = await read('dossiers-semicolon-bom.csv');
    expect(header).toEqual({
      headerRow: 4,
      headers: [
        'TT',
        'Ma HS',
        'Ten thu tuc',
        'Ngay nhan',
        'Hen tra',
        'Ngay tra KQ',
        'Tinh trang',
        'Ngay hen lai',
        'DT',
        'Ho va ten',
        'Dan toc',
        'Linh vuc',
      ],
      mapping: {
        1: 'externalId',
        2: 'service',
        3: 'receivedAt',
        4: 'dueAt',
        5: 'returnedAt',
        6: 'status',
        7: 'promisedAt',
        8: 'phone',
        9: 'name',
        10: 'ethnicMinority',
      },
      unmapped: ['Linh vuc'],
    });
    expect(results).toEqual([
      {
        row: 5,
        event: {
          row: 5,
          externalId: 'T-0001',
          kind: 'dossier',
          service: 'Cap phieu ly lich tu phap',
          receivedAt: '2026-10-05T01:30:00.000Z', // 05-10-2026 08h30
          dueAt: '2026-10-11T17:00:00.000Z', // 12.10.2026
          returnedAt: '2026-10-09T03:00:00.000Z', // 2026-10-09T10:00:00+07:00
          status: 'returned',
          citizen: { name: 'Ho Van Nam', phone: '0912345678', phoneKind: 'mobile', ethnicMinority: true },
        },
        errors: [],
      },
      {
        row: 6,
        event: {
          row: 6,
          externalId: 'T-0002',
          kind: 'dossier',
          service: 'Cap phieu ly lich tu phap',
          receivedAt: '2026-10-06T07:20:00.000Z',
          dueAt: '2026-10-13T10:00:00.000Z',
          promisedAt: '2026-10-19T17:00:00.000Z',
          status: 'more_documents',
          citizen: { name: 'Nguyen Thi Hoa', phone: '0987654321', phoneKind: 'mobile', ethnicMinority: false },
        },
        errors: [],
      },
      {
        row: 7,
        event: {
          row: 7,
          externalId: 'T-0003',
          kind: 'dossier',
          service: 'Chung thuc chu ky',
          receivedAt: '2026-10-07T12:05:00.000Z', // 7:05 PM
          status: 'processing',
          citizen: { phone: '0987654321', phoneKind: 'mobile', ethnicMinority: true }, // name "x" is a placeholder
        },
        errors: [],
      },
      {
        row: 8,
        event: {
          row: 8,
          externalId: 'T-0004',
          kind: 'dossier',
          service: 'Chung thuc chu ky',
          status: 'cancelled',
          citizen: { name: 'Tran Van Binh' },
        },
        errors: [
          { row: 8, column: 'Ngay nhan', code: 'date.out_of_range', message: '"08/10/1999" is outside the years 2000 to 2100' },
        ],
      },
      {
        row: 9,
        event: {
          row: 9,
          externalId: 'T-0005',
          kind: 'dossier',
          service: 'Chung thuc ban sao; sao y',
          receivedAt: '2026-10-08T17:00:00.000Z',
          status: 'received',
        },
        errors: [],
      },
    ]);
  });
});

describe('UTF-16 LE with a byte-order mark, tab-separated: Excel "Unicode text" (outpatients-utf16le.txt)', () => {
  it('reads an outpatient list: kind from the headers, names composed, placeholders dropped', async () => {
    const { header, results } = await read('outpatients-utf16le.txt');
    expect(header).toEqual({
      headerRow: 3,
      headers: ['STT', 'Mã BN', 'Họ tên người bệnh', 'Giới tính', 'Dân tộc', 'Ngày khám', 'Khoa', 'SĐT'],
      mapping: { 1: 'externalId', 2: 'name', 3: 'gender', 4: 'ethnicMinority', 5: 'receivedAt', 6: 'department', 7: 'phone' },
      unmapped: [],
    });
    expect(results).toEqual([
      {
        row: 4,
        event: {
          row: 4,
          externalId: 'BN26-000101',
          kind: 'outpatient',
          receivedAt: '2026-10-01T00:45:00.000Z',
          status: 'received',
          department: 'Khoa Khám bệnh',
          citizen: { name: 'Hồ Thị Lan', phone: '0912345678', phoneKind: 'mobile', gender: 'female', ethnicMinority: true },
        },
        errors: [],
      },
      {
        row: 5,
        event: {
          row: 5,
          externalId: 'BN26-000102',
          kind: 'outpatient',
          receivedAt: '2026-10-01T01:10:00.000Z',
          status: 'received',
          department: 'Khoa Nhi',
          citizen: { name: 'Nguyễn Văn Minh', phone: '0905123456', phoneKind: 'mobile', gender: 'male', ethnicMinority: false },
        },
        errors: [],
      },
      {
        row: 6,
        event: {
          row: 6,
          externalId: 'BN26-000103',
          kind: 'outpatient',
          receivedAt: '2026-10-01T17:00:00.000Z',
          status: 'received',
          department: 'Khoa Nội',
          citizen: { gender: 'female', ethnicMinority: true },
        },
        errors: [],
      },
      {
        row: 7,
        event: {
          row: 7,
          externalId: 'BN26-000104',
          kind: 'outpatient',
          receivedAt: '2026-10-01T17:00:00.000Z',
          status: 'received',
          citizen: { gender: 'female' },
        },
        errors: [],
      },
    ]);
    expect(results[0]?.event?.citizen?.name).toBe('Hồ Thị Lan'.normalize('NFC'));
  });
});

describe('UTF-16 BE with a byte-order mark, tab-separated (inpatients-utf16be.csv)', () => {
  it('reads an inpatient list; a discharge before the admission is an error on the discharge', async () => {
    const { header, results } = await read('inpatients-utf16be.csv');
    expect(header.mapping).toEqual({ 0: 'externalId', 1: 'name', 2: 'receivedAt', 3: 'returnedAt', 4: 'department', 5: 'phone' });
    expect(results).toEqual([
      {
        row: 2,
        event: {
          row: 2,
          externalId: 'NT-2610-001',
          kind: 'inpatient',
          receivedAt: '2026-09-28T15:15:00.000Z',
          returnedAt: '2026-10-03T02:00:00.000Z',
          status: 'returned',
          department: 'Khoa Ngoại',
          citizen: { name: 'Phạm Thị Hương', phone: '0353123456', phoneKind: 'mobile' },
        },
        errors: [],
      },
      {
        row: 3,
        event: {
          row: 3,
          externalId: 'NT-2610-002',
          kind: 'inpatient',
          receivedAt: '2026-10-04T17:00:00.000Z',
          status: 'received',
          department: 'Khoa Nội',
          citizen: { name: 'Lê Văn Hùng', phone: '02333852123', phoneKind: 'landline' },
        },
        errors: [{ row: 3, column: 'Ngày ra viện', code: 'date.order', message: 'the return date is before the date received' }],
      },
      {
        row: 4,
        event: {
          row: 4,
          externalId: 'NT-2610-003',
          kind: 'inpatient',
          receivedAt: '2026-10-10T03:00:00.000Z',
          status: 'received',
          department: 'Khoa Hồi sức',
          citizen: { name: 'Trần Văn Quý' },
        },
        errors: [],
      },
    ]);
  });
});

describe('tab-separated UTF-8 with English headers (english-tab.tsv)', () => {
  it('reads English headers and values; a unit column wins over the default unit', async () => {
    const { header, results } = await read('english-tab.tsv', { unit: 'DK' });
    expect(header.unmapped).toEqual([]);
    expect(results).toEqual([
      {
        row: 2,
        event: {
          row: 2,
          externalId: 'E-1',
          unit: 'DK-UBND',
          kind: 'dossier',
          service: 'Birth registration',
          receivedAt: '2026-10-01T01:00:00.000Z',
          dueAt: '2026-10-02T17:00:00.000Z',
          returnedAt: '2026-10-02T03:30:00.000Z',
          status: 'returned',
          channel: 'counter',
          citizen: { name: 'John Nguyen', phone: '0912345678', phoneKind: 'mobile', gender: 'male', ethnicMinority: false },
        },
        errors: [],
      },
      {
        row: 3,
        event: {
          row: 3,
          externalId: 'E-2',
          unit: 'DK',
          kind: 'dossier',
          service: 'Marriage registration',
          receivedAt: '2026-10-01T17:00:00.000Z',
          dueAt: '2026-10-04T17:00:00.000Z',
          status: 'processing',
          channel: 'online',
          citizen: { name: 'Mai Lan', phone: '0987654321', phoneKind: 'mobile', gender: 'female', ethnicMinority: true },
        },
        errors: [],
      },
    ]);
  });
});

describe('text that is not UTF-8 (windows-1258.csv)', () => {
  it('is refused with import.encoding and a hint to save as UTF-8', async () => {
    const err = await read('windows-1258.csv').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportFileError);
    expect(err).toMatchObject({ code: 'import.encoding', message: expect.stringContaining('CSV UTF-8') });
  });
});

describe('a list without a code column (no-header.csv)', () => {
  it('is refused with import.no_header', async () => {
    await expect(read('no-header.csv')).rejects.toMatchObject({ code: 'import.no_header' });
  });
});

describe('detectDelimiter', () => {
  it('picks the delimiter that splits most lines alike, ignoring quoted ones and titles', () => {
    expect(detectDelimiter('a,b,c\n1,2,3\n')).toBe(',');
    expect(detectDelimiter('TITLE\na;b;c\n1;"2,5";3\n4;5,5;6\n')).toBe(';');
    expect(detectDelimiter('a\tb\tc\n"x, y"\t2\t3\n')).toBe('\t');
    expect(detectDelimiter('"a;b",c\n"d;e",f\n')).toBe(',');
    expect(detectDelimiter('one column\n')).toBe(',');
  });
});

describe('splitRecords across chunk boundaries', () => {
  const text = 'a,"b ""quoted"", c",d\r\n"multi\r\nline",,"x"\r\ne,f"g,h\rlast,"",end';
  const expected = [
    ['a', 'b "quoted", c', 'd'],
    ['multi\r\nline', '', 'x'],
    ['e', 'f"g', 'h'],
    ['last', '', 'end'],
  ];
  async function* pieces(parts: string[]) {
    for (const p of parts) yield p;
  }
  const collect = async (parts: string[]) => {
    const out: string[][] = [];
    for await (const r of splitRecords(pieces(parts), ',', 1000)) out.push(r);
    return out;
  };

  it('gives the same records wherever the text is cut, once or twice', async () => {
    expect(await collect([text])).toEqual(expected);
    for (let i = 0; i <= text.length; i++) {
      expect(await collect([text.slice(0, i), text.slice(i)]), `cut at ${i}`).toEqual(expected);
      for (let j = i; j <= text.length; j += 7) {
        expect(await collect([text.slice(0, i), text.slice(i, j), text.slice(j)]), `cuts at ${i}, ${j}`).toEqual(expected);
      }
    }
  });

  it('refuses an unclosed quote and a record over the limit', async () => {
    await expect(collect(['a,"never closed\n'])).rejects.toMatchObject({ code: 'CSV_QUOTE_NOT_CLOSED' });
    await expect(collect(['a,', 'b'.repeat(2000)])).rejects.toMatchObject({ code: 'CSV_MAX_RECORD_SIZE' });
  });
});
