// Types of the phone-interview supervision screens (the server's shapes in
// src/modules/interviews/schema.ts), the sample-size formula for the form's
// help, and the order in which exclusions and statuses are shown.

export type RoundStatus = 'draft' | 'published' | 'closed';
export type EventKind = 'dossier' | 'outpatient' | 'inpatient';
export const EVENT_KINDS: readonly EventKind[] = ['dossier', 'outpatient', 'inpatient'];

export interface RoundSummary {
  id: string;
  name: string;
  periodFrom: string;
  periodTo: string;
  status: RoundStatus;
  createdAt: string;
  publishedAt: string | null;
  closedAt: string | null;
  sampled: number;
  completed: number;
  open: number;
}

export interface Rate {
  value: number | null;
  numerator: number;
  denominator: number;
}

export const RATES = ['completion', 'response', 'cooperation', 'contact', 'refusal'] as const;
export type RateKey = (typeof RATES)[number];

export interface Dispositions {
  sampled: number;
  attempted: number;
  completed: number;
  partial: number;
  refused: number;
  unreachable: number;
  ineligible: number;
  doNotCall: number;
  callback: number;
  pending: number;
  notWorked: number;
  rates: Record<RateKey, Rate>;
}

/** The counts of a disposition table, in the order of its columns. */
export const DISPOSITION_COLUMNS = [
  'sampled',
  'attempted',
  'completed',
  'partial',
  'refused',
  'unreachable',
  'ineligible',
  'doNotCall',
  'callback',
  'pending',
  'notWorked',
] as const;

/**
 * Why a record of the months is not in the frame. Shown with the province's
 * recurring problems (missing return dates and phones) first; the server
 * applies them in its own order and counts each record once.
 */
export const EXCLUSIONS = [
  'no_return_date',
  'no_phone',
  'landline',
  'opted_out',
  'recent_interview',
  'duplicate_number',
  'cancelled',
] as const;
export type Exclusion = (typeof EXCLUSIONS)[number];

export type Shortfall = 'no_records' | 'too_few' | 'no_instrument';

export interface UnitPlan {
  unit: { code: string; name: string };
  records: number;
  excluded: Record<Exclusion, number>;
  eligible: number;
  target: number;
  drawn: number;
  shortfall: Shortfall | null;
  strata: { key: string; eligible: number; target: number }[];
  progress: Dispositions;
}

export interface Design {
  z: number;
  proportion: number;
  margin: number;
  floor: number;
  splitAbove: number;
}

export interface RoundDetail {
  id: string;
  name: string;
  periodFrom: string;
  periodTo: string;
  kinds: EventKind[];
  status: RoundStatus;
  seed: string;
  design: Design;
  frameHash: string | null;
  instrument: string | null;
  units: string[] | null;
  createdAt: string;
  publishedAt: string | null;
  closedAt: string | null;
  plan: UnitPlan[];
  total: Dispositions;
  groups: Record<string, Dispositions>;
}

export interface RoundInput {
  name: string;
  periodFrom: string;
  periodTo?: string;
  kinds?: EventKind[];
  units?: string[];
  instrument?: string;
  design?: Partial<Design>;
  seed?: string;
}

export interface InterviewerStats {
  id: string;
  name: string;
  attempts: number;
  completed: number;
  partial: number;
  refused: number;
  noncontact: number;
  callbacks: number;
  other: number;
  held: number;
  days: number;
  callMinutes: number;
  completesPerHour: number | null;
  medianSeconds: number | null;
  flagged: { short: number; identical: number };
}

export interface Productivity {
  medianSeconds: number | null;
  interviewers: InterviewerStats[];
}

export const RECORD_STATUSES = [
  'pending',
  'callback',
  'completed',
  'partial',
  'refused',
  'unreachable',
  'ineligible',
  'do_not_call',
  'not_worked',
] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];
/** Records that can still move between interviewers. */
export const OPEN_STATUSES: ReadonlySet<string> = new Set(['pending', 'callback']);

export { OUTCOMES } from '../../../../../../src/modules/interviews/outcomes';

export type QualityFlag = 'short' | 'identical';

export interface RoundRecord {
  id: string;
  unit: { code: string; name: string };
  stratum: string | null;
  externalId: string;
  kind: EventKind;
  phoneMasked: string | null;
  status: RecordStatus;
  attempts: number;
  lastOutcome: string | null;
  lastAttemptAt: string | null;
  nextAt: string | null;
  interviewer: { id: string; name: string } | null;
  gender: string | null;
  ethnicMinority: boolean | null;
  finishedAt: string | null;
  responseId: string | null;
  durationSeconds: number | null;
  flags: QualityFlag[];
}

export interface Interviewer {
  id: string;
  name: string;
  username: string;
}

export const ROUNDS_KEY = ['rounds'] as const;
export const roundKey = (id: string) => [...ROUNDS_KEY, id] as const;
export const roundHref = (id: string) => `/rounds?id=${encodeURIComponent(id)}`;

/** The server's defaults (src/modules/interviews/sampling.ts). */
export const DEFAULT_DESIGN: Design = { z: 1.96, proportion: 0.5, margin: 0.05, floor: 30, splitAbove: 1000 };

/** Confidence levels offered, with their z. */
export const CONFIDENCE: { level: string; z: number }[] = [
  { level: '90', z: 1.645 },
  { level: '95', z: 1.96 },
  { level: '99', z: 2.576 },
];

/** n0 = z² p(1-p) / e², before the finite-population correction. */
export function infiniteSample(d: Design): number {
  return (d.z ** 2 * d.proportion * (1 - d.proportion)) / d.margin ** 2;
}

/** The target for a unit of `frame` eligible records, as the server works it out. */
export function requiredSample(d: Design, frame: number): number {
  if (frame <= 0) return 0;
  const n0 = infiniteSample(d);
  const n = n0 / (1 + (n0 - 1) / frame);
  return Math.min(frame, Math.max(d.floor, Math.ceil(n - 1e-9)));
}

/** The exclusions of a unit with a count, largest first. */
export function mainExclusions(p: UnitPlan): { reason: Exclusion; count: number }[] {
  return EXCLUSIONS.map((reason) => ({ reason, count: p.excluded[reason] ?? 0 }))
    .filter((x) => x.count > 0)
    .sort((a, b) => b.count - a.count);
}

/** The sum of the plan's rows, for the totals line. */
export function planTotals(plan: UnitPlan[]) {
  const excluded = Object.fromEntries(EXCLUSIONS.map((e) => [e, 0])) as Record<Exclusion, number>;
  let records = 0;
  let eligible = 0;
  let target = 0;
  let drawn = 0;
  for (const p of plan) {
    records += p.records;
    eligible += p.eligible;
    target += p.target;
    drawn += p.drawn;
    for (const e of EXCLUSIONS) excluded[e] += p.excluded[e] ?? 0;
  }
  return { records, eligible, target, drawn, excluded };
}
