// The interviewer console's model: the API's shapes, the questionnaire read as
// a script (the steps of a call, skip logic with the server's own rule), the
// answers to send and the keys that capture them.
import { conditionHolds } from '../../../../src/modules/surveys/skip-logic';

import type { InstrumentDefinition, InstrumentItem, ItemOption, LocalText } from '../../shared/types';

export type { ItemType, LocalText } from '../../shared/types';
export type Option = ItemOption;
export type Item = InstrumentItem;
export type Definition = InstrumentDefinition;

/** A definition text in the language asked for, else in Vietnamese. */
export const local = (text: LocalText | undefined, lang: string): string => (text ? (text[lang] ?? text.vi) : '');

export type AnswerValue = number | string | boolean | (string | number)[];

import type { Outcome } from '../../../../src/modules/interviews/outcomes';

export { OUTCOMES, type Outcome } from '../../../../src/modules/interviews/outcomes';

export interface Attempt {
  outcome: Outcome;
  startedAt: string;
  endedAt: string;
  callbackAt: string | null;
  note: string | null;
  interviewer: string;
}

export interface CallView {
  id: string;
  round: { id: string; name: string };
  unit: { code: string; name: string };
  status: string;
  attempts: number;
  noncontacts: number;
  nextAt: string | null;
  event: {
    externalId: string;
    kind: string;
    service: string | null;
    department: string | null;
    receivedAt: string | null;
    dueAt: string | null;
    returnedAt: string | null;
  };
  citizenName: string | null;
  phoneMasked: string | null;
  responseId: string | null;
  partialAnswers: Record<string, unknown> | null;
  history: Attempt[];
  instrument: { code: string; version: number; name: LocalText; definition: Definition };
}

export interface NextResult {
  record: CallView | null;
  reason: 'outside_calling_hours' | 'empty' | null;
}

export interface HeldRecord {
  id: string;
  unit: string;
  status: string;
  nextAt: string | null;
  attempts: number;
}

export interface Mine {
  held: HeldRecord[];
  today: { attempts: number; completed: number };
}

export interface OutcomeResult {
  attemptId: string;
  status: string;
  nextAt: string | null;
  attempts: number;
  responseId: string | null;
  replayed: boolean;
}

export interface OutcomeInput {
  attemptId: string;
  outcome: Outcome;
  startedAt: string;
  endedAt: string;
  callbackAt?: string;
  note?: string;
  doNotCall?: boolean;
  response?: { id: string; answers: Record<string, AnswerValue>; language: string; consent?: boolean };
}

/** The "no opinion" answer, whatever value the item gives it. */
export const NO_OPINION = 'no-opinion' as const;
/** What the screen holds for an item: numbers, texts and phones as typed; choices as chosen. */
export type Raw = number | boolean | string | string[] | typeof NO_OPINION;
export type Draft = Record<string, Raw | undefined>;

/** Why an answer is not accepted: the key of its message under `answerError.`. */
export type AnswerErrorKey = 'required' | 'number' | 'integer' | 'range' | 'phone' | 'tooLong';

export const TEXT_MAX = 1000;

export function optionsOf(it: Item, def: Definition): Option[] {
  return it.options ?? (it.optionsFrom ? (def.lists?.[it.optionsFrom] ?? []) : []);
}

export const isPersonal = (it: Item) => it.personal === true || it.type === 'phone';
export const isTyped = (it: Item) => it.type === 'number' || it.type === 'text' || it.type === 'phone';

/** The values a choice item offers, in key order (digit 1 is the first). */
export function choicesOf(it: Item, def: Definition): (string | number | boolean)[] {
  switch (it.type) {
    case 'faces':
      return [1, 2, 3, 4];
    case 'scale': {
      const lo = it.min ?? 1;
      const hi = it.max ?? 5;
      return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
    }
    case 'yesno':
      return [true, false];
    case 'single':
    case 'multiple':
      return optionsOf(it, def).map((o) => o.code);
    default:
      return [];
  }
}

function parseNumber(s: string): number | undefined {
  const t = s.replace(/\s/g, '').replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(t)) return undefined;
  return Number(t);
}

const looksLikePhone = (s: string) => /^(\+?84|0)\d{9,10}$/.test(s.replace(/[\s.\-()]/g, ''));

export function isEmpty(raw: Raw | undefined): boolean {
  return raw === undefined || (typeof raw === 'string' && raw.trim() === '') || (Array.isArray(raw) && raw.length === 0);
}

/** The value sent for what the screen holds; undefined when nothing is answered. */
export function answerOf(it: Item, raw: Raw | undefined): AnswerValue | undefined {
  if (isEmpty(raw) || raw === undefined) return undefined;
  if (raw === NO_OPINION) return it.noOpinion?.value;
  switch (it.type) {
    case 'number':
      return typeof raw === 'string' ? parseNumber(raw) : typeof raw === 'number' ? raw : undefined;
    case 'text':
    case 'phone':
      return typeof raw === 'string' ? raw.trim() : undefined;
    default:
      return raw;
  }
}

/** What is wrong with a typed answer, if anything (an empty answer is not wrong here). */
export function checkAnswer(it: Item, raw: Raw | undefined): AnswerErrorKey | undefined {
  if (isEmpty(raw) || raw === NO_OPINION) return undefined;
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

export interface Walk {
  /** the items asked, in order */
  items: Item[];
  /** the answers that will be sent */
  answers: Record<string, AnswerValue>;
  /** required items asked but not (validly) answered */
  missing: Item[];
}

/**
 * The items asked with the answers given: an item is asked when its condition
 * holds on the answers before it (the server's rule); personal items only with
 * consent.
 */
export function walk(def: Definition, draft: Draft, consent: boolean | undefined): Walk {
  const items: Item[] = [];
  const answers: Record<string, AnswerValue> = {};
  const missing: Item[] = [];
  for (const it of def.items) {
    if (isPersonal(it) && consent !== true) continue;
    if (!conditionHolds(it.showIf, answers)) continue;
    items.push(it);
    const raw = draft[it.code];
    const v = answerOf(it, raw);
    if (v !== undefined && !checkAnswer(it, raw)) answers[it.code] = v;
    else if (it.required) missing.push(it);
  }
  return { items, answers, missing };
}

/** The steps of a call: the introduction, the consent question, the items asked, the closing words. */
export type Step = 'intro' | 'consent' | 'end' | `item:${string}`;
export const itemStep = (code: string): Step => `item:${code}`;
export const stepItem = (step: Step): string | null => (step.startsWith('item:') ? step.slice(5) : null);

export function stepsOf(def: Definition, w: Walk, consent: boolean | undefined): Step[] {
  const steps: Step[] = ['intro'];
  if (def.consent) steps.push('consent');
  // Without consent the questionnaire is not read.
  if (!def.consent || consent === true) steps.push(...w.items.map((it) => itemStep(it.code)));
  steps.push('end');
  return steps;
}

/** Where the questionnaire goes on after consent: the first item asked without an answer (a resumed interview). */
export function firstOpenStep(w: Walk, draft: Draft): Step {
  const open = w.items.find((it) => isEmpty(draft[it.code]));
  return open ? itemStep(open.code) : 'end';
}

const TRUE = new Set<unknown>([true, 1, '1', 'true']);
const FALSE = new Set<unknown>([false, 0, '0', 'false']);

/**
 * The answers of an earlier partial interview, as the screen holds them. The
 * server gives them back as stored ('na' for no opinion, 1/0 for yes/no).
 */
export function draftFromPartial(def: Definition, partial: Record<string, unknown> | null): Draft {
  const draft: Draft = {};
  if (!partial) return draft;
  for (const it of def.items) {
    const v = partial[it.code];
    if (v === undefined || v === null) continue;
    if (it.noOpinion && (v === 'na' || v === it.noOpinion.value)) {
      draft[it.code] = NO_OPINION;
      continue;
    }
    switch (it.type) {
      case 'yesno':
        if (TRUE.has(v)) draft[it.code] = true;
        else if (FALSE.has(v)) draft[it.code] = false;
        break;
      case 'faces':
      case 'scale':
        if (Number.isFinite(Number(v))) draft[it.code] = Number(v);
        break;
      case 'multiple':
        draft[it.code] = (Array.isArray(v) ? v : [v]).map(String);
        break;
      default:
        draft[it.code] = String(v);
    }
  }
  return draft;
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

/** How long a first digit waits for a second one on a 1-10 scale ("1" then "0" is 10). */
export const SECOND_DIGIT_MS = 1200;

/**
 * The answer a key gives on a choice item, or undefined when the key means
 * nothing there. Digits choose the n-th option or scale value, 0 the "no
 * opinion" answer; Y/C and N/K answer yes/no questions. `previousDigit` is a
 * digit typed a moment before (a 1-10 scale takes "1" "0" as 10).
 */
export function keyAnswer(
  it: Item,
  def: Definition,
  key: string,
  current: Raw | undefined,
  previousDigit: string | null,
): Raw | undefined {
  const k = key.toLowerCase();
  if (it.type === 'yesno') {
    if (k === 'y' || k === 'c' || k === '1') return true;
    if (k === 'n' || k === 'k' || k === '2') return false;
    if (k === '0' && it.noOpinion) return NO_OPINION;
    return undefined;
  }
  if (!/^[0-9]$/.test(k)) return undefined;
  const choices = choicesOf(it, def);
  if (choices.length === 0) return undefined;
  if (it.type === 'scale' || it.type === 'faces') {
    const lo = it.type === 'faces' ? 1 : (it.min ?? 1);
    const hi = it.type === 'faces' ? 4 : (it.max ?? 5);
    if (k === '0' && previousDigit === '1' && hi >= 10) return 10;
    if (k === '0') return it.noOpinion ? NO_OPINION : undefined;
    const n = Number(k);
    return n >= lo && n <= hi ? n : undefined;
  }
  if (k === '0') return it.noOpinion ? NO_OPINION : undefined;
  const code = choices[Number(k) - 1];
  if (typeof code !== 'string') return undefined;
  if (it.type === 'single') return code;
  // multiple: the digit toggles its option; "no opinion" stands alone
  const chosen = Array.isArray(current) ? current : [];
  return chosen.includes(code) ? chosen.filter((c) => c !== code) : [...chosen, code];
}
