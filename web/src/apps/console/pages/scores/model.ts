// Types and helpers shared by the score pages (dashboard, unit scorecard, publication).
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../../shared/api';
import { formatMonth, recentMonths } from '../../../../shared/format';

export type Display = { unit: 'percent' | 'points'; min: number; max: number; decimals: number };
export type IndexSummary = {
  code: string;
  version: number;
  builtin: boolean;
  name: Record<string, string>;
  sector: 'administration' | 'health' | null;
  kind: string;
  channels: string[];
  display: Display;
  higherIsBetter: boolean;
};
export type Band = 'above' | 'around' | 'below';
export type ScoreRow = {
  unit: string;
  unitName: string;
  level: 'province' | 'unit';
  n: number;
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  suppressed: boolean;
  suppressedReason: 'no_answers' | 'small_sample' | 'complementary' | null;
  rank: number | null;
  band: Band | null;
  excluded: number;
  previous: { n: number; value: number; change: number; significant: boolean; p: number } | null;
};
export type TrendPoint = {
  period: string;
  n: number;
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  suppressed: boolean;
};
export type Trend = { index: string; unit: string; channel: string | null; step: PeriodKind; points: TrendPoint[] };
export type Alert = {
  kind: 'significant_drop' | 'paid_without_receipt' | 'kiosk_phone_gap' | 'small_sample';
  severity: 'high' | 'medium';
  unit: string;
  unitName: string;
  index: string | null;
  evidence: Record<string, number | string | null>;
};
export type PeriodKind = 'month' | 'quarter' | 'year';

export const INDICES_KEY = ['indices'] as const;
export function useIndices() {
  return useQuery({
    queryKey: INDICES_KEY,
    queryFn: ({ signal }) => api.get<IndexSummary[]>('/api/v1/indices', signal),
    staleTime: 5 * 60_000,
  });
}

export const nameOf = (x: { name: Record<string, string> }, lang: string) => x.name[lang] ?? x.name.vi ?? '';

const locale = (lang: string) => (lang === 'en' ? 'en-GB' : 'vi-VN');
/** A score in its display unit: "8,42" or "92,3%". */
export function formatScore(v: number | null, d: Display, lang: string): string {
  if (v === null) return '—';
  const s = new Intl.NumberFormat(locale(lang), { minimumFractionDigits: d.decimals, maximumFractionDigits: d.decimals }).format(
    v,
  );
  return d.unit === 'percent' ? `${s}%` : s;
}
export function formatInterval(r: { ciLow: number | null; ciHigh: number | null }, d: Display, lang: string): string {
  if (r.ciLow === null || r.ciHigh === null) return '';
  return `${formatScore(r.ciLow, d, lang)} – ${formatScore(r.ciHigh, d, lang)}`;
}

/** The last periods of a kind, newest first: ended months first (the current one is still open). */
export function periodChoices(kind: PeriodKind, timeZone: string, lang: string): { value: string; label: string }[] {
  const months = recentMonths(37, timeZone).slice(1);
  if (kind === 'month') return months.slice(0, 24).map((m) => ({ value: m, label: formatMonth(m, lang) }));
  if (kind === 'quarter') {
    const qs = [...new Set(months.map((m) => `${m.slice(0, 4)}-Q${Math.floor((Number(m.slice(5)) - 1) / 3) + 1}`))];
    return qs
      .slice(0, 8)
      .map((q) => ({ value: q, label: lang === 'en' ? q.replace('-', ' ') : `Quý ${q.slice(6)} năm ${q.slice(0, 4)}` }));
  }
  const ys = [...new Set(months.map((m) => m.slice(0, 4)))];
  return ys.slice(0, 3).map((y) => ({ value: y, label: lang === 'en' ? y : `Năm ${y}` }));
}

/** The months a trend ending with `period` covers: 12 months, 8 quarters or 5 years. */
export function trendRange(period: string, kind: PeriodKind): { from: string; to: string } {
  const y = Number(period.slice(0, 4));
  if (kind === 'year') return { from: `${y - 4}-01`, to: `${y}-12` };
  if (kind === 'quarter') {
    const q = Number(period.slice(6));
    const last = y * 12 + q * 3 - 1;
    const first = last - 23;
    const ym = (i: number) => `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
    return { from: ym(first), to: ym(last) };
  }
  const m = Number(period.slice(5));
  const last = y * 12 + m - 1;
  const ym = (i: number) => `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
  return { from: ym(last - 11), to: period };
}

export const periodKindOf = (p: string): PeriodKind => (/^\d{4}$/.test(p) ? 'year' : p.includes('Q') ? 'quarter' : 'month');

/** Short label of a period on a chart axis. */
export function axisLabel(period: string, lang: string): string {
  if (/^\d{4}-\d{2}$/.test(period)) return `${Number(period.slice(5))}/${period.slice(2, 4)}`;
  if (period.includes('Q'))
    return lang === 'en' ? `Q${period.slice(6)} ${period.slice(2, 4)}` : `Q${period.slice(6)}/${period.slice(2, 4)}`;
  return period;
}
