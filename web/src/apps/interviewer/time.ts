// Times in the tenant's zone, whatever the device is set to: calling hours,
// callback times typed as a local date and time, the length of a call.

/** Calling hours, local time [from, to): the server refuses calls and callbacks outside them. */
export const CALLING_HOURS = { from: 7, to: 21 } as const;

type Parts = { year: number; month: number; day: number; hour: number; minute: number; second: number };

function partsIn(at: Date, timeZone: string): Parts {
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
  const p: Record<string, number> = {};
  for (const x of f.formatToParts(at)) if (x.type !== 'literal') p[x.type] = Number(x.value);
  return {
    year: p.year ?? 1970,
    month: p.month ?? 1,
    day: p.day ?? 1,
    hour: p.hour ?? 0,
    minute: p.minute ?? 0,
    second: p.second ?? 0,
  };
}

/** How far the zone is ahead of UTC at an instant, in milliseconds. */
function offsetAt(at: Date, timeZone: string): number {
  const p = partsIn(at, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** The instant a `datetime-local` value ("2026-11-10T15:30") names in the zone; null when it is not one. */
export function instantOfLocal(value: string, timeZone: string): Date | null {
  const m = LOCAL_INPUT.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const guess = Date.UTC(y, mo - 1, d, h, mi);
  let at = new Date(guess - offsetAt(new Date(guess), timeZone));
  // Once more, for an instant on the other side of a change of offset.
  at = new Date(guess - offsetAt(at, timeZone));
  return Number.isNaN(at.getTime()) ? null : at;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An instant as a `datetime-local` value in the zone. */
export function localInputOf(at: Date, timeZone: string): string {
  const p = partsIn(at, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/** The local hour of a `datetime-local` value, without any zone arithmetic. */
export function hourOfLocal(value: string): number | null {
  const m = LOCAL_INPUT.exec(value);
  return m ? Number(m[4]) : null;
}

export type CallbackProblem = 'missing' | 'invalid' | 'past' | 'hours';

/** What is wrong with a callback time, if anything: it must be in the future and within calling hours. */
export function checkCallback(value: string, timeZone: string, now: Date): CallbackProblem | null {
  if (!value) return 'missing';
  const at = instantOfLocal(value, timeZone);
  const hour = hourOfLocal(value);
  if (!at || hour === null) return 'invalid';
  if (at.getTime() <= now.getTime()) return 'past';
  if (hour < CALLING_HOURS.from || hour >= CALLING_HOURS.to) return 'hours';
  return null;
}

/** A call's length as m:ss (or h:mm:ss). */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}
