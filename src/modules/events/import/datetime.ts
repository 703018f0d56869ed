// Dates as Vietnamese lists write them: day first, always. Local times are in
// the tenant's zone; an instant with an explicit offset is taken as is.
import { zonedTimeToUtc } from '../../../platform/time.ts';

export type DateResult = { iso: string } | { error: string };
/** `dateOnly`: the cell had no time of day (so it stands for the whole day). */
export type DateInfo = { iso: string; dateOnly: boolean } | { error: string };

const MIN_YEAR = 2000;
const MAX_YEAR = 2100;

// Year first: 2026-10-05, 2026/10/05, 2026-10-05T08:30, 2026-10-05 08:30:00.123+07:00, …Z
const ISO = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
// Day first with / - or . between parts (the same twice); a short year is 20xx.
const DMY = /(?<!\d)(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})(?!\d)/;
// "05 tháng 10 năm 2026", as typed in a letter.
const WORDY = /(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})/u;
// 08:30, 8:30:15, 08h30, 8h, 8g30, "14 giờ 15 phút", with an optional AM/PM (SA/CH in Vietnamese).
const TIME =
  /^(\d{1,2})(?::(\d{2})(?::(\d{2}))?|\s*(?:h|g|giờ|gio)(?:\s*(\d{1,2}))?\s*(?:'|p|ph|phút|phut)?)\s*(am|pm|sa|ch)?$/iu;
// An Excel serial day number (1900 date system), as a number cell gives it.
const SERIAL = /^\d{1,6}(?:\.\d+)?$/;
// Words people put around dates: "ngày 05/10/2026 lúc 08:30".
const NOISE = /(?:^|\s)(?:ngày|ngay|lúc|luc|vào|vao)(?=\s|\d|$)/gu;

/**
 * Parses one date or date-time cell. A date without a time is local midnight.
 * Codes: date.invalid (not a date, impossible, month first), date.out_of_range.
 */
export function parseDateTime(s: string, timeZone: string): DateResult {
  const r = readDate(s, timeZone);
  return 'iso' in r ? { iso: r.iso } : r;
}

// A monthly list repeats the same few hundred dates on every row: each text is
// read once per zone (the results are never changed by callers).
const seen = new Map<string, Map<string, DateInfo>>();
const SEEN_MAX = 20_000;

/** parseDateTime, also telling whether the cell held a time of day. */
export function readDate(s: string, timeZone: string): DateInfo {
  let zone = seen.get(timeZone);
  if (!zone) {
    zone = new Map();
    seen.set(timeZone, zone);
  }
  let r = zone.get(s);
  if (r === undefined) {
    r = readDateOnce(s, timeZone);
    if (zone.size >= SEEN_MAX) zone.clear();
    zone.set(s, r);
  }
  return r;
}

function readDateOnce(s: string, timeZone: string): DateInfo {
  const text = s.trim();
  if (!text) return { error: 'date.invalid' };
  if (SERIAL.test(text)) return fromSerial(Number(text), timeZone);
  const iso = ISO.exec(text);
  if (iso) return fromIso(iso, timeZone);
  return fromDayFirst(text, timeZone);
}

function fromIso(m: RegExpExecArray, timeZone: string): DateInfo {
  const [, y, mo, d, h = '0', mi = '0', sec = '0', offset] = m;
  const parts = { y: +y!, mo: +mo!, d: +d!, h: +h, mi: +mi, s: +sec };
  if (!offset) return local(parts, timeZone, m[4] === undefined);
  const bad = check(parts);
  if (bad) return { error: bad };
  // An explicit offset pins the instant; only the zone of the wall clock moves.
  const sign = offset.startsWith('-') ? -1 : 1;
  const off = offset.toUpperCase() === 'Z' ? 0 : sign * (+offset.slice(1, 3) * 60 + +offset.slice(-2));
  const t = Date.UTC(parts.y, parts.mo - 1, parts.d, parts.h, parts.mi, parts.s) - off * 60_000;
  return { iso: new Date(t).toISOString(), dateOnly: false };
}

// The usual cell, "05/10/2026" or "05/10/2026 08:30[:00]", read without the general path.
const PLAIN = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

function fromDayFirst(text: string, timeZone: string): DateInfo {
  const plain = PLAIN.exec(text);
  if (plain) {
    const [, d, mo, y, h, mi, sec] = plain;
    return local({ y: +y!, mo: +mo!, d: +d!, h: +(h ?? 0), mi: +(mi ?? 0), s: +(sec ?? 0) }, timeZone, h === undefined);
  }
  const words = text.normalize('NFC').toLowerCase().replace(WORDY, '$1/$2/$3').replace(NOISE, ' ');
  const date = DMY.exec(words);
  if (!date) return { error: 'date.invalid' };
  // Whatever is left around the date must be a time of day (before or after it).
  const rest = `${words.slice(0, date.index)} ${words.slice(date.index + date[0].length)}`.replace(/^[\s,;t-]+|[\s,;-]+$/g, '');
  const time = rest ? TIME.exec(rest) : null;
  if (rest && !time) return { error: 'date.invalid' };
  const [, d, , mo, y] = date;
  const parts = { y: y!.length === 2 ? 2000 + +y! : +y!, mo: +mo!, d: +d!, h: 0, mi: 0, s: 0 };
  if (time) {
    const t = clock(time);
    if (!t) return { error: 'date.invalid' };
    Object.assign(parts, t);
  }
  return local(parts, timeZone, !time);
}

/** Hours, minutes, seconds of a TIME match; undefined when impossible (25:00, 13 PM). */
function clock(m: RegExpExecArray): { h: number; mi: number; s: number } | undefined {
  const [, hh, colonMin, colonSec, hMin, meridiem] = m;
  let h = +hh!;
  const mi = +(colonMin ?? hMin ?? 0);
  const s = +(colonSec ?? 0);
  if (meridiem) {
    if (h < 1 || h > 12) return undefined;
    const pm = /^(pm|ch)$/i.test(meridiem);
    h = (h % 12) + (pm ? 12 : 0);
  }
  if (h > 23 || mi > 59 || s > 59) return undefined;
  return { h, mi, s };
}

type Parts = { y: number; mo: number; d: number; h: number; mi: number; s: number };

/** An error code for an impossible or out-of-range date, undefined when fine. */
function check(p: Parts): string | undefined {
  if (p.mo < 1 || p.mo > 12 || p.d < 1 || p.d > daysInMonth(p.y, p.mo)) return 'date.invalid';
  if (p.h > 23 || p.mi > 59 || p.s > 59) return 'date.invalid';
  if (p.y < MIN_YEAR || p.y > MAX_YEAR) return 'date.out_of_range';
  return undefined;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(y: number, mo: number): number {
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return mo === 2 && leap ? 29 : DAYS[mo - 1]!;
}

function local(p: Parts, timeZone: string, dateOnly: boolean): DateInfo {
  const bad = check(p);
  if (bad) return { error: bad };
  const wall = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s);
  return { iso: new Date(wall - offsetAt(p, timeZone)).toISOString(), dateOnly };
}

// Offsets change at most a few times a year, so one lookup per local hour is
// enough; Intl is slow (microseconds) next to everything else done per row.
const offsets = new Map<string, Map<number, number>>();

/** Offset (ms, local minus UTC) of `timeZone` at the local wall-clock hour of `p`. */
function offsetAt(p: Parts, timeZone: string): number {
  let zone = offsets.get(timeZone);
  if (!zone) {
    zone = new Map();
    offsets.set(timeZone, zone);
  }
  const key = ((p.y * 13 + p.mo) * 32 + p.d) * 24 + p.h;
  let off = zone.get(key);
  if (off === undefined) {
    const wallHour = Date.UTC(p.y, p.mo - 1, p.d, p.h);
    off = wallHour - zonedTimeToUtc(p.y, p.mo, p.d, p.h, 0, 0, timeZone).getTime();
    if (zone.size > 50_000) zone.clear();
    zone.set(key, off);
  }
  return off;
}

// Excel's day 1 is 1900-01-01 and it counts a 29 February 1900 that never was,
// so from day 61 on, serial n is n days after 1899-12-30.
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

function fromSerial(n: number, timeZone: string): DateInfo {
  if (n < 61) return { error: 'date.out_of_range' };
  // Round to the second: fractions of a day carry floating-point noise.
  const wall = new Date(EXCEL_EPOCH + Math.round(n * 86_400) * 1000);
  const parts = {
    y: wall.getUTCFullYear(),
    mo: wall.getUTCMonth() + 1,
    d: wall.getUTCDate(),
    h: wall.getUTCHours(),
    mi: wall.getUTCMinutes(),
    s: wall.getUTCSeconds(),
  };
  return local(parts, timeZone, Number.isInteger(n));
}
