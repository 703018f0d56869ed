import { describe, expect, it } from 'vitest';
import { CodeIndex } from './code-index.ts';

describe('CodeIndex', () => {
  it('finds each code it was given, with its latest row, across growth', () => {
    const ix = new CodeIndex();
    const n = 200_000;
    for (let i = 0; i < n; i++) ix.set(`DKR-${i}`, i + 4);
    expect(ix.size).toBe(n);
    for (let i = 0; i < n; i += 997) expect(ix.get(`DKR-${i}`)).toBe(i + 4);
    expect(ix.get(`DKR-${n}`)).toBeUndefined();
    expect(ix.get('DKR-')).toBeUndefined();
    ix.set('DKR-17', 999_999);
    expect(ix.get('DKR-17')).toBe(999_999);
    expect(ix.size).toBe(n);
  });

  it('tells apart codes that differ only in accents, case, length or a prefix', () => {
    const ix = new CodeIndex();
    const codes = ['HS-Đ1', 'HS-D1', 'hs-d1', 'HS-D', 'HS-D10', '', 'Mã 01/2026', 'x'.repeat(2000)];
    for (const [i, c] of codes.entries()) ix.set(c, i);
    for (const [i, c] of codes.entries()) expect(ix.get(c), c.slice(0, 20)).toBe(i);
    expect(ix.get('HS-Đ')).toBeUndefined();
    expect(ix.size).toBe(codes.length);
  });
});
