// Response bodies the score tests submit: a complete M.Score phone interview.
import { randomUUID } from 'node:crypto';

export type Answers = Record<string, unknown>;

/** A phone interview at a unit on a day (YYYY-MM-DD), every required answer given; `answers` overrides. */
export function phoneResponse(unit: string, day: string, answers: Answers, extra: Answers = {}) {
  return {
    id: randomUUID(),
    instrument: 'MSCORE_PHONE',
    channel: 'phone',
    unit,
    submittedAt: `${day}T09:00:00+07:00`,
    answers: {
      IDENTITY: true,
      RESULT_STATUS: 'on_time',
      ASKED_TO_RETURN: false,
      FEE_PAID: 'none',
      EXTRA_PAYMENT: false,
      STAFF_ATTITUDE: 8,
      GUIDANCE_CLARITY: 6,
      ...answers,
    } as Answers,
    ...extra,
  };
}

/** n interviews whose SATISFACTION is a for the first half and b for the rest. */
export function halves(unit: string, day: string, n: number, a: number, b: number) {
  return Array.from({ length: n }, (_, i) => phoneResponse(unit, day, { SATISFACTION: i < n / 2 ? a : b }));
}
