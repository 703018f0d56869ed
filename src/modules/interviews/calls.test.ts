import { describe, expect, it } from 'vitest';
import { nextAttemptAt, slotOf, transition } from './calls.ts';
import { responseRates } from './rates.ts';

const ZONE = 'Asia/Ho_Chi_Minh';
const at = (s: string) => new Date(s);

describe('call rules', () => {
  it('knows the slots of the calling hours', () => {
    expect(slotOf(at('2026-11-10T06:59:00+07:00'), ZONE)).toBeNull();
    expect(slotOf(at('2026-11-10T07:00:00+07:00'), ZONE)).toBe('morning');
    expect(slotOf(at('2026-11-10T12:00:00+07:00'), ZONE)).toBe('afternoon');
    expect(slotOf(at('2026-11-10T20:59:00+07:00'), ZONE)).toBe('evening');
    expect(slotOf(at('2026-11-10T21:00:00+07:00'), ZONE)).toBeNull();
  });

  it('tries again on another day, in a slot not used yet', () => {
    const first = [{ day: '2026-11-10', slot: 'morning' as const }];
    expect(nextAttemptAt(first, at('2026-11-10T09:00:00+07:00'), ZONE).toISOString()).toBe('2026-11-11T05:00:00.000Z'); // 12:00 local
    const two = [...first, { day: '2026-11-11', slot: 'afternoon' as const }];
    expect(nextAttemptAt(two, at('2026-11-11T13:00:00+07:00'), ZONE).toISOString()).toBe('2026-11-12T10:00:00.000Z'); // 17:00
  });

  it('makes a record unreachable after three attempts that reached nobody', () => {
    const o = { previous: [], now: at('2026-11-10T09:00:00+07:00'), zone: ZONE };
    expect(transition({ noncontacts: 0 }, 'no_answer', o)).toMatchObject({
      status: 'pending',
      keepInterviewer: false,
      noncontacts: 1,
    });
    expect(transition({ noncontacts: 2 }, 'busy', o)).toMatchObject({ status: 'unreachable', final: true, noncontacts: 3 });
    expect(transition({ noncontacts: 2 }, 'refused', o)).toMatchObject({ status: 'refused', final: true, noncontacts: 2 });
    const cb = at('2026-11-11T19:00:00+07:00');
    expect(transition({ noncontacts: 0 }, 'callback', { ...o, callbackAt: cb })).toMatchObject({
      status: 'callback',
      nextAt: cb,
      keepInterviewer: true,
    });
    expect(transition({ noncontacts: 0 }, 'partial', o)).toMatchObject({ status: 'partial', final: true });
    expect(transition({ noncontacts: 0 }, 'wrong_number', o).status).toBe('ineligible');
  });
});

describe('response rates', () => {
  it('computes completion, response, cooperation, contact and refusal rates as defined', () => {
    // 10 sampled: 4 complete, 1 partial, 2 refused, 1 unreachable, 1 wrong number, 1 callback agreed
    const r = responseRates({
      sampled: 10,
      attempted: 10,
      completed: 4,
      partial: 1,
      refused: 2,
      unreachable: 1,
      ineligible: 1,
      doNotCall: 0,
      callback: 1,
      pending: 0,
      notWorked: 0,
      notWorkedReached: 0,
    });
    expect(r.completion).toEqual({ value: 0.4, numerator: 4, denominator: 10 });
    expect(r.response).toEqual({ value: 0.4444, numerator: 4, denominator: 9 });
    expect(r.cooperation).toEqual({ value: 0.5, numerator: 4, denominator: 8 });
    expect(r.contact).toEqual({ value: 0.8889, numerator: 8, denominator: 9 });
    expect(r.refusal).toEqual({ value: 0.2222, numerator: 2, denominator: 9 });
    expect(
      responseRates({ ...r, sampled: 0, ineligible: 0, completed: 0, partial: 0, refused: 0, callback: 0 } as never).completion
        .value,
    ).toBeNull();
  });
});
