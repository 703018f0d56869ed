// Sampling rounds (METHODS.md sections 5 and 6): the frame of eligible service
// events, a target per unit from the sample-size formula with its floor, strata
// by procedure field in large units, and a draw that depends only on the frame
// and the stored seed. Pure functions: frame.ts reads the rows.
import { createHash } from 'node:crypto';

export type Design = {
  /** z of the confidence level (1.96 for 95%) */
  z: number;
  /** expected proportion; 0.5 is the most cautious */
  proportion: number;
  /** margin of error, e.g. 0.05 */
  margin: number;
  /** smallest sample per unit (the ranking rule needs 30) */
  floor: number;
  /** a unit with more eligible records than this is split by procedure field */
  splitAbove: number;
};

export const DEFAULT_DESIGN: Design = { z: 1.96, proportion: 0.5, margin: 0.05, floor: 30, splitAbove: 1000 };

/** Why a record of the period is not in the frame, in the order the rules are applied. */
export const EXCLUSIONS = [
  'cancelled',
  'no_return_date',
  'no_phone',
  'landline',
  'opted_out',
  'recent_interview',
  'duplicate_number',
] as const;
export type Exclusion = (typeof EXCLUSIONS)[number];

export type FrameRow = {
  eventId: string;
  unitId: string;
  /** procedure field (or hospital department) */
  field: string | null;
  phoneHash: Buffer | null;
  phoneKind: 'mobile' | 'landline' | null;
  /** returned (or discharged) with its actual date */
  returned: boolean;
  cancelled: boolean;
  optedOut: boolean;
  /** the number was interviewed in the last 90 days */
  recent: boolean;
  gender: string | null;
  ethnicMinority: boolean | null;
};

export type StratumPlan = { key: string; eligible: number; target: number };

export type UnitPlan = {
  unitId: string;
  records: number;
  excluded: Record<Exclusion, number>;
  eligible: number;
  target: number;
  drawn: number;
  /** why fewer than the target (or nothing) can be drawn */
  shortfall: null | 'no_records' | 'too_few' | 'no_instrument';
  strata: StratumPlan[];
};

export type Drawn = FrameRow & { stratum: string; drawKey: string };

/**
 * n0 = z² p(1-p) / e², with the finite-population correction n = n0 / (1 + (n0 - 1) / N),
 * rounded up, at least the floor and at most the frame.
 */
export function requiredSample(d: Design, frame: number): number {
  if (frame <= 0) return 0;
  const n0 = (d.z ** 2 * d.proportion * (1 - d.proportion)) / d.margin ** 2;
  const n = n0 / (1 + (n0 - 1) / frame);
  return Math.min(frame, Math.max(d.floor, Math.ceil(n - 1e-9)));
}

/** Proportional allocation of a target over strata, by largest remainder (ties to the larger stratum, then by key). */
export function allocate(target: number, strata: { key: string; size: number }[]): Map<string, number> {
  const total = strata.reduce((s, x) => s + x.size, 0);
  const out = new Map<string, number>();
  if (total === 0) return out;
  const shares = strata.map((s) => ({ ...s, exact: (target * s.size) / total }));
  let given = 0;
  for (const s of shares) {
    const n = Math.floor(s.exact);
    out.set(s.key, n);
    given += n;
  }
  const order = [...shares].sort(
    (a, b) => b.exact - Math.floor(b.exact) - (a.exact - Math.floor(a.exact)) || b.size - a.size || (a.key < b.key ? -1 : 1),
  );
  for (const s of order) {
    if (given >= target) break;
    if ((out.get(s.key) ?? 0) < s.size) {
      out.set(s.key, (out.get(s.key) ?? 0) + 1);
      given++;
    }
  }
  return out;
}

/** A record's place in the draw: a hash of the seed and the event, so row order never matters. */
export function drawKey(seed: string, eventId: string): string {
  return createHash('sha256').update(`${seed}:${eventId}`).digest('hex');
}

const emptyExclusions = (): Record<Exclusion, number> =>
  Object.fromEntries(EXCLUSIONS.map((e) => [e, 0])) as Record<Exclusion, number>;

function exclusionOf(r: FrameRow): Exclusion | null {
  if (r.cancelled) return 'cancelled';
  if (!r.returned) return 'no_return_date';
  if (!r.phoneHash) return 'no_phone';
  if (r.phoneKind !== 'mobile') return 'landline';
  if (r.optedOut) return 'opted_out';
  if (r.recent) return 'recent_interview';
  return null;
}

export type RoundPlan = { units: UnitPlan[]; sample: Drawn[]; frameHash: string };

/**
 * The plan of a round: per unit, what the period holds, what is excluded and
 * why, the target and the draw. `units` lists the units asked for (those with
 * no records appear with shortfall 'no_records'); `instrumentless` are units
 * without a phone instrument, planned but not drawn.
 */
export function planRound(
  rows: FrameRow[],
  design: Design,
  seed: string,
  units: string[],
  instrumentless: Set<string> = new Set(),
): RoundPlan {
  const byUnit = new Map<string, UnitPlan>();
  const plan = (unitId: string) => {
    let p = byUnit.get(unitId);
    if (!p) {
      p = {
        unitId,
        records: 0,
        excluded: emptyExclusions(),
        eligible: 0,
        target: 0,
        drawn: 0,
        shortfall: null,
        strata: [],
      };
      byUnit.set(unitId, p);
    }
    return p;
  };
  for (const u of units) plan(u);

  // One record per number in the whole round: the one earliest in the draw.
  const keyed = rows.map((r) => ({ ...r, drawKey: drawKey(seed, r.eventId), stratum: '' }));
  keyed.sort((a, b) => (a.drawKey < b.drawKey ? -1 : a.drawKey > b.drawKey ? 1 : 0));
  const seenNumbers = new Set<string>();
  const eligible = new Map<string, typeof keyed>();
  for (const r of keyed) {
    const p = plan(r.unitId);
    p.records++;
    let why = exclusionOf(r);
    if (!why) {
      const n = (r.phoneHash as Buffer).toString('hex');
      if (seenNumbers.has(n)) why = 'duplicate_number';
      else seenNumbers.add(n);
    }
    if (why) {
      p.excluded[why]++;
      continue;
    }
    p.eligible++;
    const list = eligible.get(r.unitId) ?? [];
    list.push(r);
    eligible.set(r.unitId, list);
  }

  const sample: Drawn[] = [];
  const frameIds: string[] = [];
  for (const p of byUnit.values()) {
    const list = eligible.get(p.unitId) ?? [];
    for (const r of list) frameIds.push(r.eventId);
    if (p.records === 0) p.shortfall = 'no_records';
    p.target = requiredSample(design, p.eligible);
    if (p.eligible < design.floor && p.records > 0) p.shortfall = 'too_few';
    if (instrumentless.has(p.unitId)) {
      p.shortfall = 'no_instrument';
      continue;
    }
    const split = p.eligible > design.splitAbove;
    const strata = new Map<string, typeof list>();
    for (const r of list) {
      r.stratum = split ? `${p.unitId}:${r.field ?? ''}` : p.unitId;
      const s = strata.get(r.stratum) ?? [];
      s.push(r);
      strata.set(r.stratum, s);
    }
    const alloc = allocate(
      p.target,
      [...strata.entries()].map(([key, s]) => ({ key, size: s.length })),
    );
    for (const [key, s] of [...strata.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const n = alloc.get(key) ?? 0;
      p.strata.push({ key: split ? key.slice(p.unitId.length + 1) || '' : '', eligible: s.length, target: n });
      // Each list is already in draw order.
      for (const r of s.slice(0, n)) sample.push(r);
      p.drawn += n;
    }
  }
  frameIds.sort();
  const frameHash = createHash('sha256').update(frameIds.join('\n')).digest('hex');
  return { units: [...byUnit.values()], sample, frameHash };
}
