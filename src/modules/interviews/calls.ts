// Call rules (METHODS.md section 6): calls only within calling hours, at most
// 3 attempts that reach nobody, each on another day and in another time slot,
// callbacks at the time the person asks for. Pure: the commands apply them.
import { localDate, zonedParts, zonedTimeToUtc } from '../../platform/time.ts';

import type { Outcome } from './outcomes.ts';

export { OUTCOMES, type Outcome } from './outcomes.ts';

/** Outcomes that reached nobody: they count toward the limit and move to another day and slot. */
export const NONCONTACT: ReadonlySet<Outcome> = new Set(['no_answer', 'busy', 'switched_off']);
export const MAX_NONCONTACTS = 3;
/** A person may ask to be called back, but not without end. */
export const MAX_ATTEMPTS = 6;

export type Slot = 'morning' | 'afternoon' | 'evening';
/** Local hours [from, to) of each slot; together they are the calling hours. */
export const SLOTS: { slot: Slot; from: number; to: number }[] = [
  { slot: 'morning', from: 7, to: 12 },
  { slot: 'afternoon', from: 12, to: 17 },
  { slot: 'evening', from: 17, to: 21 },
];

export function slotOf(at: Date, zone: string): Slot | null {
  const h = zonedParts(at, zone).hour;
  return SLOTS.find((s) => h >= s.from && h < s.to)?.slot ?? null;
}

export const withinCallingHours = (at: Date, zone: string) => slotOf(at, zone) !== null;

export type PastAttempt = { day: string; slot: Slot };

function addDays(day: string, n: number): [number, number, number] {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
}

/**
 * When a record that reached nobody may be tried again: the start of a slot not
 * used yet, on the day after the latest attempt.
 */
export function nextAttemptAt(previous: PastAttempt[], now: Date, zone: string): Date {
  const today = localDate(now, zone);
  const latest = [today, ...previous.map((a) => a.day)].sort().at(-1) as string;
  const used = new Set(previous.map((a) => a.slot));
  const slot = SLOTS.find((s) => !used.has(s.slot)) ?? (SLOTS[0] as (typeof SLOTS)[number]);
  const [y, m, d] = addDays(latest, 1);
  return zonedTimeToUtc(y, m, d, slot.from, 0, 0, zone);
}

export type SampleStatus =
  | 'pending'
  | 'callback'
  | 'completed'
  | 'partial'
  | 'refused'
  | 'unreachable'
  | 'ineligible'
  | 'do_not_call'
  | 'not_worked';

export const OPEN_STATUSES: readonly SampleStatus[] = ['pending', 'callback'];

export type Transition = {
  status: SampleStatus;
  /** not served before */
  nextAt: Date | null;
  /** stays with the interviewer (a callback agreed with the person), else back to the pool */
  keepInterviewer: boolean;
  noncontacts: number;
  final: boolean;
};

/** Where a record goes after an attempt with this outcome. */
export function transition(
  record: { noncontacts: number },
  outcome: Outcome,
  o: { callbackAt?: Date; previous: PastAttempt[]; now: Date; zone: string },
): Transition {
  const done = (status: SampleStatus): Transition => ({
    status,
    nextAt: null,
    keepInterviewer: true,
    noncontacts: record.noncontacts,
    final: true,
  });
  if (NONCONTACT.has(outcome)) {
    const noncontacts = record.noncontacts + 1;
    if (noncontacts >= MAX_NONCONTACTS) return { ...done('unreachable'), noncontacts };
    return {
      status: 'pending',
      nextAt: nextAttemptAt(o.previous, o.now, o.zone),
      keepInterviewer: false,
      noncontacts,
      final: false,
    };
  }
  switch (outcome) {
    case 'completed':
      return done('completed');
    case 'refused':
      return done('refused');
    case 'wrong_number':
    case 'not_the_person':
      return done('ineligible');
    case 'partial':
      return o.callbackAt
        ? { status: 'callback', nextAt: o.callbackAt, keepInterviewer: true, noncontacts: record.noncontacts, final: false }
        : done('partial');
    default:
      return {
        status: 'callback',
        nextAt: o.callbackAt ?? null,
        keepInterviewer: true,
        noncontacts: record.noncontacts,
        final: false,
      };
  }
}
