// Scores of one index for one period: evidence per unit (rollup counts, or
// per-respondent values from the raw answers, or service events), then the
// publication rules: intervals, suppression, ranks, bands and the change
// from the previous period. Flagged (misuse) answers are excluded and counted.
import { sql } from 'kysely';
import type { Executor } from '../../db/index.ts';
import { callRates } from '../interviews/queries.ts';
import { type Formula, type IndexDefinition, RANKED_CHANNELS } from './definition.ts';
import { type Period, periodRange, previousOf } from './period.ts';
import {
  addMoments,
  addValue,
  type Band,
  bandOf,
  type Interval,
  MIN_PUBLISHED,
  MIN_RANKED,
  type Moments,
  meanChangeP,
  meanInterval,
  noMoments,
  rankByIntervals,
  type SuppressReason,
  shareChangeP,
  suppress,
  wilson,
} from './stats.ts';

/** A share (x of n) or a mean (moments), plus the flagged answers left out, in all and per misuse rule. */
type Evidence = { x: number; m: Moments; excluded: number; byRule: Record<string, number> };
const noEvidence = (): Evidence => ({ x: 0, m: noMoments(), excluded: 0, byRule: {} });
function exclude(e: Evidence, rule: string, n: number) {
  e.excluded += n;
  e.byRule[rule] = (e.byRule[rule] ?? 0) + n;
}
function addRules(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}

export type ScoreRow = {
  unit: string;
  unitName: string;
  level: 'province' | 'unit';
  n: number;
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  suppressed: boolean;
  suppressedReason: SuppressReason | null;
  rank: number | null;
  band: Band | null;
  /** flagged answers (misuse rules) left out of n */
  excluded: number;
  /** the same, per misuse rule (a response counts under its first flag) */
  excludedByRule: Record<string, number>;
  previous: { n: number; value: number; change: number; significant: boolean; p: number } | null;
};

export type ScoreRequest = {
  tenantId: string;
  timeZone: string;
  code: string;
  version: number;
  definition: IndexDefinition;
  period: Period;
  channel: string | null;
  sector?: string;
  /** rollups (fast, the default) or the raw answers (to verify a snapshot) */
  source?: 'rollups' | 'raw';
  /** also compute the previous period for the change test (default true) */
  withPrevious?: boolean;
};

type UnitInfo = { id: string; code: string; name: string; kind: string; sector: string | null; root: boolean };

const SERVING_KINDS = new Set(['service_centre', 'one_stop_office', 'commune', 'hospital', 'health_centre']);
const sectorOf = (u: UnitInfo) => u.sector ?? (u.kind === 'commune' ? 'administration' : null);
const isShare = (f: Formula) => f.kind !== 'mean' && f.kind !== 'weighted' && f.kind !== 'composite';

async function units(db: Executor, tenantId: string, fromDay: string, toDay: string): Promise<UnitInfo[]> {
  const r = await sql<UnitInfo>`
    select id, code, name, kind, sector, parent_id is null as root from units
    where tenant_id = ${tenantId} and valid_from <= ${toDay}::date and (valid_to is null or valid_to >= ${fromDay}::date)
    order by code`.execute(db);
  return r.rows;
}

async function instrumentIds(db: Executor, tenantId: string, codes: readonly string[]): Promise<string[]> {
  const r = await db
    .selectFrom('instruments')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('code', 'in', [...codes])
    .execute();
  return r.map((x) => x.id);
}

/** Counts per unit and value of one item from the rollups (folded plus pending). */
async function rollupCounts(
  db: Executor,
  tenantId: string,
  ids: string[],
  channel: string,
  item: string,
  from: string,
  to: string,
) {
  const part = (table: string) => sql`
    select unit_id, item, value, flag, count from ${sql.table(table)}
    where tenant_id = ${tenantId} and instrument_id = any(${ids}::uuid[]) and channel = ${channel}
      and day between ${from}::date and ${to}::date and item in (${item}, '_n')`;
  const r = await sql<{ unit_id: string; item: string; value: string; flag: string; count: string }>`
    select unit_id, item, value, flag, sum(count)::bigint as count
    from (${part('response_rollups')} union all ${part('response_rollup_deltas')}) x
    group by unit_id, item, value, flag`.execute(db);
  return r.rows.map((x) => ({ ...x, count: Number(x.count) }));
}

/** The same counts straight from the raw answers of complete responses (for verification). */
async function rawCounts(db: Executor, tenantId: string, ids: string[], channel: string, item: string, from: string, to: string) {
  const r = await sql<{ unit_id: string; item: string; value: string; flag: string; count: string }>`
    select r.unit_id, k.item, k.value, coalesce(r.flags[1], '') as flag, count(*)::bigint as count
    from responses r
    cross join lateral (
      select a.item, a.value from response_answers a where a.tenant_id = r.tenant_id and a.response_id = r.id and a.item = ${item}
      union all select '_n', ''
    ) k
    where r.tenant_id = ${tenantId} and r.status = 'complete' and r.instrument_id = any(${ids}::uuid[])
      and r.channel = ${channel} and r.day between ${from}::date and ${to}::date
    group by r.unit_id, k.item, k.value, coalesce(r.flags[1], '')`.execute(db);
  return r.rows.map((x) => ({ ...x, count: Number(x.count) }));
}

const likePattern = (p: string) => (p.endsWith('*') ? `${p.slice(0, -1).replaceAll('_', '\\_')}%` : p.replaceAll('_', '\\_'));

/**
 * Per-respondent formulas, summed per unit in the database (only a row per unit
 * comes back): each respondent's valid answers are scored, averaged within
 * each group of items, the groups averaged; then count, sum and sum of squares
 * per unit (for all_at_least: how many respondents had every answer high enough).
 */
async function respondentMoments(
  db: Executor,
  tenantId: string,
  f: Extract<Formula, { kind: 'mean' | 'composite' | 'all_at_least' }>,
  ids: string[],
  channel: string,
  from: string,
  to: string,
) {
  const groups = f.kind === 'composite' ? f.groups.map((g) => g.items) : [f.items];
  const pats = groups.flatMap((items, gi) => items.map((p) => ({ like: likePattern(p), gi })));
  const score =
    f.kind === 'composite'
      ? f.topBox !== undefined
        ? sql`(a.num >= ${f.topBox})::int::float8`
        : sql`(a.num - ${f.scale.min}) / ${f.scale.max - f.scale.min}::float8`
      : f.kind === 'all_at_least'
        ? sql`(a.num >= ${f.atLeast})::int::float8`
        : sql`a.num`;
  // all_at_least: the respondent's value is the least of its 0/1 scores; the others average.
  const perRespondent = f.kind === 'all_at_least' ? sql`min(g.v)` : sql`avg(g.v)`;
  const perGroup = f.kind === 'all_at_least' ? sql`min(${score})` : sql`avg(${score})`;
  const base = sql`from responses r where r.tenant_id = ${tenantId} and r.status = 'complete'
    and r.instrument_id = any(${ids}::uuid[]) and r.channel = ${channel} and r.day between ${from}::date and ${to}::date`;
  const moments = await sql<{ unit_id: string; n: number; s: number; ss: number }>`
    with g as (
      select r.unit_id, r.id, p.gi, ${perGroup} as v
      from responses r
      join response_answers a on a.tenant_id = r.tenant_id and a.response_id = r.id
      join unnest(${pats.map((p) => p.like)}::text[], ${pats.map((p) => p.gi)}::int[]) as p(pat, gi) on a.item like p.pat
      where r.tenant_id = ${tenantId} and r.status = 'complete' and cardinality(r.flags) = 0
        and r.instrument_id = any(${ids}::uuid[]) and r.channel = ${channel}
        and r.day between ${from}::date and ${to}::date
        and a.num is not null and a.value <> 'na'
      group by r.unit_id, r.id, p.gi
    ), resp as (
      select g.unit_id, ${perRespondent} as v from g group by g.unit_id, g.id
    )
    select unit_id, count(*)::int as n, sum(v)::float8 as s, sum(v * v)::float8 as ss from resp group by unit_id`.execute(db);
  const flagged = await sql<{ unit_id: string; rule: string; n: string }>`
    select r.unit_id, r.flags[1] as rule, count(*) as n ${base} and cardinality(r.flags) > 0
    group by r.unit_id, r.flags[1]`.execute(db);
  return { moments: moments.rows, flagged: flagged.rows };
}

async function surveyEvidence(
  db: Executor,
  req: ScoreRequest,
  f: Extract<Formula, { instruments: string[] }>,
  channel: string,
  from: string,
  to: string,
): Promise<Map<string, Evidence>> {
  const out = new Map<string, Evidence>();
  const get = (u: string) => out.get(u) ?? (out.set(u, noEvidence()).get(u) as Evidence);
  const ids = await instrumentIds(db, req.tenantId, f.instruments);
  if (!ids.length) return out;
  const singleItem = f.kind === 'mean' && f.items.length === 1 && !f.items[0]?.endsWith('*') ? f.items[0] : undefined;
  if (f.kind === 'share' || f.kind === 'weighted' || singleItem) {
    const item = singleItem ?? (f as { item: string }).item;
    const counts = req.source === 'raw' ? rawCounts : rollupCounts;
    for (const r of await counts(db, req.tenantId, ids, channel, item, from, to)) {
      const e = get(r.unit_id);
      if (r.item === '_n') {
        if (r.flag !== '') exclude(e, r.flag, r.count);
        continue;
      }
      if (r.flag !== '' || r.value === 'na') continue;
      if (f.kind === 'share') {
        if (f.among && !f.among.includes(r.value)) continue;
        const num = Number(r.value);
        const hit = f.values ? f.values.includes(r.value) : Number.isFinite(num) && num >= (f.atLeast as number);
        e.m.n += r.count;
        if (hit) e.x += r.count;
      } else if (f.kind === 'weighted') {
        const w = f.weights[r.value];
        if (w !== undefined) addValue(e.m, w, r.count);
      } else {
        const num = Number(r.value);
        if (Number.isFinite(num)) addValue(e.m, num, r.count);
      }
    }
    return out;
  }
  const { moments, flagged } = await respondentMoments(db, req.tenantId, f, ids, channel, from, to);
  for (const x of flagged) exclude(get(x.unit_id), x.rule, Number(x.n));
  for (const m of moments) {
    const e = get(m.unit_id);
    if (f.kind === 'all_at_least') {
      e.m.n += Number(m.n);
      e.x += Number(m.s);
    } else e.m = addMoments(e.m, { n: Number(m.n), sum: Number(m.s), sumsq: Number(m.ss) });
  }
  return out;
}

async function eventEvidence(
  db: Executor,
  req: ScoreRequest,
  f: Formula,
  start: Date,
  end: Date,
): Promise<Map<string, Evidence>> {
  const out = new Map<string, Evidence>();
  let rows: { unit_id: string; n: string; x: string }[];
  if (f.kind === 'events_on_time') {
    rows = (
      await sql<{ unit_id: string; n: string; x: string }>`
        select unit_id, count(*) as n, count(*) filter (where returned_at <= due_at) as x
        from service_events
        where tenant_id = ${req.tenantId} and kind = any(${f.eventKinds}::text[])
          and returned_at >= ${start} and returned_at < ${end} and due_at is not null
        group by unit_id`.execute(db)
    ).rows;
  } else if (f.kind === 'decision766') {
    const checks = [];
    for (const d of f.dissatisfied) {
      const ids = await instrumentIds(db, req.tenantId, [d.instrument]);
      if (!ids.length) continue;
      checks.push(sql`exists (
        select 1 from responses r join response_answers a on a.tenant_id = r.tenant_id and a.response_id = r.id
        where r.tenant_id = e.tenant_id and r.event_id = e.id and r.status = 'complete' and cardinality(r.flags) = 0
          and r.instrument_id = any(${ids}::uuid[]) and a.item = ${d.item} and a.num <= ${d.atMost})`);
    }
    const dissatisfied = checks.length ? sql.join(checks, sql` or `) : sql`false`;
    rows = (
      await sql<{ unit_id: string; n: string; x: string }>`
        select unit_id, count(*) as n,
          count(*) filter (where returned_at is not null and (due_at is null or returned_at <= due_at) and not (${dissatisfied})) as x
        from service_events e
        where tenant_id = ${req.tenantId} and kind = 'dossier' and status <> 'cancelled'
          and ((returned_at >= ${start} and returned_at < ${end})
            or (returned_at is null and due_at >= ${start} and due_at < ${end} and due_at < now()))
        group by unit_id`.execute(db)
    ).rows;
  } else if (f.kind === 'phone_calls') {
    rows = await callRates(db, { tenantId: req.tenantId, eventKinds: f.eventKinds, rate: f.rate, start, end });
  } else return out;
  for (const r of rows) out.set(r.unit_id, { x: Number(r.x), m: { n: Number(r.n), sum: 0, sumsq: 0 }, excluded: 0, byRule: {} });
  return out;
}

async function evidenceFor(db: Executor, req: ScoreRequest, period: Period): Promise<Map<string, Evidence>> {
  const f = req.definition.formula;
  const range = periodRange(period, req.timeZone);
  if ('instruments' in f) return surveyEvidence(db, req, f, req.channel as string, range.fromDay, range.toDay);
  return eventEvidence(db, req, f, range.start, range.end);
}

/** The figure and its interval in display units (shares and composites in percent). */
function estimate(f: Formula, e: Evidence): Interval {
  if (isShare(f)) {
    const w = wilson(e.x, e.m.n);
    return { value: w.value * 100, low: w.low * 100, high: w.high * 100 };
  }
  const iv = meanInterval(e.m);
  const k = f.kind === 'composite' ? 100 : 1;
  return { value: iv.value * k, low: iv.low * k, high: iv.high * k };
}

function changeP(f: Formula, a: Evidence, b: Evidence): number {
  return isShare(f) ? shareChangeP(a.x, a.m.n, b.x, b.m.n) : meanChangeP(a.m, b.m);
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

export type ScoreResult = {
  index: string;
  version: number;
  period: string;
  channel: string | null;
  ranked: boolean;
  province: ScoreRow;
  rows: ScoreRow[];
  /** the evidence behind each row, for the hash of a snapshot's inputs */
  inputs: { unit: string; n: number; x: number; sum: number; sumsq: number; excluded: number }[];
};

/** Every serving unit of the sector (and any unit with evidence), the province first. */
export async function computeScores(db: Executor, req: ScoreRequest): Promise<ScoreResult> {
  const f = req.definition.formula;
  const range = periodRange(req.period, req.timeZone);
  const all = await units(db, req.tenantId, range.fromDay, range.toDay);
  const sector = req.sector ?? req.definition.sector ?? undefined;
  const [now, before] = await Promise.all([
    evidenceFor(db, req, req.period),
    req.withPrevious === false ? new Map<string, Evidence>() : evidenceFor(db, req, previousOf(req.period)),
  ]);
  const chosen = all.filter(
    (u) =>
      !u.root &&
      (sector === undefined || sectorOf(u) === sector) &&
      (SERVING_KINDS.has(u.kind) || now.has(u.id) || before.has(u.id)),
  );
  const ev = chosen.map((u) => now.get(u.id) ?? noEvidence());
  const total = ev.reduce(
    (a, e) => ({
      x: a.x + e.x,
      m: addMoments(a.m, e.m),
      excluded: a.excluded + e.excluded,
      byRule: addRules(a.byRule, e.byRule),
    }),
    noEvidence(),
  );
  const prevTotal = chosen.reduce((a, u) => {
    const e = before.get(u.id);
    return e
      ? { x: a.x + e.x, m: addMoments(a.m, e.m), excluded: a.excluded + e.excluded, byRule: addRules(a.byRule, e.byRule) }
      : a;
  }, noEvidence());

  const reasons = suppress(ev.map((e) => e.m.n));
  // Call rates describe the fieldwork, not the unit's service: shown, never ranked.
  const ranked = f.kind !== 'phone_calls' && (!('channels' in f) || RANKED_CHANNELS.includes(req.channel as string));
  const row = (
    u: { code: string; name: string },
    level: ScoreRow['level'],
    e: Evidence,
    reason: SuppressReason | null,
    prev?: Evidence,
  ): ScoreRow => {
    const iv = reason || e.m.n === 0 ? undefined : estimate(f, e);
    let previous: ScoreRow['previous'] = null;
    if (iv && prev && prev.m.n >= MIN_PUBLISHED) {
      const pv = estimate(f, prev).value;
      const p = changeP(f, e, prev);
      previous = { n: prev.m.n, value: round(pv), change: round(iv.value - pv), significant: p < 0.05, p: round(p) };
    }
    return {
      unit: u.code,
      unitName: u.name,
      level,
      n: e.m.n,
      value: iv ? round(iv.value) : null,
      ciLow: iv ? round(iv.low) : null,
      ciHigh: iv ? round(iv.high) : null,
      suppressed: iv === undefined,
      suppressedReason: iv ? null : (reason ?? 'no_answers'),
      rank: null,
      band: null,
      excluded: e.excluded,
      excludedByRule: e.byRule,
      previous,
    };
  };
  const root = all.find((u) => u.root);
  const province = row(
    { code: root?.code ?? 'PROVINCE', name: root?.name ?? '' },
    'province',
    total,
    total.m.n === 0 ? 'no_answers' : total.m.n < MIN_PUBLISHED ? 'small_sample' : null,
    prevTotal,
  );
  const rows = chosen.map((u, i) => row(u, 'unit', ev[i] as Evidence, reasons[i] ?? null, before.get(u.id)));

  if (ranked && province.value !== null) {
    const eligible = rows.flatMap((r, i) => (r.value !== null && r.n >= MIN_RANKED ? [i] : []));
    const ivs = eligible.map((i) => {
      const r = rows[i] as ScoreRow;
      return { value: r.value as number, low: r.ciLow as number, high: r.ciHigh as number };
    });
    const ranks = rankByIntervals(ivs, req.definition.higherIsBetter);
    eligible.forEach((i, k) => {
      const r = rows[i] as ScoreRow;
      r.rank = ranks[k] as number;
      r.band = bandOf(ivs[k] as Interval, province.value as number);
    });
  }
  rows.sort(
    (a, b) => (a.rank ?? Number.POSITIVE_INFINITY) - (b.rank ?? Number.POSITIVE_INFINITY) || a.unit.localeCompare(b.unit),
  );
  const inputs = chosen
    .map((u, i) => {
      const e = ev[i] as Evidence;
      return { unit: u.code, n: e.m.n, x: e.x, sum: e.m.sum, sumsq: e.m.sumsq, excluded: e.excluded };
    })
    .sort((a, b) => a.unit.localeCompare(b.unit));
  return { index: req.code, version: req.version, period: req.period.code, channel: req.channel, ranked, province, rows, inputs };
}
