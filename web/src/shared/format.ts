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
