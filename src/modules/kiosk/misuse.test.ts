import { describe, expect, it } from 'vitest';
import { defaultHours, isOpenAt, openMinutesBetween } from './hours.ts';
import { isHourSpike, misuseFlags } from './misuse.ts';

const T0 = Date.parse('2026-10-20T09:00:00+07:00');
const r = (id: string, seconds: number, signature = 'OVERALL=4', fresh = true) => ({
  id,
  at: T0 + seconds * 1000,
  signature,
  fresh,
});
const open = () => true;

describe('misuse rules', () => {
  it('flags three or more ratings within 10 seconds, all of them, and nothing slower', () => {
    const f = misuseFlags([r('a', 0), r('b', 4), r('c', 9), r('d', 30), r('e', 37), r('f', 45)], open);
    expect([...f.keys()].sort()).toEqual(['a', 'b', 'c']);
    expect(f.get('a')).toEqual(['burst']);
    // two within 10 s is a busy counter, not a burst
    expect(misuseFlags([r('a', 0), r('b', 7)], open).size).toBe(0);
  });

  it('flags ten identical ratings in a row within an hour, but not nine, nor ten spread over a morning', () => {
    const run = (n: number, gap: number) => Array.from({ length: n }, (_, i) => r(`x${i}`, i * gap));
    expect(misuseFlags(run(10, 60), open).get('x9')).toEqual(['identical_run']);
    expect(misuseFlags(run(9, 60), open).size).toBe(0);
    expect(misuseFlags(run(10, 600), open).size).toBe(0);
    const broken = run(10, 60);
    broken[5] = { ...(broken[5] as ReturnType<typeof r>), signature: 'OVERALL=3' };
    expect(misuseFlags(broken, open).size).toBe(0);
  });

  it('flags only the new ratings given while closed', () => {
    const f = misuseFlags([r('old', 0, 'a', false), r('new', 3600, 'b', true)], () => false);
    expect([...f]).toEqual([['new', ['outside_hours']]]);
  });
});

describe('hour spikes', () => {
  it('needs 20 ratings and three times the usual hour', () => {
    expect(isHourSpike(19, 0)).toBe(false);
    expect(isHourSpike(20, 0)).toBe(true);
    expect(isHourSpike(29, 10)).toBe(false);
    expect(isHourSpike(30, 10)).toBe(true);
  });
});

describe('opening hours', () => {
  const office = { openings: defaultHours('one_stop_office'), isDefault: true };
  const zone = 'Asia/Ho_Chi_Minh';
  it('knows an office is open on a weekday morning, closed at lunch, at night, at weekends and on holidays', () => {
    const at = (s: string) => new Date(s);
    expect(isOpenAt(office, new Set(), at('2026-10-20T09:00:00+07:00'), zone)).toBe(true);
    expect(isOpenAt(office, new Set(), at('2026-10-20T12:00:00+07:00'), zone)).toBe(false);
    expect(isOpenAt(office, new Set(), at('2026-10-20T02:00:00+07:00'), zone)).toBe(false);
    expect(isOpenAt(office, new Set(), at('2026-10-24T09:00:00+07:00'), zone)).toBe(false);
    expect(isOpenAt(office, new Set(['2026-10-20']), at('2026-10-20T09:00:00+07:00'), zone)).toBe(false);
  });

  it('counts open minutes between two instants', () => {
    const from = new Date('2026-10-20T11:00:00+07:00');
    // 11:00-11:30 and 13:00-14:00
    expect(openMinutesBetween(office, new Set(), from, new Date('2026-10-20T14:00:00+07:00'), zone)).toBe(90);
    // Friday 16:00 to Monday 08:00: one hour on Friday, one on Monday
    expect(
      openMinutesBetween(office, new Set(), new Date('2026-10-23T16:00:00+07:00'), new Date('2026-10-26T08:00:00+07:00'), zone),
    ).toBe(120);
  });
});
