import { describe, expect, it } from 'vitest';
import { parsePhones } from './phones.ts';

const nationals = (s: string) => parsePhones(s).phones.map((p) => p.national);

describe('parsePhones', () => {
  it('reads one number however it is written', () => {
    for (const s of [
      '0912345678',
      '0912 345 678',
      '0912.345.678',
      '0912-345-678',
      '(091) 234 5678',
      '+84 912 345 678',
      '+84912345678',
      '84912345678',
      '+84 0912 345 678',
    ]) {
      expect(parsePhones(s), s).toEqual({ phones: [{ national: '0912345678', mobile: true }], invalid: [] });
    }
  });

  it('restores the 0 that an Excel number cell drops', () => {
    expect(parsePhones('912345678')).toEqual({ phones: [{ national: '0912345678', mobile: true }], invalid: [] });
    expect(parsePhones('2333852123')).toEqual({ phones: [{ national: '02333852123', mobile: false }], invalid: [] });
  });

  it('converts the old 11-digit mobile prefixes', () => {
    expect(nationals('01681234567')).toEqual(['0381234567']);
    expect(nationals('0168 123 4567')).toEqual(['0381234567']);
    expect(nationals('1681234567')).toEqual(['0381234567']);
  });

  it('keeps landlines, marked as such', () => {
    expect(parsePhones('0233 3852 123')).toEqual({ phones: [{ national: '02333852123', mobile: false }], invalid: [] });
    expect(parsePhones('(0233) 3852123')).toEqual({ phones: [{ national: '02333852123', mobile: false }], invalid: [] });
  });

  it('splits two numbers in one cell, whatever is between them', () => {
    const both = ['0912345678', '0987654321'];
    for (const s of [
      '0912 345 678 / 0987654321',
      '0912345678, 0987654321',
      '0912345678;0987654321',
      '0912345678 - 0987654321',
      '0912-345-678 - 0987-654-321',
      '0912.345.678 0987.654.321',
      '0912345678 và 0987654321',
      '0912345678 hoặc 0987654321',
      '0912345678\n0987654321',
    ]) {
      expect(nationals(s), s).toEqual(both);
    }
  });

  it('drops labels and remarks around numbers', () => {
    expect(nationals('ĐT: 0912345678 (con trai)')).toEqual(['0912345678']);
    expect(nationals('DĐ: 0912345678 / NR: 0233 3852 123')).toEqual(['0912345678', '02333852123']);
  });

  it('reports what is not a number, and treats placeholders as empty', () => {
    expect(parsePhones('12345')).toEqual({ phones: [], invalid: ['12345'] });
    expect(parsePhones('0123456789')).toEqual({ phones: [], invalid: ['0123456789'] });
    expect(parsePhones('0912345678 / 555')).toEqual({ phones: [{ national: '0912345678', mobile: true }], invalid: ['555'] });
    expect(parsePhones('không có số')).toEqual({ phones: [], invalid: ['không có số'] });
    for (const s of ['', ' ', '-', 'x', 'không', 'không có', 'N/A', '0'])
      expect(parsePhones(s), s).toEqual({ phones: [], invalid: [] });
  });
});
