import { describe, expect, it } from 'vitest';
import { parseIsoInZone, periodBounds, periodOf, zonedParts, zonedTimeToUtc } from './time.ts';

const VN = 'Asia/Ho_Chi_Minh';

describe('tenant time', () => {
  it('converts local wall-clock time to UTC', () => {
    expect(zonedTimeToUtc(2026, 10, 1, 8, 30, 0, VN).toISOString()).toBe('2026-10-01T01:30:00.000Z');
    expect(zonedTimeToUtc(2026, 3, 29, 2, 30, 0, 'Europe/Berlin').toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });

  it('puts an instant in the month of the tenant, not of UTC', () => {
    expect(periodOf(new Date('2026-09-30T18:00:00Z'), VN)).toBe('2026-10');
    expect(periodOf(new Date('2026-09-30T16:59:59Z'), VN)).toBe('2026-09');
    const b = periodBounds('2026-12', VN);
    expect([b.start.toISOString(), b.end.toISOString()]).toEqual(['2026-11-30T17:00:00.000Z', '2026-12-31T17:00:00.000Z']);
  });

  it('reads ISO 8601 with or without an offset', () => {
    expect(parseIsoInZone('2026-10-05T09:00:00+07:00', VN)?.toISOString()).toBe('2026-10-05T02:00:00.000Z');
    expect(parseIsoInZone('2026-10-05T09:00:00Z', VN)?.toISOString()).toBe('2026-10-05T09:00:00.000Z');
    expect(parseIsoInZone('2026-10-05', VN)?.toISOString()).toBe('2026-10-04T17:00:00.000Z');
    expect(parseIsoInZone('2026-02-30', VN)).toBeUndefined();
    expect(parseIsoInZone('05/10/2026', VN)).toBeUndefined();
    // The canonical UTC form bulk paths pass, and look-alikes that are not dates.
    expect(parseIsoInZone('2026-10-05T09:00:00.000Z', VN)?.toISOString()).toBe('2026-10-05T09:00:00.000Z');
    expect(parseIsoInZone('2026-02-30T09:00:00.000Z', VN)).toBeUndefined();
    expect(parseIsoInZone('2026-10-05T25:00:00.000Z', VN)).toBeUndefined();
    expect(parseIsoInZone('2026-10-05 09:00:00.000Z', VN)?.toISOString()).toBe('2026-10-05T09:00:00.000Z');
  });

  it('reads wall-clock parts as Intl does, across daylight saving and odd offsets', () => {
    const zones = [VN, 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'UTC'];
    let t = Date.UTC(2025, 0, 1);
    const end = Date.UTC(2027, 0, 1);
    let checked = 0;
    while (t < end) {
      for (const timeZone of zones) {
        const want: Record<string, number> = {};
        const f = new Intl.DateTimeFormat('en-US', {
          timeZone,
          hourCycle: 'h23',
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
          hour: '2-digit',
          minute: '2-digit',
          second: '2-digit',
        });
        for (const p of f.formatToParts(new Date(t))) if (p.type !== 'literal') want[p.type] = Number(p.value);
        expect(zonedParts(new Date(t), timeZone), `${timeZone} ${new Date(t).toISOString()}`).toEqual(want);
        checked++;
      }
      t += 7_777_777; // about 2 h 10 min, so every minute of the hour comes round
    }
    expect(checked).toBeGreaterThan(40_000);
  });
});
