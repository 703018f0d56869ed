import { describe, expect, it } from 'vitest';
import { cleanText, normalizeName, parseChannel, parseEthnicMinority, parseGender, parseKind, parseStatus } from './values.ts';

describe('normalizeName', () => {
  it('composes decomposed letters (NFC) and collapses spaces', () => {
    const nfd = 'Nguyễn Thị Hồng'.normalize('NFD');
    expect(nfd).not.toBe('Nguyễn Thị Hồng');
    expect(normalizeName(`  ${nfd}  `)).toBe('Nguyễn Thị Hồng');
    expect(normalizeName('Lê\u00a0Văn \t Tám\u200b')).toBe('Lê Văn Tám');
    expect(normalizeName('Trần Thị\r\nBình')).toBe('Trần Thị Bình');
  });

  it('empties placeholders', () => {
    for (const s of ['-', '--', 'x', 'X', 'không có', 'Không có', 'khong co', 'N/A', 'n/a', '...', '?', 'chưa có']) {
      expect(normalizeName(s), s).toBe('');
    }
    expect(normalizeName('Xuân')).toBe('Xuân');
  });

  it('leaves clean text as it is', () => {
    expect(cleanText('Đăng ký khai sinh')).toBe('Đăng ký khai sinh');
    expect(cleanText('A\u0301')).toBe('Á');
  });
});

describe('category values', () => {
  it('reads statuses in Vietnamese (with or without accents) and English', () => {
    const cases: [string, string | undefined][] = [
      ['Đã tiếp nhận', 'received'],
      ['Mới tiếp nhận', 'received'],
      ['Received', 'received'],
      ['Đang xử lý', 'processing'],
      ['Đang giải quyết', 'processing'],
      ['dang giai quyet (trong han)', 'processing'],
      ['Chờ trả kết quả', 'processing'],
      ['Bổ sung', 'more_documents'],
      ['Yêu cầu bổ sung', 'more_documents'],
      ['Chờ bổ sung', 'more_documents'],
      ['Đã trả', 'returned'],
      ['Đã trả kết quả', 'returned'],
      ['ĐÃ TRẢ KẾT QUẢ ĐÚNG HẠN', 'returned'],
      ['Hoàn thành', 'returned'],
      ['Returned', 'returned'],
      ['Hủy', 'cancelled'],
      ['Huỷ', 'cancelled'],
      ['Đã hủy', 'cancelled'],
      ['Từ chối', 'cancelled'],
      ['Cancelled', 'cancelled'],
      ['Tạm dừng', undefined],
    ];
    for (const [s, status] of cases) expect(parseStatus(s), s).toBe(status);
  });

  it('reads channels', () => {
    for (const s of ['Trực tiếp', 'Tại quầy', 'Counter', 'Nộp trực tiếp']) expect(parseChannel(s), s).toBe('counter');
    for (const s of ['Trực tuyến', 'Online', 'Dịch vụ công', 'Cổng DVC', 'Mức độ 4']) expect(parseChannel(s), s).toBe('online');
    expect(parseChannel('Bưu chính')).toBeUndefined();
  });

  it('reads genders', () => {
    for (const s of ['Nam', 'nam', 'Male', 'M']) expect(parseGender(s), s).toBe('male');
    for (const s of ['Nữ', 'Nu', 'NỮ', 'Female', 'F']) expect(parseGender(s), s).toBe('female');
    for (const s of ['Khác', 'Other']) expect(parseGender(s), s).toBe('other');
    expect(parseGender('Không rõ')).toBeUndefined();
  });

  it('reads ethnicity: Kinh is the majority, any other people a minority', () => {
    expect(parseEthnicMinority('Kinh')).toBe(false);
    expect(parseEthnicMinority('Dân tộc Kinh')).toBe(false);
    for (const s of ['Vân Kiều', 'Pa Kô', 'Tày', 'Bru - Vân Kiều', "H'Mông", 'Ê Đê', 'x', 'X', 'có', 'yes']) {
      expect(parseEthnicMinority(s), s).toBe(true);
    }
    for (const s of ['không', 'no', '0']) expect(parseEthnicMinority(s), s).toBe(false);
    expect(parseEthnicMinority('')).toBeUndefined();
    expect(parseEthnicMinority('123')).toBeUndefined();
  });

  it('reads kinds', () => {
    expect(parseKind('Ngoại trú')).toBe('outpatient');
    expect(parseKind('Điều trị nội trú')).toBe('inpatient');
    expect(parseKind('Hồ sơ')).toBe('dossier');
    expect(parseKind('?')).toBeUndefined();
  });
});
