// Figures as the pages write them: "8,42 (8,21–8,63)" and "n = 312" in
// Vietnamese, with the index's own number of decimals.
import type { Language } from '../../../shared/language';
import type { Key } from '../i18n';
import type { IndexInfo } from './api';

type T = (key: Key, vars?: Record<string, string | number>) => string;

/** How an index is shown when the methodology does not list it (an index retired since). */
export const FALLBACK_DISPLAY: IndexInfo['display'] = { unit: 'points', min: 0, max: 10, decimals: 2 };

const localeOf = (lang: Language) => (lang === 'en' ? 'en-GB' : 'vi-VN');
const formats = new Map<string, Intl.NumberFormat>();

export function formatNumber(x: number, lang: Language, decimals = 0): string {
  const key = `${lang}|${decimals}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(localeOf(lang), { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    formats.set(key, f);
  }
  return f.format(x);
}

export function formatValue(x: number, display: IndexInfo['display'], lang: Language): string {
  const s = formatNumber(x, lang, display.decimals);
  return display.unit === 'percent' ? `${s}%` : s;
}

/** "(8,21–8,63)", or "(80,1–89,6%)" for a percentage. */
export function formatInterval(low: number, high: number, display: IndexInfo['display'], lang: Language): string {
  const a = formatNumber(low, lang, display.decimals);
  const b = formatNumber(high, lang, display.decimals);
  return `(${a}–${b}${display.unit === 'percent' ? '%' : ''})`;
}

/** "n = 312", held together by no-break spaces. */
export function formatN(n: number, lang: Language): string {
  return `n\u00a0=\u00a0${formatNumber(n, lang)}`;
}

/** A published period in words: "Tháng 10/2026", "Quý 4/2026", "Năm 2026" (October 2026, Q4 2026, 2026). */
export function formatPeriod(period: string, lang: Language, t: T): string {
  let m = /^(\d{4})-(\d{2})$/.exec(period);
  if (m) {
    const month = new Intl.DateTimeFormat(localeOf(lang), { month: 'long', timeZone: 'UTC' }).format(
      new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1)),
    );
    return t('scores.period.month', { m: Number(m[2]), month, y: m[1] as string });
  }
  m = /^(\d{4})-Q([1-4])$/.exec(period);
  if (m) return t('scores.period.quarter', { q: m[2] as string, y: m[1] as string });
  m = /^(\d{4})$/.exec(period);
  if (m) return t('scores.period.year', { y: m[1] as string });
  return period;
}

export function scaleText(display: IndexInfo['display'], lang: Language, t: T): string {
  return display.unit === 'percent'
    ? t('scores.scale.percent')
    : t('scores.scale.points', { min: formatNumber(display.min, lang), max: formatNumber(display.max, lang) });
}

/** Green for a better side, red for a worse one: "above" is good only where higher is better. */
export function toneOfBand(band: 'above' | 'around' | 'below', higherIsBetter: boolean): 'good' | 'bad' | 'neutral' {
  if (band === 'around') return 'neutral';
  return (band === 'above') === higherIsBetter ? 'good' : 'bad';
}

/**
 * The stretch of the scale the bars of one list show: from the lowest interval
 * to the highest, widened to whole points (tens on a scale of 0-100) and kept within
 * the scale, so that differences between units can be seen.
 */
export function domainOf(
  rows: { value: number | null; ciLow: number | null; ciHigh: number | null }[],
  display: IndexInfo['display'],
): [number, number] {
  const step = display.unit === 'percent' || display.max - display.min >= 50 ? 10 : 1;
  const lows = rows.flatMap((r) => (r.ciLow === null ? [] : [r.ciLow]));
  const highs = rows.flatMap((r) => (r.ciHigh === null ? [] : [r.ciHigh]));
  if (lows.length === 0) return [display.min, display.max];
  let lo = Math.max(display.min, Math.floor(Math.min(...lows) / step) * step);
  let hi = Math.min(display.max, Math.ceil(Math.max(...highs) / step) * step);
  if (hi - lo < step) {
    lo = Math.max(display.min, lo - step);
    hi = Math.min(display.max, hi + step);
  }
  return [lo, hi];
}
