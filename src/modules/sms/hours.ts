// Survey SMS reach people only between 07:00 and 21:00 their time (the
// tenant's window): a message due at night waits for the next morning.
import { zonedParts, zonedTimeToUtc } from '../../platform/time.ts';

/** `at` itself when it falls in [from, to) local time; otherwise the next opening. */
export function nextSendTime(at: Date, timeZone: string, from: number, to: number): Date {
  const p = zonedParts(at, timeZone);
  if (p.hour >= from && p.hour < to) return at;
  const today = zonedTimeToUtc(p.year, p.month, p.day, from, 0, 0, timeZone);
  if (p.hour < from) return today;
  return zonedTimeToUtc(p.year, p.month, p.day + 1, from, 0, 0, timeZone);
}

/** Back-off after a failed attempt: 30 s doubling, at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(3600_000, 30_000 * 2 ** Math.max(0, attempts - 1));
}
