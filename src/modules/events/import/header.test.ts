import { describe, expect, it } from 'vitest';
import { columnLetter, detectHeader, inferKind } from './header.ts';
import type { Field, TableRow } from './types.ts';

const rows = (...cells: string[][]): TableRow[] => cells.map((c, i) => ({ row: i + 1, cells: c }));
const fieldOf = (text: string, id = 'Mã hồ sơ') => detectHeader(rows([id, text]))?.mapping[1];

describe('detectHeader', () => {
  it('maps Vietnamese headers, with or without accents, any case and spacing, and English ones', () => {
    const cases: [string, Field][] = [
      ['Thủ tục', 'service'],
      ['Tên thủ tục', 'service'],
      ['THỦ TỤC HÀNH CHÍNH', 'service'],
      ['Procedure', 'service'],
      ['Service', 'service'],
      ['Ngày tiếp nhận', 'receivedAt'],
      ['Ngay  nhan', 'receivedAt'],
      ['Received', 'receivedAt'],
      ['Ngày hẹn trả', 'dueAt'],
      ['Hẹn trả', 'dueAt'],
      ['Due', 'dueAt'],
      ['Ngày trả kết quả', 'returnedAt'],
      ['Ngày trả', 'returnedAt'],
      ['Ngày trả KQ', 'returnedAt'],
      ['Returned', 'returnedAt'],
      ['Ngày hẹn lại', 'promisedAt'],
      ['Hẹn lại', 'promisedAt'],
      ['Trạng thái', 'status'],
      ['Tình trạng', 'status'],
      ['Status', 'status'],
      ['Hình thức nộp', 'channel'],
      ['Kênh', 'channel'],
      ['Channel', 'channel'],
      ['Số điện thoại', 'phone'],
      ['SĐT', 'phone'],
      ['Điện thoại', 'phone'],
      ['ĐT', 'phone'],
      ['Phone', 'phone'],
      ['Họ tên', 'name'],
      ['Họ và tên', 'name'],
      ['Chủ hồ sơ', 'name'],
      ['Người nộp', 'name'],
      ['Tên người nộp', 'name'],
      ['Tên bệnh nhân', 'name'],
      ['Họ tên người bệnh', 'name'],
      ['Name', 'name'],
      ['Giới tính', 'gender'],
      ['Gender', 'gender'],
      ['Dân tộc', 'ethnicMinority'],
      ['Dân tộc thiểu số', 'ethnicMinority'],
      ['Ethnic minority', 'ethnicMinority'],
      ['Mã đơn vị', 'unit'],
      ['Đơn vị', 'unit'],
      ['Unit', 'unit'],
      ['Ngày vào viện', 'receivedAt'],
      ['Ngày khám', 'receivedAt'],
      ['Ngày vào', 'receivedAt'],
      ['Ngày ra viện', 'returnedAt'],
      ['Ngày ra', 'returnedAt'],
      ['Khoa', 'department'],
      ['Khoa điều trị', 'department'],
      ['Department', 'department'],
      // longer wordings
      ['Ngày, giờ tiếp nhận hồ sơ', 'receivedAt'],
      ['Số điện thoại liên lạc', 'phone'],
      ['Ngày tiếp nhận (dd/mm/yyyy)', 'receivedAt'],
      ['Ngày\nhẹn trả', 'dueAt'],
      ['Ngày nhận kết quả', 'returnedAt'],
      ['Ngày hoàn thành', 'returnedAt'],
      ['Ngày giờ nhận kết quả', 'returnedAt'],
      ['Thời gian hẹn trả kết quả', 'dueAt'],
    ];
    for (const [text, field] of cases) expect(fieldOf(text), text).toBe(field);
  });

  it('maps every way of naming the code column', () => {
    for (const id of [
      'Mã hồ sơ',
      'Số hồ sơ',
      'Ma HS',
      'Mã HS',
      'MÃ HS',
      'Dossier code',
      'External id',
      'Mã BN',
      'Mã bệnh nhân',
      'Mã người bệnh',
      'Số vào viện',
      'Patient id',
    ]) {
      expect(detectHeader(rows([id, 'Thủ tục']))?.mapping, id).toEqual({ 0: 'externalId', 1: 'service' });
    }
  });

  it('ignores row-number columns and reports unknown ones; "Lĩnh vực" is not the service', () => {
    expect(detectHeader(rows(['STT', 'Mã hồ sơ', 'Lĩnh vực', 'Thủ tục', 'Ghi chú', '']))).toEqual({
      headerRow: 1,
      headers: ['STT', 'Mã hồ sơ', 'Lĩnh vực', 'Thủ tục', 'Ghi chú', ''],
      mapping: { 1: 'externalId', 3: 'service' },
      unmapped: ['Lĩnh vực', 'Ghi chú'],
    });
    expect(detectHeader(rows(['TT', 'Mã HS', 'Số TT', 'Họ tên']))?.unmapped).toEqual([]);
  });

  it('keeps the first of two columns for the same field', () => {
    expect(detectHeader(rows(['Mã hồ sơ', 'Số điện thoại', 'Điện thoại']))).toMatchObject({
      mapping: { 0: 'externalId', 1: 'phone' },
      unmapped: ['Điện thoại'],
    });
  });

  it('skips title rows and needs a code column plus one more known column', () => {
    const found = detectHeader(
      rows(
        ['UBND HUYỆN ĐAKRÔNG'],
        ['DANH SÁCH HỒ SƠ ĐÃ TRẢ KẾT QUẢ THÁNG 10/2026'],
        [],
        ['Họ tên', 'Số điện thoại'],
        ['STT', 'Mã hồ sơ', 'Ngày tiếp nhận'],
      ),
    );
    expect(found).toEqual({
      headerRow: 5,
      headers: ['STT', 'Mã hồ sơ', 'Ngày tiếp nhận'],
      mapping: { 1: 'externalId', 2: 'receivedAt' },
      unmapped: [],
    });
    expect(detectHeader(rows(['Họ tên', 'Số điện thoại', 'Ngày tiếp nhận']))).toBeUndefined();
    expect(detectHeader(rows(['Mã hồ sơ']))).toBeUndefined();
    expect(detectHeader([])).toBeUndefined();
  });

  it('looks at the first 30 rows only', () => {
    const titles = Array.from({ length: 30 }, (_, i) => [`Dòng ${i + 1}`]);
    expect(detectHeader(rows(...titles, ['Mã hồ sơ', 'Thủ tục']))).toBeUndefined();
    expect(detectHeader(rows(...titles.slice(1), ['Mã hồ sơ', 'Thủ tục']))?.headerRow).toBe(30);
  });

  it('joins a two-row header: merged parents over their children, cells merged down', () => {
    const found = detectHeader(
      rows(
        ['DANH SÁCH HỒ SƠ'],
        ['STT', 'Mã hồ sơ', 'Ngày', '', '', 'Người nộp', '', 'Ghi chú'],
        ['', '', 'Tiếp nhận', 'Hẹn trả', 'Trả kết quả', 'Họ tên', 'Điện thoại'],
        ['1', 'H1', '01/10/2026', '03/10/2026', '', 'A', '0912345678'],
      ),
    );
    expect(found).toEqual({
      headerRow: 3,
      headers: ['STT', 'Mã hồ sơ', 'Ngày Tiếp nhận', 'Ngày Hẹn trả', 'Ngày Trả kết quả', 'Họ tên', 'Điện thoại', 'Ghi chú'],
      mapping: { 1: 'externalId', 2: 'receivedAt', 3: 'dueAt', 4: 'returnedAt', 5: 'name', 6: 'phone' },
      unmapped: ['Ghi chú'],
    });
  });

  it('does not take the first data row for the lower half of a header', () => {
    const found = detectHeader(rows(['Mã hồ sơ', 'Thủ tục', 'Họ tên'], ['H1', 'Khai sinh', 'Nguyễn Văn An']));
    expect(found?.headerRow).toBe(1);
  });
});

describe('inferKind', () => {
  const kindOf = (...headers: string[]) => inferKind(detectHeader(rows(headers))!);
  it('tells dossier lists from outpatient and inpatient lists', () => {
    expect(kindOf('Mã hồ sơ', 'Thủ tục', 'Ngày trả kết quả')).toBe('dossier');
    expect(kindOf('Mã BN', 'Họ tên', 'Ngày khám', 'Khoa')).toBe('outpatient');
    expect(kindOf('Số vào viện', 'Ngày vào viện', 'Ngày ra viện', 'Khoa điều trị')).toBe('inpatient');
    expect(kindOf('Patient id', 'Department')).toBe('outpatient');
  });
});

describe('columnLetter', () => {
  it('names columns as Excel does', () => {
    expect([0, 3, 25, 26, 27, 701, 702].map(columnLetter)).toEqual(['A', 'D', 'Z', 'AA', 'AB', 'ZZ', 'AAA']);
  });
});
