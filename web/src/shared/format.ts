// Dates are shown in the tenant's time zone, whatever the device is set to.
export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

const localeOf = (lang: string) => (lang === 'en' ? 'en-GB' : 'vi-VN');
const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(lang: string, timeZone: string, part: 'date' | 'time'): Intl.DateTimeFormat {
  const key = `${lang}|${timeZone}|${part}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(
      localeOf(lang),
      part === 'date'
        ? { timeZone, day: '2-digit', month: '2-digit', year: 'numeric' }
        : { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' },
    );
    cache.set(key, f);
  }
  return f;
}

/** An instant (ISO timestamp) as "dd/mm/yyyy hh:mm:ss" in the given zone (vi-VN alone would put the time first). */
export function formatDateTime(iso: string, lang: string, timeZone = DEFAULT_TIME_ZONE): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${formatter(lang, timeZone, 'date').format(d)} ${formatter(lang, timeZone, 'time').format(d)}`;
}

/** A calendar date ("YYYY-MM-DD"); formatted in UTC so it never shifts by a day. */
export function formatDate(ymd: string, lang: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!m) return ymd;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return formatter(lang, 'UTC', 'date').format(d);
}

/** Today's date in the zone as "YYYY-MM-DD", comparable with API dates. */
export function todayIn(timeZone = DEFAULT_TIME_ZONE): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/** The calendar day of an instant in the zone, as "dd/mm/yyyy". */
export function formatInstantDate(iso: string, lang: string, timeZone = DEFAULT_TIME_ZONE): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return formatter(lang, timeZone, 'date').format(d);
}

/** An instant as "dd/mm/yyyy hh:mm"; the time is left out at local midnight (lists often carry dates only). */
export function formatInstant(iso: string, lang: string, timeZone = DEFAULT_TIME_ZONE): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const time = formatter(lang, timeZone, 'time').format(d).slice(0, 5);
  const date = formatter(lang, timeZone, 'date').format(d);
  return time === '00:00' ? date : `${date} ${time}`;
}

/** A rate 0..1 as a percentage with one decimal ("85,3%" in Vietnamese). */
export function formatPercent(rate: number, lang: string): string {
  return new Intl.NumberFormat(localeOf(lang), {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(rate);
}

/** A month "YYYY-MM" in words ("tháng 10 năm 2026", "October 2026"). */
export function formatMonth(period: string, lang: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  if (!m) return period;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
  return new Intl.DateTimeFormat(localeOf(lang), { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(d);
}

/** The `count` months up to the current one in the zone, newest first, as "YYYY-MM". */
export function recentMonths(count: number, timeZone = DEFAULT_TIME_ZONE): string[] {
  const [y, m] = todayIn(timeZone).split('-').map(Number) as [number, number];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const total = y * 12 + (m - 1) - i;
    out.push(`${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`);
  }
  return out;
}

/** The month before the current one in the zone, "YYYY-MM". */
export function previousMonth(timeZone = DEFAULT_TIME_ZONE): string {
  return recentMonths(2, timeZone)[1] as string;
}

/** A count with the language's digit grouping ("12.345" in Vietnamese). */
export function formatNumber(n: number, lang: string): string {
  return new Intl.NumberFormat(localeOf(lang)).format(n);
}
