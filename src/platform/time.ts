// Dates are stored in UTC; periods and local times are read in the tenant's zone.

const partsFormatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormatters.set(timeZone, f);
  }
  return f;
}

// Offsets change only on quarter-hour boundaries (daylight saving, zone
// reforms), so one lookup through Intl serves a whole quarter hour: reading
// parts through Intl for every instant was the slowest step of bulk loads.
const QUARTER_HOUR = 900_000;
const offsetsByZone = new Map<string, Map<number, number>>();

// The last answer: bulk loads ask about nearby instants of one zone in a row.
let lastZone = '';
let lastQuarter = -1;
let lastOffset = 0;

function offsetAt(ms: number, timeZone: string): number {
  // Quarter-hour numbers are small integers: a much faster map key than the instant.
  const quarter = Math.floor(ms / QUARTER_HOUR);
  if (quarter === lastQuarter && timeZone === lastZone) return lastOffset;
  let offsets = offsetsByZone.get(timeZone);
  if (!offsets) {
    offsets = new Map();
    offsetsByZone.set(timeZone, offsets);
  }
  let off = offsets.get(quarter);
  if (off === undefined) {
    const bucket = quarter * QUARTER_HOUR;
    const p: Record<string, number> = {};
    for (const part of formatter(timeZone).formatToParts(new Date(bucket))) {
      if (part.type !== 'literal') p[part.type] = Number(part.value);
    }
    off = Date.UTC(p.year as number, (p.month as number) - 1, p.day, p.hour, p.minute, p.second) - bucket;
    if (offsets.size > 200_000) offsets.clear();
    offsets.set(quarter, off);
  }
  lastZone = timeZone;
  lastQuarter = quarter;
  lastOffset = off;
  return off;
}

/** A Date whose UTC fields read as the wall clock of the zone at that instant (a Date or its milliseconds). */
function wallClock(at: Date | number, timeZone: string): Date {
  const ms = typeof at === 'number' ? at : at.getTime();
  return new Date(ms + offsetAt(ms, timeZone));
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** Wall-clock parts of an instant in a time zone. */
export function zonedParts(date: Date, timeZone: string) {
  const d = wallClock(date, timeZone);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/** The instant at which the wall clock of `timeZone` shows the given local time. */
export function zonedTimeToUtc(y: number, mo: number, d: number, h: number, mi: number, s: number, timeZone: string): Date {
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  let t = asUtc;
  // Two rounds settle the offset, also next to a daylight-saving change. The
  // clock shows t plus its offset (both whole seconds here).
  for (let i = 0; i < 2; i++) t += asUtc - (t + offsetAt(t, timeZone));
  return new Date(t);
}

/** 'YYYY-MM' of an instant (a Date or its milliseconds) in the tenant's zone. */
export function periodOf(date: Date | number, timeZone: string): string {
  const d = wallClock(date, timeZone);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}`;
}

/** 'YYYY-MM-DD' of an instant (a Date or its milliseconds) in the tenant's zone. */
export function localDate(date: Date | number, timeZone: string): string {
  const d = wallClock(date, timeZone);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** First instant of a 'YYYY-MM' period and of the next one, in the tenant's zone. */
export function periodBounds(period: string, timeZone: string): { start: Date; end: Date } {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return {
    start: zonedTimeToUtc(y, m, 1, 0, 0, 0, timeZone),
    end: zonedTimeToUtc(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1, 0, 0, 0, timeZone),
  };
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

const digits = (s: string, at: number, n: number): number => {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
};

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days from 1970-01-01 to a date of the proleptic Gregorian calendar (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

/** Days since 1970-01-01 of the date text starts with ('YYYY-MM-DD'); NaN when there is none (30 February too). */
export function epochDay(s: string): number {
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  if (y < 0 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || mo < 1 || mo > 12 || d < 1) return Number.NaN;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > (MONTH_DAYS[mo - 1] as number) + (leap && mo === 2 ? 1 : 0)) return Number.NaN;
  return daysFromCivil(y, mo, d);
}

/**
 * Milliseconds of text in the canonical UTC form (`toISOString()`, as bulk
 * paths pass it), read by position: undefined when the text has another shape,
 * NaN when it has this one but is no instant (30 February, 25 o'clock).
 */
export function parseCanonicalUtc(s: string): number | undefined {
  if (s.length !== 24 || s.charCodeAt(23) !== 90 || s.charCodeAt(19) !== 46 || s.charCodeAt(10) !== 84) return undefined;
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  const day = epochDay(s);
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  const sec = digits(s, 17, 2);
  const ms = digits(s, 20, 3);
  if (Number.isNaN(day) || !(h >= 0 && h < 24 && mi >= 0 && mi < 60 && sec >= 0 && sec < 60 && ms >= 0)) return Number.NaN;
  return (day * 86_400 + h * 3600 + mi * 60 + sec) * 1000 + ms;
}

const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n));
/** 'YYYY-MM-DDT' of recent days by day number: the date part of canonical UTC text, made once a day. */
const dayPrefixes = new Map<number, string>();

/**
 * The canonical UTC text of an instant in whole milliseconds, as toISOString
 * gives it (years 0 to 9999), at about a third of its cost (170 ns against
 * 460): the demo makes millions. Its test compares the two.
 */
export function isoUtc(ms: number): string {
  const day = Math.floor(ms / 86_400_000);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * 86_400_000).toISOString().slice(0, 11);
    if (prefix.charCodeAt(10) !== 84) throw new RangeError(`isoUtc: ${ms} is outside years 0 to 9999`);
    if (dayPrefixes.size > 10_000) dayPrefixes.clear();
    dayPrefixes.set(day, prefix);
  }
  let rest = ms - day * 86_400_000;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const mi = Math.floor(rest / 60_000);
  rest -= mi * 60_000;
  const sec = Math.floor(rest / 1000);
  return `${prefix}${pad2(h)}:${pad2(mi)}:${pad2(sec)}.${pad3(rest - sec * 1000)}Z`;
}

/** Milliseconds of an instant held as a Date or as ISO text. */
export function instantMs(i: Date | string): number {
  if (typeof i !== 'string') return i.getTime();
  return parseCanonicalUtc(i) ?? Date.parse(i);
}

/**
 * ISO 8601 from an API: with an offset it is exact; without one it is the
 * tenant's local time (a date alone is local midnight).
 */
export function parseIsoInZone(s: string, timeZone: string): Date | undefined {
  const utc = parseCanonicalUtc(s);
  if (utc !== undefined && !Number.isNaN(utc)) return new Date(utc);
  const m = ISO.exec(s.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', sec = '0', offset] = m;
  const nums = [y, mo, d, h, mi, sec].map(Number) as [number, number, number, number, number, number];
  if (nums[1] < 1 || nums[1] > 12 || nums[2] < 1 || nums[2] > 31 || nums[3] > 23 || nums[4] > 59 || nums[5] > 59)
    return undefined;
  const check = new Date(Date.UTC(nums[0], nums[1] - 1, nums[2]));
  if (check.getUTCDate() !== nums[2]) return undefined; // 31 February
  if (offset) {
    const t = Date.parse(s.trim().replace(' ', 'T'));
    return Number.isNaN(t) ? undefined : new Date(t);
  }
  return zonedTimeToUtc(...nums, timeZone);
}
