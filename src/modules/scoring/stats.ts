// Publication statistics (METHODS.md section 5): Wilson intervals for shares,
// t intervals for means, tests against the previous period, suppression and
// rank bands. Pure functions; every figure a score shows comes from here.

export const MIN_PUBLISHED = 10;
export const MIN_RANKED = 30;
const Z = 1.959963984540054;

export type Interval = { value: number; low: number; high: number };

/** 95% Wilson score interval for x successes out of n (n > 0). */
export function wilson(x: number, n: number): Interval {
  const p = x / n;
  const z2 = Z * Z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (Z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { value: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

// Two-sided 97.5% quantiles of Student's t for small degrees of freedom.
const T975 = [
  0, 12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.306, 2.2622, 2.2281, 2.201, 2.1788, 2.1604, 2.1448, 2.1314,
  2.1199, 2.1098, 2.1009, 2.093, 2.086, 2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423,
];

/** 0.975 quantile of t with df degrees of freedom (table to 30, then a Cornish-Fisher expansion). */
export function t975(df: number): number {
  if (df < 1) return Number.NaN;
  if (df <= 30) return T975[Math.floor(df)] as number;
  const g1 = (Z ** 3 + Z) / 4;
  const g2 = (5 * Z ** 5 + 16 * Z ** 3 + 3 * Z) / 96;
  return Z + g1 / df + g2 / (df * df);
}

/** Sufficient statistics of a mean: count, sum, sum of squares. */
export type Moments = { n: number; sum: number; sumsq: number };
export const noMoments = (): Moments => ({ n: 0, sum: 0, sumsq: 0 });
export function addValue(m: Moments, x: number, count = 1): void {
  m.n += count;
  m.sum += x * count;
  m.sumsq += x * x * count;
}
export function addMoments(a: Moments, b: Moments): Moments {
  return { n: a.n + b.n, sum: a.sum + b.sum, sumsq: a.sumsq + b.sumsq };
}
function variance(m: Moments): number {
  if (m.n < 2) return 0;
  return Math.max(0, (m.sumsq - (m.sum * m.sum) / m.n) / (m.n - 1));
}

/** Mean with a 95% t interval; a single answer gives an interval of zero width. */
export function meanInterval(m: Moments): Interval {
  const mean = m.sum / m.n;
  if (m.n < 2) return { value: mean, low: mean, high: mean };
  const half = t975(m.n - 1) * Math.sqrt(variance(m) / m.n);
  return { value: mean, low: mean - half, high: mean + half };
}

/** Standard normal distribution function (Abramowitz-Stegun 7.1.26 through erf). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Two-sided p value of the difference of two shares (pooled z test). */
export function shareChangeP(x1: number, n1: number, x2: number, n2: number): number {
  const p = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
  if (se === 0) return x1 / n1 === x2 / n2 ? 1 : 0;
  const z = Math.abs(x1 / n1 - x2 / n2) / se;
  return 2 * (1 - normalCdf(z));
}

/** Two-sided p value of the difference of two means (Welch, normal approximation for large n). */
export function meanChangeP(a: Moments, b: Moments): number {
  if (a.n < 2 || b.n < 2) return 1;
  const se = Math.sqrt(variance(a) / a.n + variance(b) / b.n);
  const d = Math.abs(a.sum / a.n - b.sum / b.n);
  if (se === 0) return d === 0 ? 1 : 0;
  const df =
    (variance(a) / a.n + variance(b) / b.n) ** 2 / ((variance(a) / a.n) ** 2 / (a.n - 1) + (variance(b) / b.n) ** 2 / (b.n - 1));
  // p from t with df through the normal after scaling by the critical values' ratio
  return 2 * (1 - normalCdf((d / se) * (Z / t975(Math.max(1, Math.round(df))))));
}

export type SuppressReason = 'no_answers' | 'small_sample' | 'complementary';

/**
 * Which cells to hide. Below MIN_PUBLISHED answers a cell is hidden; when exactly
 * one hidden cell has answers, the published total would give it away, so the
 * smallest published cell is hidden with it.
 */
export function suppress(ns: readonly number[]): (SuppressReason | null)[] {
  const out: (SuppressReason | null)[] = ns.map((n) => (n === 0 ? 'no_answers' : n < MIN_PUBLISHED ? 'small_sample' : null));
  const hiddenWithAnswers = out.filter((r) => r === 'small_sample').length;
  if (hiddenWithAnswers === 1) {
    let pick = -1;
    ns.forEach((n, i) => {
      if (out[i] === null && (pick < 0 || n < (ns[pick] as number))) pick = i;
    });
    if (pick >= 0) out[pick] = 'complementary';
  }
  return out;
}

export type Band = 'above' | 'around' | 'below';

/** Where a unit's interval sits against the reference (provincial) value. */
export function bandOf(iv: Interval, reference: number): Band {
  if (iv.low > reference) return 'above';
  if (iv.high < reference) return 'below';
  return 'around';
}

/**
 * Ranks that claim no false order: a unit's rank is 1 + the number of units
 * whose interval lies wholly on the better side of its own, so units with
 * overlapping intervals share a rank.
 */
export function rankByIntervals(ivs: readonly Interval[], higherIsBetter: boolean): number[] {
  return ivs.map((a) => {
    let better = 0;
    for (const b of ivs) if (higherIsBetter ? b.low > a.high : b.high < a.low) better++;
    return better + 1;
  });
}
