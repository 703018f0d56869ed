import { describe, expect, it } from 'vitest';
import {
  addValue,
  bandOf,
  meanChangeP,
  meanInterval,
  noMoments,
  normalCdf,
  rankByIntervals,
  shareChangeP,
  suppress,
  t975,
  wilson,
} from './stats.ts';

describe('publication statistics', () => {
  it('Wilson intervals match Newcombe (1998), table I', () => {
    const cases: [number, number, number, number][] = [
      [81, 263, 0.2553, 0.3662],
      [15, 148, 0.0624, 0.1605],
      [0, 20, 0, 0.1611],
      [1, 29, 0.0061, 0.1718],
    ];
    for (const [x, n, lo, hi] of cases) {
      const w = wilson(x, n);
      expect(w.low).toBeCloseTo(lo, 4);
      expect(w.high).toBeCloseTo(hi, 4);
    }
  });

  it('t quantiles and the t interval of a mean', () => {
    expect(t975(1)).toBeCloseTo(12.7062, 4);
    expect(t975(10)).toBeCloseTo(2.2281, 4);
    expect(t975(60)).toBeCloseTo(2.0003, 3);
    expect(t975(100)).toBeCloseTo(1.984, 3);
    const m = noMoments();
    for (let x = 1; x <= 10; x++) addValue(m, x);
    const iv = meanInterval(m);
    expect(iv.value).toBe(5.5);
    expect(iv.low).toBeCloseTo(3.3341, 3);
    expect(iv.high).toBeCloseTo(7.6659, 3);
  });

  it('tests of a change between two periods', () => {
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 5);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 5);
    expect(shareChangeP(50, 100, 30, 100)).toBeCloseTo(0.00389, 4);
    expect(shareChangeP(50, 100, 48, 100)).toBeGreaterThan(0.5);
    const a = noMoments();
    const b = noMoments();
    for (let i = 0; i < 200; i++) {
      addValue(a, 7 + (i % 3));
      addValue(b, 7 + (i % 3) + (i % 2 ? 0.5 : 0));
    }
    expect(meanChangeP(a, b)).toBeLessThan(0.05);
    expect(meanChangeP(a, a)).toBeCloseTo(1, 6);
  });

  it('suppresses small cells and the one cell that would give a lone hidden cell away', () => {
    expect(suppress([12, 5, 40])).toEqual(['complementary', 'small_sample', null]);
    expect(suppress([5, 3, 40, 50])).toEqual(['small_sample', 'small_sample', null, null]);
    expect(suppress([0, 20, 30])).toEqual(['no_answers', null, null]);
    expect(suppress([9, 0])).toEqual(['small_sample', 'no_answers']);
  });

  it('ranks shared by overlapping intervals, and bands against the provincial value', () => {
    const ivs = [
      { value: 9, low: 8.5, high: 9.5 },
      { value: 8.8, low: 8.2, high: 9.4 },
      { value: 7, low: 6.5, high: 7.5 },
    ];
    expect(rankByIntervals(ivs, true)).toEqual([1, 1, 3]);
    expect(rankByIntervals(ivs, false)).toEqual([2, 2, 1]);
    expect(bandOf(ivs[0] as never, 8)).toBe('above');
    expect(bandOf(ivs[1] as never, 8.3)).toBe('around');
    expect(bandOf(ivs[2] as never, 8)).toBe('below');
  });
});
