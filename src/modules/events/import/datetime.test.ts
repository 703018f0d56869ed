import { describe, expect, it } from 'vitest';
import { parseDateTime } from './datetime.ts';

const VN = 'Asia/Ho_Chi_Minh';
const iso = (s: string, zone = VN) => {
  const r = parseDateTime(s, zone);
  return 'iso' in r ? r.iso : r.error;
};

describe('parseDateTime', () => {
  it('reads day-first dates with any separator; a date alone is local midnight', () => {
    expect(iso('05/10/2026')).toBe('2026-10-04T17:00:00.000Z');
    expect(iso('5/1/2026')).toBe('2026-01-04T17:00:00.000Z');
    expect(iso('05-10-2026')).toBe('2026-10-04T17:00:00.000Z');
    expect(iso('05.10.2026')).toBe('2026-10-04T17:00:00.000Z');
    expect(iso(' 13/02/2026 ')).toBe('2026-02-12T17:00:00.000Z');
    expect(iso('05/10/26')).toBe('2026-10-04T17:00:00.000Z');
    expect(iso('ngày 05 tháng 10 năm 2026')).toBe('2026-10-04T17:00:00.000Z');
  });

  it('reads times written in the usual ways, before or after the date', () => {
    expect(iso('05/10/2026 08:30')).toBe('2026-10-05T01:30:00.000Z');
    expect(iso('05/10/2026 8:30:15')).toBe('2026-10-05T01:30:15.000Z');
    expect(iso('05/10/2026 08h30')).toBe('2026-10-05T01:30:00.000Z');
    expect(iso('05/10/2026 8h')).toBe('2026-10-05T01:00:00.000Z');
    expect(iso('08:30 05/10/2026')).toBe('2026-10-05T01:30:00.000Z');
    expect(iso('05/10/2026 lúc 14 giờ')).toBe('2026-10-05T07:00:00.000Z');
    expect(iso('14 giờ 15 phút ngày 05/10/2026')).toBe('2026-10-05T07:15:00.000Z');
    expect(iso('05/10/2026 lúc 14h15')).toBe('2026-10-05T07:15:00.000Z');
    expect(iso('05/10/2026 2:15 PM')).toBe('2026-10-05T07:15:00.000Z');
    expect(iso('05/10/2026 12:05 SA')).toBe('2026-10-04T17:05:00.000Z');
  });

  it('reads year-first ISO dates, with or without time and offset', () => {
    expect(iso('2026-10-05')).toBe('2026-10-04T17:00:00.000Z');
    expect(iso('2026-10-05T08:30:00')).toBe('2026-10-05T01:30:00.000Z');
    expect(iso('2026-10-05 08:30')).toBe('2026-10-05T01:30:00.000Z');
    expect(iso('2026-10-05T08:30:00+07:00')).toBe('2026-10-05T01:30:00.000Z');
    expect(iso('2026-10-05T08:30:00.250Z')).toBe('2026-10-05T08:30:00.000Z');
    expect(iso('2026/10/05')).toBe('2026-10-04T17:00:00.000Z');
  });

  it('reads Excel serial day numbers (1900 system, with its leap-year bug)', () => {
    expect(iso('46300')).toBe('2026-10-04T17:00:00.000Z'); // 05/10/2026
    expect(iso('46300.5')).toBe('2026-10-05T05:00:00.000Z'); // 12:00 local
    expect(iso('46300.354166666664')).toBe('2026-10-05T01:30:00.000Z'); // 08:30, float noise rounded
    expect(iso('36526')).toBe('1999-12-31T17:00:00.000Z'); // 01/01/2000
    expect(iso('36525')).toBe('date.out_of_range'); // 31/12/1999
    expect(iso('60')).toBe('date.out_of_range'); // the 29 February 1900 that never was
  });

  it('never reads month first, and refuses impossible dates', () => {
    expect(iso('02/13/2026')).toBe('date.invalid');
    expect(iso('31/02/2026')).toBe('date.invalid');
    expect(iso('29/02/2026')).toBe('date.invalid');
    expect(iso('29/02/2028')).toBe('2028-02-28T17:00:00.000Z');
    expect(iso('05/10/2026 25:00')).toBe('date.invalid');
    expect(iso('05/10/2026 13:00 PM')).toBe('date.invalid');
    expect(iso('2026-13-01')).toBe('date.invalid');
    expect(iso('tháng 10')).toBe('date.invalid');
    expect(iso('05/10')).toBe('date.invalid');
    expect(iso('')).toBe('date.invalid');
  });

  it('keeps to the years 2000 to 2100', () => {
    expect(iso('31/12/1999')).toBe('date.out_of_range');
    expect(iso('01/01/2101')).toBe('date.out_of_range');
    expect(iso('01/01/2100')).toBe('2099-12-31T17:00:00.000Z');
  });

  it('applies the offset of any zone at that date, daylight saving included', () => {
    expect(iso('29/03/2026 01:30', 'Europe/Berlin')).toBe('2026-03-29T00:30:00.000Z');
    expect(iso('29/03/2026 03:30', 'Europe/Berlin')).toBe('2026-03-29T01:30:00.000Z');
    expect(iso('05/07/2026 12:00', 'America/New_York')).toBe('2026-07-05T16:00:00.000Z');
    expect(iso('05/01/2026 12:00', 'America/New_York')).toBe('2026-01-05T17:00:00.000Z');
    expect(iso('05/10/2026', 'UTC')).toBe('2026-10-05T00:00:00.000Z');
  });
});
