// The web survey's model: the public API's shapes, skip logic (the same rules
// as the server's validator), the answers to send, and the submission kept on
// the device until the server has it.

import { conditionHolds } from '../../../../src/modules/surveys/skip-logic';
import { ApiError, request } from '../../shared/api';
import type { LocalText } from './i18n';

export type ItemType = 'faces' | 'scale' | 'yesno' | 'single' | 'multiple' | 'number' | 'text' | 'phone';
export type AnswerValue = number | string | boolean | (string | number)[];

export interface Option {
  code: string;
  label: LocalText;
  icon?: string;
}

export interface Item {
  code: string;
  type: ItemType;
  label: LocalText;
  help?: LocalText;
  required?: boolean;
  min?: number;
  max?: number;
  integer?: boolean;
  minLabel?: LocalText;
  maxLabel?: LocalText;
  options?: Option[];
  optionsFrom?: string;
  noOpinion?: { value: number | string; label: LocalText };
  showIf?: { item: string; op: 'eq' | 'ne' | 'in' | 'gte' | 'lte' | 'answered'; value?: AnswerValue };
  personal?: boolean;
  maxLength?: number;
}

export interface Definition {
  languages: string[];
  intro?: LocalText;
  consent?: LocalText;
  thanks?: LocalText;
  lists?: Record<string, Option[]>;
  items: Item[];
}

export type SurveyState = 'open' | 'answered' | 'expired' | 'closed';

export interface PublicSurvey {
  kind: 'qr' | 'link';
  state: SurveyState;
  tenant: string;
  unit: { code: string; name: string };
  instrument: null | { code: string; version: number; name: LocalText; definition: Definition };
}

/** The "no opinion" choice, whatever value the item gives it. */
export const NO_OPINION = 'no-opinion' as const;
/** What the page holds for an item: numbers, texts and phones as typed; choices as chosen. */
export type Raw = number | boolean | string | string[] | typeof NO_OPINION;
export type Draft = Record<string, Raw | undefined>;

/** Why an answer is not accepted (the key of its message in the locale files, under `error.`). */
export type ErrorKey =
  | 'required'
  | 'number'
  | 'integer'
  | 'range'
  | 'phone'
  | 'tooLong'
  | 'option'
  | 'consent'
  | 'skipped'
  | 'invalid';

export const TEXT_MAX = 1000;

export function optionsOf(it: Item, def: Definition): Option[] {
  return it.options ?? (it.optionsFrom ? (def.lists?.[it.optionsFrom] ?? []) : []);
}

export function isPersonal(it: Item): boolean {
  return it.personal === true || it.type === 'phone';
}

/** A number as typed: spaces out, a decimal comma accepted. */
function parseNumber(s: string): number | undefined {
  const t = s.replace(/\s/g, '').replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(t)) return undefined;
  return Number(t);
}

/** A Vietnamese phone number, roughly (the server checks it exactly). */
function looksLikePhone(s: string): boolean {
  return /^(\+?84|0)\d{9,10}$/.test(s.replace(/[\s.\-()]/g, ''));
}

/** The value sent for what the page holds; undefined when nothing is answered. */
export function answerOf(it: Item, raw: Raw | undefined): AnswerValue | undefined {
  if (raw === undefined) return undefined;
  if (raw === NO_OPINION) return it.noOpinion?.value;
  switch (it.type) {
    case 'number':
      return typeof raw === 'string' ? parseNumber(raw) : undefined;
    case 'text':
    case 'phone': {
      const s = typeof raw === 'string' ? raw.trim() : '';
      return s === '' ? undefined : s;
    }
    case 'multiple':
      return Array.isArray(raw) && raw.length > 0 ? raw : undefined;
    default:
      return raw;
  }
}

/** What is wrong with an answer before it is sent, if anything. */
export function checkAnswer(it: Item, raw: Raw | undefined): ErrorKey | undefined {
  const empty = raw === undefined || (typeof raw === 'string' && raw.trim() === '') || (Array.isArray(raw) && raw.length === 0);
  if (empty) return it.required ? 'required' : undefined;
  if (raw === NO_OPINION) return undefined;
  if (it.type === 'number' && typeof raw === 'string') {
    const n = parseNumber(raw);
    if (n === undefined) return 'number';
    if (it.integer && !Number.isInteger(n)) return 'integer';
    if ((it.min !== undefined && n < it.min) || (it.max !== undefined && n > it.max)) return 'range';
  }
  if (it.type === 'phone' && typeof raw === 'string' && !looksLikePhone(raw)) return 'phone';
  if (it.type === 'text' && typeof raw === 'string' && raw.trim().length > (it.maxLength ?? TEXT_MAX)) return 'tooLong';
  return undefined;
}

/**
 * The items asked, in order, with the answers that will be sent: an item is
 * shown when its condition holds on the answers shown before it; personal
 * items only with consent.
 */
export function walk(def: Definition, draft: Draft, consent: boolean): { items: Item[]; answers: Record<string, AnswerValue> } {
  const items: Item[] = [];
  const answers: Record<string, AnswerValue> = {};
  for (const it of def.items) {
    if (isPersonal(it) && !consent) continue;
    if (!conditionHolds(it.showIf, answers)) continue;
    items.push(it);
    const raw = draft[it.code];
    const v = answerOf(it, raw);
    if (v !== undefined && !checkAnswer(it, raw)) answers[it.code] = v;
  }
  return { items, answers };
}

/** What the server's answer codes mean on the page. */
export function errorKeyOf(code: string): ErrorKey {
  switch (code) {
    case 'answer.required':
      return 'required';
    case 'answer.out_of_range':
      return 'range';
    case 'answer.not_integer':
      return 'integer';
    case 'answer.invalid_option':
    case 'answer.duplicate_option':
      return 'option';
    case 'answer.invalid_phone':
      return 'phone';
    case 'answer.too_long':
      return 'tooLong';
    case 'answer.needs_consent':
      return 'consent';
    case 'answer.skipped':
      return 'skipped';
    default:
      return 'invalid';
  }
}

/** A random UUID, also where crypto.randomUUID is missing (pages served over plain http). */
export function newId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Slow networks are expected; past this the page says so and offers to send again. */
const TIMEOUT_MS = 30_000;
const timeout = () => (typeof AbortSignal.timeout === 'function' ? AbortSignal.timeout(TIMEOUT_MS) : undefined);
const path = (code: string) => `/api/public/v1/surveys/${encodeURIComponent(code)}`;

export type LoadFailure =
  | { kind: 'notFound' }
  | { kind: 'rateLimited'; minutes: number | null }
  | { kind: 'network' }
  | { kind: 'failed' };

export function fetchSurvey(code: string): Promise<PublicSurvey> {
  return request<PublicSurvey>(path(code), { signal: timeout() });
}

function minutesOf(err: ApiError): number | null {
  const seconds = Number(err.problem.retryAfter);
  return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds / 60) : null;
}

export function loadFailureOf(err: unknown): LoadFailure {
  if (!(err instanceof ApiError) || err.status === 0) return { kind: 'network' };
  if (err.status === 404 || err.status === 400) return { kind: 'notFound' };
  if (err.status === 429) return { kind: 'rateLimited', minutes: minutesOf(err) };
  return { kind: 'failed' };
}

export interface Submission {
  id: string;
  instrument: string;
  version: number;
  answers: Record<string, AnswerValue>;
  language: string;
  consent: boolean;
  startedAt?: string;
}

export type SubmitOutcome =
  | { kind: 'sent' }
  /** not sent, or not known to be: keep it and send it again */
  | { kind: 'retry'; rateLimited: boolean }
  | { kind: 'invalid'; errors: { item: string; key: ErrorKey }[] }
  /** the survey can no longer be answered */
  | { kind: 'state'; state: 'answered' | 'expired' | 'closed' | 'notFound' }
  /** the questionnaire changed since the page was loaded */
  | { kind: 'changed' };

export async function sendSubmission(code: string, s: Submission): Promise<SubmitOutcome> {
  try {
    await request(`${path(code)}/responses`, { method: 'POST', body: s, signal: timeout() });
    return { kind: 'sent' };
  } catch (err) {
    if (!(err instanceof ApiError) || err.status === 0 || err.status >= 500) return { kind: 'retry', rateLimited: false };
    if (err.status === 429) return { kind: 'retry', rateLimited: true };
    switch (err.code) {
      case 'survey.link_used':
      case 'response.duplicate_event':
        return { kind: 'state', state: 'answered' };
      case 'survey.expired':
        return { kind: 'state', state: 'expired' };
      case 'survey.closed':
        return { kind: 'state', state: 'closed' };
      case 'survey.not_found':
        return { kind: 'state', state: 'notFound' };
      // An earlier attempt with this id reached the server after all (its reply was lost) and
      // the answers were changed since: the first ones are kept.
      case 'response.conflict':
        return { kind: 'sent' };
      // The phone's clock runs ahead of the server's: the start time is only a nicety.
      case 'response.started_after_submitted':
        return s.startedAt ? sendSubmission(code, { ...s, startedAt: undefined }) : { kind: 'changed' };
      case 'response.invalid':
        return {
          kind: 'invalid',
          errors: err.errors.map((e) => ({ item: (e as { item?: string }).item ?? e.path ?? '', key: errorKeyOf(e.code) })),
        };
      default:
        return { kind: 'changed' };
    }
  }
}

// The submission waits on the device until the server has it: a reload, or coming back later, sends it again.
const pendingKey = (code: string) => `mscore.survey.pending.${code}`;

export function savePending(code: string, s: Submission): void {
  try {
    localStorage.setItem(pendingKey(code), JSON.stringify(s));
  } catch {
    // Private mode or full storage: the answers stay in the page only.
  }
}

export function readPending(code: string): Submission | null {
  try {
    const raw = localStorage.getItem(pendingKey(code));
    const s = raw ? (JSON.parse(raw) as Submission) : null;
    return s && typeof s.id === 'string' && typeof s.instrument === 'string' && s.answers ? s : null;
  } catch {
    return null;
  }
}

export function clearPending(code: string): void {
  try {
    localStorage.removeItem(pendingKey(code));
  } catch {
    // nothing kept
  }
}
