import { describe, expect, it } from 'vitest';
import { searchKey } from './text.ts';

describe('searchKey', () => {
  it('drops diacritics, đ and case so people can search without accents', () => {
    expect(searchKey('Huyện Đakrông')).toBe('huyen dakrong');
    expect(searchKey('Xã Tà Rụt')).toBe('xa ta rut');
    expect(searchKey('  Bệnh viện   đa khoa ')).toBe('benh vien da khoa');
    expect(searchKey('Thừa Thiên Huế')).toBe('thua thien hue');
  });
});
