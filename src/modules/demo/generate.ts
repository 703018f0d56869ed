// A synthetic history of the demo province, deterministic for a seed: the
// dossiers and visits of each serving unit, month by month, and the answers
// citizens gave on kiosk, phone, SMS and web. Everything goes through the
// same code paths and rules as real data (event normalisation and upsert, the
// response intake), so a second run with the same seed changes nothing.
import type { Db } from '../../db/index.ts';
import { rng, seededUuid } from '../../platform/random.ts';
import { periodBounds, zonedTimeToUtc } from '../../platform/time.ts';
import type { Vault } from '../../platform/vault.ts';
import { type Candidate, upsertEvents } from '../events/commands/upsert-events.ts';
import { normalizeEvent } from '../events/normalize.ts';
import { submitResponses } from '../responses/commands/submit-responses.ts';
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
  onProgress?: (line: string) => void;
};

export type GenerateSummary = { events: number; responses: number; months: string[]; seconds: number };

const MOBILE_PREFIXES = ['091', '094', '088', '098', '097', '086', '090', '093', '089', '070', '079', '081', '083', '085'];
const BEST = ['Cán bộ hướng dẫn tận tình', 'Trả kết quả đúng hẹn', 'Thủ tục nhanh gọn', 'Nơi ngồi chờ sạch sẽ'];
const WORST = ['Phải chờ lâu', 'Bị hẹn lại nhiều lần', 'Hướng dẫn chưa rõ', 'Phòng chờ chật'];

type UnitRow = { id: string; code: string; kind: string; sector: string | null; kiosks: number };

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

export async function generateDemo(db: Db, vault: Vault, o: GenerateOptions): Promise<GenerateSummary> {
  const t0 = performance.now();
  const units = (await db
    .selectFrom('units')
    .select(['id', 'code', 'kind', 'sector', 'kiosks'])
    .where('tenant_id', '=', o.tenantId)
    .where('kind', 'in', ['one_stop_office', 'service_centre', 'hospital', 'health_centre'])
    .where('valid_to', 'is', null)
    .orderBy('code')
    .execute()) as UnitRow[];
  const unitIds = new Map(units.map((u) => [u.code, u.id]));
  const months = monthsUntil(o.until, o.months);
  const scope = { all: true as const };
  let events = 0;
  let responses = 0;
  for (const [mi, period] of months.entries()) {
    // The province's satisfaction rose from about 7.3 to 8.3 over the years.
    const level = 7.3 + (months.length > 1 ? mi / (months.length - 1) : 1) * 1.0;
    const { start, end } = periodBounds(period, o.timeZone);
    const [py, pm] = period.split('-').map(Number) as [number, number];
    const days = Math.round((end.getTime() - start.getTime()) / 86_400_000);
    for (const u of units) {
      // One sequence per unit and month: a unit's data does not depend on the others'.
      const next = rng(o.seed * 1_000_003 + hash(`${u.code}:${period}`));
      const p = profileOf(u, rng(o.seed + hash(u.code)));
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] as T;
      const n = Math.max(1, Math.round(p.monthly * o.scale * (0.85 + next() * 0.3)));
      const kind = u.sector === 'health' ? (u.kind === 'hospital' && next() < 0.25 ? 'inpatient' : 'outpatient') : 'dossier';
      const raw: Record<string, unknown>[] = [];
      for (let i = 0; i < n; i++) {
        const day = 1 + Math.floor(next() * days);
        const received = zonedTimeToUtc(py, pm, day, 7 + Math.floor(next() * 9), Math.floor(next() * 60), 0, o.timeZone);
        const dueDays = u.sector === 'health' ? 0 : 3 + Math.floor(next() * 12);
        const due = new Date(received.getTime() + dueDays * 86_400_000);
        const late = next() < p.lateShare;
        const returned = new Date(due.getTime() + (late ? 1 + next() * 6 : -next() * Math.min(2, dueDays)) * 86_400_000);
        const phone =
          next() < p.phoneShare ? `${pick(MOBILE_PREFIXES)}${String(Math.floor(next() * 1e7)).padStart(7, '0')}` : undefined;
        const name = next() < p.nameShare ? `${pick(FAMILY)} ${pick(MIDDLE)} ${pick(GIVEN)}` : undefined;
        const hasReturn = next() < p.returnDateShare && returned < end;
        raw.push({
          unit: u.code,
          externalId: `${u.code}-${period.replace('-', '')}-${String(i + 1).padStart(5, '0')}`,
          kind,
          ...(kind === 'dossier' ? { service: pick(PROCEDURES) } : { department: pick(DEPARTMENTS) }),
          receivedAt: received.toISOString(),
          ...(dueDays ? { dueAt: due.toISOString() } : {}),
          ...(hasReturn ? { returnedAt: returned.toISOString() } : {}),
          ...(phone || name ? { citizen: { ...(name ? { name } : {}), ...(phone ? { phone } : {}) } } : {}),
        });
      }
      const ids: (string | undefined)[] = [];
      for (let i = 0; i < raw.length; i += 1000) {
        const candidates: Candidate[] = raw.slice(i, i + 1000).map((r, index) => ({ index, ...normalizeEvent(r, o.timeZone) }));
        const results = await upsertEvents(db, vault, {
          tenantId: o.tenantId,
          timeZone: o.timeZone,
          source: 'api',
          units: unitIds,
          scope,
          candidates,
        });
        for (const r of results) ids.push(r.id);
      }
      events += raw.length;

      // Answers: kiosk taps where the unit has tablets, web answers by QR,
      // phone interviews and SMS replies about returned records with a phone.
      const answers: unknown[] = [];
      const mean = level + p.quality;
      const face = () => clamp(1 + ((mean - 1) / 9) * 3 + (next() - 0.5) * 2.2, 1, 4);
      const stamp = () =>
        zonedTimeToUtc(
          py,
          pm,
          1 + Math.floor(next() * days),
          7 + Math.floor(next() * 10),
          Math.floor(next() * 60),
          0,
          o.timeZone,
        );
      const quick = (channel: 'kiosk' | 'web') => {
        const f = face();
        const a: Record<string, unknown> = { OVERALL: f };
        if (next() < 0.5)
          a[f >= 3 ? 'REASONS_GOOD' : 'REASONS_BAD'] = [
            f >= 3 ? pick(['on_time', 'friendly_staff', 'fast']) : pick(['long_wait', 'unclear_guidance', 'asked_to_return']),
          ];
        answers.push({
          id: seededUuid(next),
          instrument: 'KIOSK_QUICK',
          channel,
          unit: u.code,
          submittedAt: stamp().toISOString(),
          answers: a,
        });
      };
      for (let i = 0; i < Math.round(u.kiosks * 60 * o.scale * (0.7 + next() * 0.6)); i++) quick('kiosk');
      for (let i = 0; i < Math.max(1, Math.round(8 * o.scale * (0.5 + next()))); i++) quick('web');
      const reachable = raw.map((r, i) => ({ r, id: ids[i] })).filter((x) => x.id && x.r.returnedAt && x.r.citizen);
      const interviews = Math.min(reachable.length, Math.round(35 * o.scale + 1));
      for (let i = 0; i < interviews; i++) {
        const x = reachable[Math.floor(next() * reachable.length)] as { r: Record<string, unknown>; id: string };
        const when = new Date(new Date(x.r.returnedAt as string).getTime() + (1 + next() * 5) * 86_400_000);
        if (when >= end || answers.some((a) => (a as { eventId?: string }).eventId === x.id)) continue;
        answers.push({
          id: seededUuid(next),
          channel: 'phone',
          unit: u.code,
          eventId: x.id,
          submittedAt: when.toISOString(),
          ...(u.sector === 'health'
            ? mohAnswers(mean, next)
            : mscoreAnswers(
                mean,
                next,
                Boolean(x.r.dueAt) && new Date(x.r.returnedAt as string) > new Date(x.r.dueAt as string),
              )),
        });
      }
      for (let i = 0; i < Math.min(reachable.length, Math.max(1, Math.round(20 * o.scale))); i++) {
        const x = reachable[Math.floor(next() * reachable.length)] as { r: Record<string, unknown>; id: string };
        const when = new Date(new Date(x.r.returnedAt as string).getTime() + 3_600_000);
        if (
          when >= end ||
          answers.some(
            (a) => (a as { eventId?: string; channel: string }).eventId === x.id && (a as { channel: string }).channel === 'sms',
          )
        )
          continue;
        answers.push({
          id: seededUuid(next),
          instrument: 'SMS_ONE',
          channel: 'sms',
          unit: u.code,
          eventId: x.id,
          submittedAt: when.toISOString(),
          answers: { RATING: clamp(1 + ((mean - 1) / 9) * 4 + (next() - 0.5) * 2, 1, 5) },
        });
      }
      for (let i = 0; i < answers.length; i += 500) {
        const results = await submitResponses(db, vault, o.tenantId, answers.slice(i, i + 500), {
          type: 'token',
          id: null,
          scope,
        });
        const bad = results.find((r) => r.result === 'rejected');
        if (bad) throw new Error(`demo: a generated response was refused: ${bad.code} ${JSON.stringify(bad.errors ?? [])}`);
      }
      responses += answers.length;
    }
    o.onProgress?.(`${period}: ${events.toLocaleString('en')} events, ${responses.toLocaleString('en')} responses so far`);
  }
  return { events, responses, months, seconds: (performance.now() - t0) / 1000 };
}

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
