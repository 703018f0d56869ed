// A synthetic history of the demo province, deterministic for a seed: the
// dossiers and visits of each serving unit, month by month, and the answers
// citizens gave on kiosk, phone, SMS and web. Everything goes through the
// same code paths and rules as real data (event normalisation and upsert, the
// response intake), so a second run with the same seed changes nothing.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import { type CopyColumns, CopyRows } from '../../db/copy.ts';
import type { Database, Db } from '../../db/index.ts';
import { AppError } from '../../platform/errors.ts';
import { namedUuid, rng, timeOrderedUuid } from '../../platform/random.ts';
import { instantMs, isoUtc, periodBounds, zonedTimeToUtc } from '../../platform/time.ts';
import type { Vault } from '../../platform/vault.ts';
import {
  type Candidate,
  EVENT_COPY_COLUMNS,
  EVENT_PERIOD,
  eventCopyValues,
  prepareEvents,
  upsertEvents,
} from '../events/commands/upsert-events.ts';
import { normalizeEvent, normalizeTypedEvent } from '../events/normalize.ts';
import type { EventInput } from '../events/schema.ts';
import {
  ANSWER_COPY_COLUMNS,
  answerCopyValues,
  checkResponses,
  type parseResponses,
  RESPONSE_COPY_COLUMNS,
  type Ready,
  type ResponseLookups,
  responseCopyValues,
  type Source,
  submitResponses,
} from '../responses/commands/submit-responses.ts';
import type { ResponseBody } from '../responses/schema.ts';
import { dataChanged } from '../scoring/cache.ts';
import { type PublishedVersion, publishedVersion } from '../surveys/queries.ts';
import { DEPARTMENTS, FAMILY, GIVEN, MIDDLE, PROCEDURES } from './vocabulary.ts';

export type GenerateOptions = {
  tenantId: string;
  timeZone: string;
  /** last month generated, YYYY-MM */
  until: string;
  months: number;
  seed: number;
  /** multiplies every volume (1 = realistic; tests use less) */
  scale: number;
  /**
   * intake: every record through the event upsert and the response intake (safe to
   * run again); bulk: the same records prepared by the same code, then loaded with
   * COPY, into a tenant with no events or responses yet. auto: bulk when empty.
   */
  path?: 'intake' | 'bulk' | 'auto';
  /** refresh the planner's statistics after a bulk load (default; a run of many bulk loads does it once at the end) */
  analyze?: boolean;
  /** the vault's key, so that a bulk load can plan months on a worker thread */
  secretKey?: string;
  officeScale?: number;
  onProgress?: (line: string) => void;
};

export type GenerateSummary = { events: number; responses: number; months: string[]; seconds: number; path: 'bulk' | 'intake' };

const MOBILE_PREFIXES = ['091', '094', '088', '098', '097', '086', '090', '093', '089', '070', '079', '081', '083', '085'];
const BEST = ['Cán bộ hướng dẫn tận tình', 'Trả kết quả đúng hẹn', 'Thủ tục nhanh gọn', 'Nơi ngồi chờ sạch sẽ'];
const WORST = ['Phải chờ lâu', 'Bị hẹn lại nhiều lần', 'Hướng dẫn chưa rõ', 'Phòng chờ chật'];

export type UnitRow = { id: string; code: string; kind: string; sector: string | null; kiosks: number };

/** Each unit's character: volume, punctuality, data quality and how well it serves. */
function profileOf(u: UnitRow, next: () => number) {
  const hospital = u.kind === 'hospital';
  const health = u.sector === 'health';
  return {
    monthly: hospital ? 4000 + next() * 4000 : health ? 600 + next() * 1200 : 500 + next() * 2500,
    lateShare: 0.03 + next() * 0.22,
    phoneShare: next() < 0.2 ? 0.45 + next() * 0.2 : 0.85 + next() * 0.13,
    nameShare: 0.8 + next() * 0.2,
    returnDateShare: next() < 0.15 ? 0.5 + next() * 0.3 : 0.95 + next() * 0.05,
    /** how far above or below the provincial level it serves, in points of a 1-10 scale */
    quality: (next() - 0.5) * 1.6,
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

function monthsUntil(until: string, months: number): string[] {
  const [y, m] = until.split('-').map(Number) as [number, number];
  const out: string[] = [];
  for (let i = months - 1; i >= 0; i--) {
    const t = y * 12 + (m - 1) - i;
    out.push(`${Math.floor(t / 12)}-${pad((t % 12) + 1)}`);
  }
  return out;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.round(v)));

/**
 * Whether the tenant has neither service events nor responses (a bulk load needs
 * that). Every write of events records its units' lists of the month (a bulk
 * load before its rows), so the small lists table answers for the events: the
 * national demo sets aside the events table's indexes while it loads.
 */
export async function historyIsEmpty(db: Db, tenantId: string): Promise<boolean> {
  const r = await sql<{ any: boolean }>`
    select exists (select 1 from list_submissions where tenant_id = ${tenantId})
        or exists (select 1 from responses where tenant_id = ${tenantId}) as any`.execute(db);
  return !r.rows[0]?.any;
}

export type Plan = {
  tenantId: string;
  timeZone: string;
  seed: number;
  scale: number;
  /** volume of one-stop offices against the others (the commune offices of the national demo are small) */
  officeScale?: number;
  units: UnitRow[];
  months: string[];
};

/** Writes a unit's generated events and gives back their ids (the intake's upsert, or ids made for a bulk load). */
export type EventWriter = (raw: EventInput[]) => Promise<(string | undefined)[]>;

/** One month of every unit: events handed to the writer, then the answers about them (not yet written). */
export async function planMonth(
  plan: Plan,
  mi: number,
  writeEvents: EventWriter,
): Promise<{ events: number; answers: unknown[] }> {
  const o = plan;
  const { units, months } = plan;
  const period = months[mi] as string;
  let events = 0;
  const monthAnswers: unknown[] = [];
  // The province's satisfaction rose from about 7.3 to 8.3 over the years.
  const level = 7.3 + (months.length > 1 ? mi / (months.length - 1) : 1) * 1.0;
  const { start, end } = periodBounds(period, o.timeZone);
  const [py, pm] = period.split('-').map(Number) as [number, number];
  const endMs = end.getTime();
  const days = Math.round((endMs - start.getTime()) / 86_400_000);
  for (const u of units) {
    // One sequence per unit and month: a unit's data does not depend on the others'.
    const next = rng(o.seed * 1_000_003 + hash(`${u.code}:${period}`));
    let nth = 0;
    const responseId = () => namedUuid(`${o.seed}:${u.code}:${period}:${nth++}`);
    const p = profileOf(u, rng(o.seed + hash(u.code)));
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] as T;
    const volume = u.kind === 'one_stop_office' ? (o.officeScale ?? 1) : 1;
    const n = Math.max(1, Math.round(p.monthly * o.scale * volume * (0.85 + next() * 0.3)));
    const kind = u.sector === 'health' ? (u.kind === 'hospital' && next() < 0.25 ? 'inpatient' : 'outpatient') : 'dossier';
    const raw: EventInput[] = [];
    const idPrefix = `${u.code}-${period.replace('-', '')}-`;
    for (let i = 0; i < n; i++) {
      const day = 1 + Math.floor(next() * days);
      // Instants in whole milliseconds (as a Date holds them), written as canonical UTC text.
      const received = zonedTimeToUtc(py, pm, day, 7 + Math.floor(next() * 9), Math.floor(next() * 60), 0, o.timeZone).getTime();
      const dueDays = u.sector === 'health' ? 0 : 3 + Math.floor(next() * 12);
      const due = received + dueDays * 86_400_000;
      const late = next() < p.lateShare;
      const returned = Math.trunc(due + (late ? 1 + next() * 6 : -next() * Math.min(2, dueDays)) * 86_400_000);
      const phone =
        next() < p.phoneShare ? `${pick(MOBILE_PREFIXES)}${String(Math.floor(next() * 1e7)).padStart(7, '0')}` : undefined;
      const name = next() < p.nameShare ? `${pick(FAMILY)} ${pick(MIDDLE)} ${pick(GIVEN)}` : undefined;
      const hasReturn = next() < p.returnDateShare && returned < endMs;
      // Fields set one by one, not spread from temporary objects: millions of events a run.
      const ev: EventInput = { unit: u.code, externalId: `${idPrefix}${String(i + 1).padStart(5, '0')}`, kind };
      if (kind === 'dossier') ev.service = pick(PROCEDURES);
      else ev.department = pick(DEPARTMENTS);
      ev.receivedAt = isoUtc(received);
      if (dueDays) ev.dueAt = isoUtc(due);
      if (hasReturn) ev.returnedAt = isoUtc(returned);
      if (phone && name) ev.citizen = { name, phone };
      else if (phone) ev.citizen = { phone };
      else if (name) ev.citizen = { name };
      raw.push(ev);
    }
    const ids = await writeEvents(raw);
    events += raw.length;

    // Answers: kiosk taps where the unit has tablets, web answers by QR,
    // phone interviews and SMS replies about returned records with a phone.
    const answers: unknown[] = [];
    const mean = level + p.quality;
    const face = () => clamp(1 + ((mean - 1) / 9) * 3 + (next() - 0.5) * 2.2, 1, 4);
    const stamp = () =>
      zonedTimeToUtc(py, pm, 1 + Math.floor(next() * days), 7 + Math.floor(next() * 10), Math.floor(next() * 60), 0, o.timeZone);
    const quick = (channel: 'kiosk' | 'web') => {
      const f = face();
      const a: Record<string, unknown> = { OVERALL: f };
      if (next() < 0.5)
        a[f >= 3 ? 'REASONS_GOOD' : 'REASONS_BAD'] = [
          f >= 3 ? pick(['on_time', 'friendly_staff', 'fast']) : pick(['long_wait', 'unclear_guidance', 'asked_to_return']),
        ];
      answers.push({
        id: responseId(),
        instrument: 'KIOSK_QUICK',
        channel,
        unit: u.code,
        submittedAt: isoUtc(stamp().getTime()),
        answers: a,
      });
    };
    for (let i = 0; i < Math.round(u.kiosks * 60 * o.scale * (0.7 + next() * 0.6)); i++) quick('kiosk');
    for (let i = 0; i < Math.max(1, Math.round(10 * o.scale * (0.5 + next()))); i++) quick('web');
    // Events that can be asked about: returned, with a citizen, written (by their index).
    const reachable: number[] = [];
    for (let i = 0; i < raw.length; i++) if (ids[i] && raw[i]?.returnedAt && raw[i]?.citizen) reachable.push(i);
    const reach = () => {
      const k = reachable[Math.floor(next() * reachable.length)] as number;
      return { r: raw[k] as EventInput, id: ids[k] as string };
    };
    const called = new Set<string>();
    const interviews = Math.min(reachable.length, Math.round(35 * o.scale + 1));
    for (let i = 0; i < interviews; i++) {
      const x = reach();
      const when = new Date(instantMs(x.r.returnedAt as string) + (1 + next() * 5) * 86_400_000);
      if (when >= end || called.has(x.id)) continue;
      called.add(x.id);
      answers.push({
        id: responseId(),
        channel: 'phone',
        unit: u.code,
        eventId: x.id,
        submittedAt: isoUtc(when.getTime()),
        ...(u.sector === 'health'
          ? mohAnswers(mean, next)
          : mscoreAnswers(
              mean,
              next,
              Boolean(x.r.dueAt) && instantMs(x.r.returnedAt as string) > instantMs(x.r.dueAt as string),
            )),
      });
    }
    const texted = new Set<string>();
    for (let i = 0; i < Math.min(reachable.length, Math.max(1, Math.round(20 * o.scale))); i++) {
      const x = reach();
      const when = new Date(instantMs(x.r.returnedAt as string) + 3_600_000);
      if (when >= end || texted.has(x.id)) continue;
      texted.add(x.id);
      answers.push({
        id: responseId(),
        instrument: 'SMS_ONE',
        channel: 'sms',
        unit: u.code,
        eventId: x.id,
        submittedAt: isoUtc(when.getTime()),
        answers: { RATING: clamp(1 + ((mean - 1) / 9) * 4 + (next() - 0.5) * 2, 1, 5) },
      });
    }
    monthAnswers.push(...answers);
  }
  return { events, answers: monthAnswers };
}

/** The bulk writer: the upsert's own preparation (normalise, check, encrypt, hash), ids made here, rows for COPY. */
export function bulkEventWriter(
  vault: Vault,
  plan: Plan,
  out: CopyRows,
  units: Map<string, string>,
  lists: Set<string>,
): EventWriter {
  const unitIds = new Map(plan.units.map((u) => [u.code, u.id]));
  let lastUnit = '';
  let lastPeriod = '';
  return async (raw) => {
    const ids: string[] = [];
    for (let i = 0; i < raw.length; i += 1000) {
      const candidates: Candidate[] = [];
      for (let k = i; k < Math.min(i + 1000, raw.length); k++) {
        const n = normalizeTypedEvent(raw[k] as EventInput, plan.timeZone);
        candidates.push({ index: k - i, event: n.event, ref: n.ref, errors: n.errors, warnings: n.warnings });
      }
      const prepared = prepareEvents(vault, { tenantId: plan.tenantId, units: unitIds, scope: { all: true }, candidates });
      const bad = prepared.results.find((r) => r.errors.length);
      if (bad) throw new Error(`demo: a generated event was refused: ${JSON.stringify(bad.errors)}`);
      for (const r of prepared.rows) {
        const id = timeOrderedUuid();
        ids.push(id);
        // Only returned events are asked about: the others stay out of the
        // lookup (an answer about one would be refused, not let through).
        if (r.e.returnedAt !== null) units.set(id, r.unitId);
        const row = eventCopyValues(r, id, plan.tenantId, plan.timeZone, 'api');
        out.add(row);
        // A unit's events mostly share a period: the key is made when either changes.
        if (r.unitId !== lastUnit || row[EVENT_PERIOD] !== lastPeriod) {
          lastUnit = r.unitId;
          lastPeriod = row[EVENT_PERIOD] as string;
          lists.add(`${lastUnit} ${lastPeriod}`);
        }
      }
    }
    return ids;
  };
}

export async function generateDemo(database: Database, vault: Vault, o: GenerateOptions): Promise<GenerateSummary> {
  const t0 = performance.now();
  const db = database.db;
  const empty = await historyIsEmpty(db, o.tenantId);
  const bulk = o.path === 'bulk' || ((o.path ?? 'auto') === 'auto' && empty);
  if (bulk && !empty)
    throw new AppError(409, 'demo.not_empty', 'a bulk load needs a tenant without events or responses; use the intake path');

  const units = (await db
    .selectFrom('units')
    .select(['id', 'code', 'kind', 'sector', 'kiosks'])
    .where('tenant_id', '=', o.tenantId)
    .where('kind', 'in', ['one_stop_office', 'service_centre', 'hospital', 'health_centre'])
    .where('valid_to', 'is', null)
    // By id: each month's events then come in the order of the period index
    // (tenant, period, unit), which builds from sorted rows in a third of the time.
    .orderBy('id')
    .execute()) as UnitRow[];
  const months = monthsUntil(o.until, o.months);
  const plan: Plan = {
    tenantId: o.tenantId,
    timeZone: o.timeZone,
    seed: o.seed,
    scale: o.scale,
    officeScale: o.officeScale,
    units,
    months,
  };
  let events = 0;
  let responses = 0;
  const progress = (mi: number) =>
    o.onProgress?.(
      `${months[mi]} (${mi + 1}/${months.length}): ${events.toLocaleString('en')} events, ${responses.toLocaleString('en')} responses`,
    );
  if (bulk) {
    const versions = new Map<string, PublishedVersion | undefined>();
    for (const code of DEMO_INSTRUMENTS) versions.set(code, await publishedVersion(db, o.tenantId, code));
    // Months are planned and checked on a worker thread (when the key is at hand) while this thread loads the previous ones.
    const planned = o.secretKey ? plannedOnWorker(plan, versions, o.secretKey) : plannedHere(plan, versions, vault);
    for await (const m of planned) {
      await loadMonth(database, o.tenantId, m);
      events += m.events;
      responses += m.responses;
      progress(m.mi);
    }
    if (o.analyze ?? true) await analyzeLoaded(db);
  } else {
    const unitIds = new Map(units.map((u) => [u.code, u.id]));
    const writeEvents: EventWriter = async (raw) => {
      const ids: (string | undefined)[] = [];
      for (let i = 0; i < raw.length; i += 1000) {
        const candidates: Candidate[] = raw.slice(i, i + 1000).map((r, index) => ({ index, ...normalizeEvent(r, o.timeZone) }));
        const input = {
          tenantId: o.tenantId,
          timeZone: o.timeZone,
          source: 'api' as const,
          units: unitIds,
          scope: SOURCE.scope,
          candidates,
        };
        for (const r of await upsertEvents(db, vault, input)) ids.push(r.id);
      }
      return ids;
    };
    for (const mi of months.keys()) {
      const m = await planMonth(plan, mi, writeEvents);
      for (let i = 0; i < m.answers.length; i += 500) {
        const results = await submitResponses(db, vault, o.tenantId, m.answers.slice(i, i + 500), SOURCE);
        const bad = results.find((r) => r.result === 'rejected');
        if (bad) throw new Error(`demo: a generated response was refused: ${bad.code} ${JSON.stringify(bad.errors ?? [])}`);
      }
      events += m.events;
      responses += m.answers.length;
      progress(mi);
    }
  }
  return { events, responses, months, seconds: (performance.now() - t0) / 1000, path: bulk ? 'bulk' : 'intake' };
}

/** Fresh planner statistics for the tables a bulk load filled: the score queries' plans depend on them. */
export async function analyzeLoaded(db: Db) {
  for (const table of ['service_events', 'responses', 'response_answers', 'response_rollups'])
    await sql`analyze ${sql.table(table)}`.execute(db);
}

/** The instruments the generated answers use (their latest published versions). */
const DEMO_INSTRUMENTS = ['KIOSK_QUICK', 'MSCORE_PHONE', 'MOH_OUTPATIENT', 'SMS_ONE'];
const SOURCE: Source = { type: 'token', id: null, scope: { all: true } };

/** A month ready for COPY: events, responses, answers and the rollup counts, in COPY's binary format. */
export type PlannedMonth = {
  mi: number;
  events: number;
  responses: number;
  eventRows: Uint8Array;
  responseRows: Uint8Array;
  answerRows: Uint8Array;
  rollupRows: Uint8Array;
  /** each unit's list of the month, as received: [unit id, period] */
  lists: [string, string][];
};

/**
 * Plans a month for the bulk path: events prepared by the upsert's own code,
 * answers checked by the intake's own rules (with the month's events and the
 * given versions standing in for the database), and the counts the intake
 * would add as rollup deltas.
 */
export async function planBulkMonth(
  plan: Plan,
  versions: Map<string, PublishedVersion | undefined>,
  vault: Vault,
  mi: number,
): Promise<PlannedMonth> {
  const eventRows = new CopyRows(EVENT_COPY_COLUMNS, 1 << 20);
  const eventUnits = new Map<string, string>();
  const lists = new Set<string>();
  const m = await planMonth(plan, mi, bulkEventWriter(vault, plan, eventRows, eventUnits, lists));
  const lookups: ResponseLookups = {
    zone: plan.timeZone,
    units: new Map(plan.units.map((u) => [u.code, u.id])),
    events: eventUnits,
    versions,
  };
  const responseRows = new CopyRows(RESPONSE_COPY_COLUMNS, 1 << 18);
  const answerRows = new CopyRows(ANSWER_COPY_COLUMNS, 1 << 18);
  // The rollup rows the intake would add to: by (unit, day, channel, instrument, version), then by item and value.
  const counts = new Map<string, Map<string, (string | number)[]>>();
  const count = (r: Ready, rows: Map<string, (string | number)[]>, item: string, value: string) => {
    const k = `${item}\u0000${value}`;
    const row = rows.get(k);
    if (row) (row[9] as number)++;
    else
      rows.set(k, [
        plan.tenantId,
        r.unitId,
        r.day,
        r.body.channel,
        r.version.instrumentId,
        r.version.version,
        item,
        value,
        '',
        1,
      ]);
  };
  // In the order of their ids, as the keys of responses and answers sort them:
  // those indexes then build from rows sorted month by month, about 40% faster.
  const answers = (m.answers as { id: string }[]).sort((a, b) => byText(a.id, b.id));
  for (let i = 0; i < answers.length; i += 500) {
    const batch = ownResponses(answers.slice(i, i + 500));
    const { results, ready } = checkResponses(vault, plan.tenantId, lookups, batch, SOURCE);
    const bad = results.find((r) => r?.result === 'rejected');
    if (bad) throw new Error(`demo: a generated response was refused: ${bad.code} ${JSON.stringify(bad.errors ?? [])}`);
    for (const r of ready) {
      responseRows.add(responseCopyValues(r, plan.tenantId, SOURCE));
      for (const a of answerCopyValues(r, plan.tenantId)) answerRows.add(a);
      if (r.body.status !== 'complete') continue;
      const key = `${r.unitId}\u0000${r.day}\u0000${r.body.channel}\u0000${r.version.instrumentId}\u0000${r.version.version}`;
      let rows = counts.get(key);
      if (!rows) {
        rows = new Map();
        counts.set(key, rows);
      }
      count(r, rows, '_n', '');
      for (const a of r.rows) count(r, rows, a.item, a.rollup);
    }
  }
  const rollupRows = new CopyRows(ROLLUP_COPY_COLUMNS, 1 << 18);
  // In the order of the rollups' key (unit, day, channel, instrument, version, item, value), for the same reason.
  for (const key of [...counts.keys()].sort(byText)) {
    const rows = counts.get(key) as Map<string, (string | number)[]>;
    for (const k of [...rows.keys()].sort(byText)) rollupRows.add(rows.get(k) as (string | number)[]);
  }
  return {
    mi,
    events: m.events,
    responses: m.answers.length,
    eventRows: eventRows.finish(),
    responseRows: responseRows.finish(),
    answerRows: answerRows.finish(),
    rollupRows: rollupRows.finish(),
    lists: [...lists].map((k) => k.split(' ') as [string, string]),
  };
}

/** Code-point order, as the "C" collation and uuids sort (the texts compared here are ASCII). */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The generator's own response bodies as the schema gives them back (its
 * defaults filled in) without the type check, as for its events; the rules
 * are all applied. The generator's test proves the intake takes every one of
 * them as a replay of the same content.
 */
function ownResponses(inputs: unknown[]): ReturnType<typeof parseResponses> {
  return {
    results: new Array(inputs.length),
    parsed: inputs.map((raw, index) => ({
      index,
      body: { status: 'complete', language: 'vi', ...(raw as object) } as ResponseBody,
    })),
  };
}

async function* plannedHere(
  plan: Plan,
  versions: Map<string, PublishedVersion | undefined>,
  vault: Vault,
): AsyncGenerator<PlannedMonth> {
  for (const mi of plan.months.keys()) yield planBulkMonth(plan, versions, vault, mi);
}

/**
 * Months planned on worker threads, one lane per core and two months ahead
 * each, handed back in order: planning (random draws, checks, encryption,
 * CSV) runs beside the loading.
 */
async function* plannedOnWorker(
  plan: Plan,
  versions: Map<string, PublishedVersion | undefined>,
  secretKey: string,
): AsyncGenerator<PlannedMonth> {
  const lanes = Math.max(1, Math.min(availableParallelism(), plan.months.length, 4));
  const workers = Array.from(
    { length: lanes },
    () => new Worker(new URL('./bulk-worker.ts', import.meta.url), { workerData: { plan, versions, secretKey } }),
  );
  const ready = new Map<number, PlannedMonth>();
  let waiting: { resolve: () => void; reject: (e: Error) => void } | undefined;
  let failure: Error | undefined;
  for (const worker of workers) {
    worker.on('message', (m: PlannedMonth) => {
      ready.set(m.mi, m);
      waiting?.resolve();
    });
    worker.on('error', (e) => {
      failure = e;
      waiting?.reject(e);
    });
  }
  const ask = (mi: number) => mi < plan.months.length && workers[mi % lanes]?.postMessage(mi);
  try {
    for (let mi = 0; mi < 2 * lanes; mi++) ask(mi);
    for (const mi of plan.months.keys()) {
      while (!ready.has(mi)) {
        if (failure) throw failure;
        await new Promise<void>((resolve, reject) => {
          waiting = { resolve, reject };
        });
      }
      const m = ready.get(mi) as PlannedMonth;
      ready.delete(mi);
      ask(mi + 2 * lanes);
      yield m;
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** A month of the bulk path, a COPY per table. Events are known good, so their key checks may be skipped. */
async function loadMonth(database: Database, tenantId: string, m: PlannedMonth) {
  const load = (table: string, columns: CopyColumns, rows: Uint8Array, trusted = false) =>
    database.copyRows(table, Object.keys(columns), rows, { trusted });
  // Each unit's list of the month counts as received; recorded first, so that
  // a stopped load never leaves events that historyIsEmpty cannot see.
  await sql`insert into list_submissions (tenant_id, unit_id, period, first_received_at, last_received_at)
    select ${tenantId}, unit_id, period, now(), now()
      from unnest(${m.lists.map((l) => l[0])}::uuid[], ${m.lists.map((l) => l[1])}::text[]) as t(unit_id, period)
    on conflict do nothing`.execute(database.db);
  await load('service_events', EVENT_COPY_COLUMNS, m.eventRows, true);
  await load('responses', RESPONSE_COPY_COLUMNS, m.responseRows);
  await load('response_answers', ANSWER_COPY_COLUMNS, m.answerRows);
  await load('response_rollups', ROLLUP_COPY_COLUMNS, m.rollupRows);
  dataChanged(tenantId);
}

const ROLLUP_COPY_COLUMNS: CopyColumns = {
  tenant_id: 'uuid',
  unit_id: 'uuid',
  day: 'date',
  channel: 'text',
  instrument_id: 'uuid',
  version: 'int4',
  item: 'text',
  value: 'text',
  flag: 'text',
  count: 'int8',
};

function mscoreAnswers(mean: number, next: () => number, late: boolean) {
  const askedBack = next() < 0.12;
  const fee = next();
  const a: Record<string, unknown> = {
    IDENTITY: true,
    RESULT_STATUS: late ? 'late' : 'on_time',
    ASKED_TO_RETURN: askedBack,
    FEE_PAID: fee < 0.55 ? 'none' : fee < 0.99 ? 'with_receipt' : 'without_receipt',
    EXTRA_PAYMENT: next() < 0.01,
    STAFF_ATTITUDE: clamp(mean * 0.9 + (next() - 0.5) * 2.5, 1, 9),
    GUIDANCE_CLARITY: next() < 0.03 ? 0 : clamp(mean * 0.88 + (next() - 0.5) * 2.5, 1, 9),
    SATISFACTION: clamp(mean + (next() - 0.5) * 3 - (late ? 1 : 0), 1, 10),
  };
  if (askedBack) {
    a.RETURN_TIMES = 1 + Math.floor(next() * 3);
    a.RETURN_REASONS = [next() < 0.5 ? 'missing_documents' : 'result_not_ready'];
  }
  if (next() < 0.3) a.BEST_THING = BEST[Math.floor(next() * BEST.length)];
  if (next() < 0.2) a.WORST_THING = WORST[Math.floor(next() * WORST.length)];
  return { instrument: 'MSCORE_PHONE', answers: a };
}

function mohAnswers(mean: number, next: () => number) {
  const a: Record<string, unknown> = {};
  const sections: [string, number][] = [
    ['A', 5],
    ['B', 10],
    ['C', 8],
    ['D', 4],
    ['E', 4],
  ];
  for (const [letter, count] of sections) {
    for (let k = 1; k <= count; k++) {
      a[`${letter}${k}`] = next() < 0.04 ? 0 : clamp(1 + ((mean - 1) / 9) * 4 + (next() - 0.5) * 1.8, 1, 5);
    }
  }
  a.G1 = clamp(mean * 10 + (next() - 0.5) * 20, 0, 100);
  return { instrument: 'MOH_OUTPATIENT', answers: a };
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}
