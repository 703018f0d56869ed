// Score periods: a month (2026-10), a quarter (2026-Q4) or a year (2026).
import { AppError } from '../../platform/errors.ts';
import { periodBounds } from '../../platform/time.ts';

export type Period = { code: string; kind: 'month' | 'quarter' | 'year'; months: string[] };

const mm = (y: number, m: number) => `${y}-${String(m).padStart(2, '0')}`;

export function parsePeriod(s: string): Period | undefined {
  let m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(s);
  if (m) return { code: s, kind: 'month', months: [s] };
  m = /^(\d{4})-Q([1-4])$/.exec(s);
  if (m) {
    const y = Number(m[1]);
    const q = Number(m[2]);
    return { code: s, kind: 'quarter', months: [1, 2, 3].map((i) => mm(y, (q - 1) * 3 + i)) };
  }
  m = /^(\d{4})$/.exec(s);
  if (m) {
    const y = Number(m[1]);
    return { code: s, kind: 'year', months: Array.from({ length: 12 }, (_, i) => mm(y, i + 1)) };
  }
  return undefined;
}

/** The period, or 422 period.invalid. */
export function periodOrThrow(s: string): Period {
  const p = parsePeriod(s);
  if (!p) throw new AppError(422, 'period.invalid', `"${s}" is not a period: use YYYY-MM, YYYY-Qn or YYYY`);
  return p;
}

/** The period of the same length just before. */
export function previousOf(p: Period): Period {
  if (p.kind === 'year') return parsePeriod(String(Number(p.code) - 1)) as Period;
  if (p.kind === 'quarter') {
    const [y, q] = p.code.split('-Q').map(Number) as [number, number];
    return parsePeriod(q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`) as Period;
  }
  const [y, m] = p.code.split('-').map(Number) as [number, number];
  return parsePeriod(m === 1 ? mm(y - 1, 12) : mm(y, m - 1)) as Period;
}

/** First and last local day, and the instants that bound the period in the tenant's zone. */
export function periodRange(p: Period, timeZone: string) {
  const first = p.months[0] as string;
  const last = p.months[p.months.length - 1] as string;
  const [ly, lm] = last.split('-').map(Number) as [number, number];
  const lastDay = new Date(Date.UTC(ly, lm, 0)).getUTCDate();
  return {
    fromDay: `${first}-01`,
    toDay: `${last}-${String(lastDay).padStart(2, '0')}`,
    start: periodBounds(first, timeZone).start,
    end: periodBounds(last, timeZone).end,
  };
}

/** Periods of one kind from the one holding `from` to the one holding `to` (months YYYY-MM), at most `max`. */
export function periodsBetween(from: string, to: string, step: Period['kind'], max = 60): Period[] {
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  const out: Period[] = [];
  if (step === 'year') for (let y = fy; y <= ty; y++) out.push(parsePeriod(String(y)) as Period);
  else if (step === 'quarter') {
    for (let i = fy * 4 + Math.floor((fm - 1) / 3); i <= ty * 4 + Math.floor((tm - 1) / 3); i++)
      out.push(parsePeriod(`${Math.floor(i / 4)}-Q${(i % 4) + 1}`) as Period);
  } else
    for (let i = fy * 12 + fm - 1; i <= ty * 12 + tm - 1; i++)
      out.push(parsePeriod(mm(Math.floor(i / 12), (i % 12) + 1)) as Period);
  return out.slice(-max);
}
