import { describe, expect, it } from 'vitest';
import {
  epochDay,
  instantMs,
  isoUtc,
  parseCanonicalUtc,
  parseIsoInZone,
  periodBounds,
  periodOf,
  zonedParts,
  zonedTimeToUtc,
} from './time.ts';

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

  it('finds the instant of a wall-clock time in any zone, and reads canonical UTC text as Date.parse does', () => {
    const zones = [VN, 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'UTC'];
    let t = Date.UTC(2025, 0, 1);
    let checked = 0;
    while (t < Date.UTC(2027, 0, 1)) {
      for (const zone of zones) {
        const p = zonedParts(new Date(t), zone);
        const back = zonedTimeToUtc(p.year, p.month, p.day, p.hour, p.minute, p.second, zone).getTime();
        // A wall-clock time shown twice (clocks set back) may be read as its other instant.
        if (back !== t) expect([3_600_000, 1_800_000], `${zone} ${new Date(t).toISOString()}`).toContain(Math.abs(back - t));
        checked++;
      }
      const iso = new Date(t).toISOString();
      expect(parseCanonicalUtc(iso)).toBe(t);
      expect(instantMs(iso)).toBe(t);
      expect(epochDay(iso)).toBe(Math.floor(t / 86_400_000));
      t += 7_777_000; // whole seconds, as the wall clock shows them
    }
    expect(checked).toBeGreaterThan(40_000);
    expect(parseCanonicalUtc('2026-10-05T09:00:00+07:00')).toBeUndefined();
    expect(parseCanonicalUtc('2026-02-29T09:00:00.000Z')).toBeNaN();
    expect(parseCanonicalUtc('2024-02-29T09:00:00.000Z')).toBe(Date.UTC(2024, 1, 29, 9));
    expect(instantMs('2026-10-05T09:00:00+07:00')).toBe(Date.UTC(2026, 9, 5, 2));
    expect(periodOf(Date.UTC(2026, 8, 30, 17), VN)).toBe('2026-10');
  });

  it('writes canonical UTC text as toISOString does', () => {
    // Every millisecond field and both ends of the years it covers.
    const samples = [0, -1, 253_402_300_799_999, -62_167_219_200_000, Date.UTC(2024, 1, 29, 23, 59, 59, 999)];
    let t = Date.UTC(1999, 11, 31, 23, 59, 59, 999);
    while (t < Date.UTC(2031, 0, 1)) {
      samples.push(t);
      t += 7_777_777;
    }
    for (const ms of samples) expect(isoUtc(ms), String(ms)).toBe(new Date(ms).toISOString());
    expect(samples.length).toBeGreaterThan(100_000);
    expect(() => isoUtc(253_402_300_800_000)).toThrow(RangeError);
    expect(() => isoUtc(-62_167_219_200_001)).toThrow(RangeError);
  });
});
