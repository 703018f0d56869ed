// Turns an event from the API or a file into the normalised form that is
// stored: times in UTC, names NFC, phones in national form, status defaulted.
import { fieldCode } from '../../platform/errors.ts';
import { parseCanonicalUtc, parseIsoInZone } from '../../platform/time.ts';
import { normalizePhone } from '../../platform/vault.ts';
import { normalizeName as normalizeNameText } from './import/values.ts';
import { type EVENT_STATUSES, type EventInput, eventInputSchema } from './schema.ts';

export type ItemProblem = { field: string; code: string; message: string };

/** An instant: a Date, or its canonical ISO text (`toISOString()`), as file imports carry it. */
export type Instant = Date | string;

export type NormalizedEvent = {
  unit: string;
  externalId: string;
  kind: 'dossier' | 'outpatient' | 'inpatient';
  service: string | null;
  department: string | null;
  receivedAt: Instant | null;
  dueAt: Instant | null;
  returnedAt: Instant | null;
  promisedAt: Instant | null;
  /** null: not given (an update keeps the stored status, a new event gets its default) */
  status: (typeof EVENT_STATUSES)[number] | null;
  channel: 'counter' | 'online' | null;
  name: string | null;
  phone: string | null;
  phoneKind: 'mobile' | 'landline' | null;
  gender: 'female' | 'male' | 'other' | null;
  ethnicMinority: boolean | null;
};

/** The file import's rules for names, so both ways in agree: NFC, spaces, placeholders dropped. */
export function normalizeName(s: string | undefined): string | null {
  return s ? normalizeNameText(s) || null : null;
}

export type NormalizeOutcome = {
  event?: NormalizedEvent;
  /** what identifies the item in the answer, even when it is rejected */
  ref: { unit: string | null; externalId: string | null };
  errors: ItemProblem[];
  warnings: ItemProblem[];
};

function refOf(raw: unknown): NormalizeOutcome['ref'] {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v.slice(0, 100) : null);
  return { unit: str(o.unit), externalId: str(o.externalId) };
}

export function normalizeEvent(raw: unknown, timeZone: string, now = new Date()): NormalizeOutcome {
  const parsed = eventInputSchema.safeParse(raw);
  if (!parsed.success) {
    const errors = parsed.error.issues.flatMap((i) =>
      i.code === 'unrecognized_keys'
        ? i.keys.map((k) => ({ field: [...i.path, k].join('.'), code: 'field.unknown', message: `unknown field "${k}"` }))
        : [{ field: i.path.join('.') || '(item)', code: fieldCode(i.code), message: i.message }],
    );
    return { ref: refOf(raw), errors, warnings: [] };
  }
  return { ref: refOf(raw), ...fromInput(parsed.data, timeZone, now) };
}

/**
 * The same rules for events the platform itself shaped as EventInput (the
 * demo's bulk path, whose data the intake path is tested to accept alike):
 * only the type check is left out.
 */
export function normalizeTypedEvent(e: EventInput, timeZone: string, now = new Date()): NormalizeOutcome {
  return { ref: { unit: e.unit, externalId: e.externalId }, ...fromInput(e, timeZone, now) };
}

const Y2000 = Date.UTC(2000, 0, 1);

function fromInput(e: EventInput, timeZone: string, now: Date): Omit<NormalizeOutcome, 'ref'> {
  const errors: ItemProblem[] = [];
  const warnings: ItemProblem[] = [];
  /** The instant and its canonical ISO text; text already in that form is kept as it is (bulk paths send it). */
  const time = (field: keyof EventInput, value: string | undefined): { at: number; iso: string } | null => {
    if (value === undefined || value === '') return null;
    let at = parseCanonicalUtc(value) ?? Number.NaN;
    let iso = value;
    if (Number.isNaN(at)) {
      const d = parseIsoInZone(value, timeZone);
      if (!d) {
        errors.push({ field, code: 'date.invalid', message: 'expected ISO 8601, e.g. 2026-10-05T09:30:00+07:00 or 2026-10-05' });
        return null;
      }
      at = d.getTime();
      iso = d.toISOString();
    }
    if (at < Y2000 || at > now.getTime() + 366 * 86_400_000) {
      errors.push({ field, code: 'date.out_of_range', message: 'the date is before 2000 or more than a year ahead' });
      return null;
    }
    return { at, iso };
  };
  const receivedAt = time('receivedAt', e.receivedAt);
  const dueAt = time('dueAt', e.dueAt);
  let returnedAt = time('returnedAt', e.returnedAt);
  const promisedAt = time('promisedAt', e.promisedAt);
  if (returnedAt && receivedAt && returnedAt.at < receivedAt.at) {
    errors.push({ field: 'returnedAt', code: 'date.order', message: 'returnedAt is before receivedAt' });
    returnedAt = null;
  }
  if (returnedAt && returnedAt.at > now.getTime() + 3_600_000) {
    errors.push({ field: 'returnedAt', code: 'date.future', message: 'returnedAt is in the future' });
  }
  if (e.status === 'returned' && !returnedAt && !errors.length) {
    warnings.push({ field: 'returnedAt', code: 'event.return_date_missing', message: 'returned without an actual return date' });
  }
  if (errors.length) return { errors, warnings };
  let phone: string | null = null;
  let phoneKind: 'mobile' | 'landline' | null = null;
  if (e.citizen?.phone?.trim()) {
    const p = normalizePhone(e.citizen.phone);
    if (p) {
      phone = p.national;
      phoneKind = p.mobile ? 'mobile' : 'landline';
    } else {
      // Never echo the number: it is personal data.
      warnings.push({ field: 'citizen.phone', code: 'phone.invalid', message: 'not a Vietnamese phone number; dropped' });
    }
  }
  return {
    errors,
    warnings,
    event: {
      unit: e.unit,
      externalId: e.externalId,
      kind: e.kind,
      service: e.service?.trim() || null,
      department: e.department?.trim() || null,
      // Canonical ISO text once here: the content key and the stored row both read it.
      receivedAt: receivedAt?.iso ?? null,
      dueAt: dueAt?.iso ?? null,
      returnedAt: returnedAt?.iso ?? null,
      promisedAt: promisedAt?.iso ?? null,
      status: e.status ?? null,
      channel: e.channel ?? null,
      name: normalizeName(e.citizen?.name),
      phone,
      phoneKind,
      gender: e.citizen?.gender ?? null,
      ethnicMinority: e.citizen?.ethnicMinority ?? null,
    },
  };
}
