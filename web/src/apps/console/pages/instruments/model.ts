// Pure helpers of the instrument screens: texts by language, new items, skip
// logic, and the mapping of the server's definition errors to items.
import { conditionHolds } from '../../../../../../src/modules/surveys/skip-logic';
import type {
  InstrumentDefinition,
  InstrumentItem,
  ItemOption,
  ItemType,
  LocalText,
  ShowIf,
  ShowIfOp,
} from '../../../../shared/types';

export const INSTRUMENTS_KEY = ['instruments'] as const;
export const ASSIGNMENTS_KEY = ['instrument-assignments'] as const;
export const instrumentKey = (code: string) => [...INSTRUMENTS_KEY, code] as const;

/** A language code as the server accepts it: vi, en, bru (ISO 639-3), vi-VN. */
export const LANGUAGE_CODE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;
/** The most languages a version may have (the server's rule). */
export const MAX_LANGUAGES = 12;
/**
 * Languages offered when one is added: English, and those of ethnic minorities
 * in the pilot provinces by their ISO 639-3 codes: Bru (Vân Kiều) bru, Pacoh
 * (Pa Kô) pac, Upper Ta'oih (Tà Ôi) tth. Any other code can be typed.
 */
export const SUGGESTED_LANGUAGES = ['en', 'bru', 'pac', 'tth'] as const;

/** A typed code made canonical ("BRU" -> "bru", "vi-vn" -> "vi-VN"), or null when it is no language code. */
export function normalizeLanguage(input: string): string | null {
  const [head = '', ...rest] = input.trim().split('-');
  const parts = [head.toLowerCase(), ...rest.map((p) => (/^[A-Za-z]{2}$/.test(p) ? p.toUpperCase() : p))];
  const code = parts.join('-');
  return LANGUAGE_CODE.test(code) ? code : null;
}

/** The languages of a definition as edited: Vietnamese (always required) first, each once. */
export function editLanguages(languages: readonly string[]): string[] {
  return ['vi', ...new Set(languages.filter((l) => l !== 'vi'))];
}

/** The text in a language, falling back to Vietnamese. */
export function lt(text: LocalText | undefined, lang: string): string {
  if (!text) return '';
  return text[lang] || text.vi || '';
}

/** The text in a language and the language it is actually in: Vietnamese when the translation is missing. */
export function ltIn(text: LocalText | undefined, lang: string): { text: string; lang: string } {
  const own = text?.[lang];
  return own ? { text: own, lang } : { text: text?.vi ?? '', lang: 'vi' };
}

/**
 * Sets one language of a text. An empty translation is dropped (the server wants
 * non-empty strings); the Vietnamese one is kept even when empty, so that the
 * server names the missing text, unless `optional` and every language is empty.
 */
export function withText(text: LocalText | undefined, lang: string, value: string, optional = false): LocalText | undefined {
  const next: Record<string, string> = {};
  for (const [k, v] of Object.entries(text ?? {})) if (v) next[k] = v;
  if (value) next[lang] = value;
  else delete next[lang];
  if (optional && Object.keys(next).length === 0) return undefined;
  return { ...next, vi: next.vi ?? '' } as LocalText;
}

const hasContent = (t: LocalText | undefined): t is LocalText =>
  Boolean(t && Object.values(t).some((v) => typeof v === 'string' && v.trim() !== ''));

/** Every text of an item the editor shows: label, help, script, scale ends, own options, no-opinion answer. */
export function itemTexts(it: InstrumentItem): (LocalText | undefined)[] {
  return [it.label, it.help, it.script, it.minLabel, it.maxLabel, ...(it.options ?? []).map((o) => o.label), it.noOpinion?.label];
}

/** The languages (other than Vietnamese) in which some written text lacks its translation. */
export function missingLanguages(texts: (LocalText | undefined)[], languages: readonly string[]): string[] {
  const written = texts.filter(hasContent);
  return languages.filter((l) => l !== 'vi' && written.some((t) => !t[l]?.trim()));
}

type Base = Omit<InstrumentDefinition, 'items'>;
/** Maps a text; an optional text (help, intro, ...) left with nothing written goes, a required one stays as { vi: '' }. */
type TextMap = (t: LocalText) => LocalText;

function mapOptional(t: LocalText | undefined, f: TextMap): LocalText | undefined {
  if (!t) return undefined;
  const next = f(t);
  return hasContent(next) ? next : undefined;
}

function mapItemTexts(it: InstrumentItem, f: TextMap): InstrumentItem {
  const out: InstrumentItem = { ...it, label: f(it.label) };
  for (const k of ['help', 'script', 'minLabel', 'maxLabel'] as const) {
    const v = mapOptional(it[k], f);
    if (v) out[k] = v;
    else delete out[k];
  }
  if (it.options) out.options = it.options.map((o) => ({ ...o, label: f(o.label) }));
  if (it.noOpinion) out.noOpinion = { ...it.noOpinion, label: f(it.noOpinion.label) };
  return out;
}

function mapBaseTexts(base: Base, f: TextMap): Base {
  const out: Base = { ...base };
  for (const k of ['intro', 'consent', 'thanks'] as const) {
    const v = mapOptional(base[k], f);
    if (v) out[k] = v;
    else delete out[k];
  }
  if (base.sections) out.sections = base.sections.map((s) => ({ ...s, label: f(s.label) }));
  if (base.lists)
    out.lists = Object.fromEntries(
      Object.entries(base.lists).map(([k, opts]) => [k, opts.map((o) => ({ ...o, label: f(o.label) }))]),
    );
  return out;
}

const dropLang =
  (lang: string): TextMap =>
  (t) => {
    if (!(lang in t)) return t;
    const { [lang]: _gone, ...rest } = t;
    return { ...rest, vi: rest.vi ?? '' } as LocalText;
  };

/** The definition without a language: removed from `languages`, its texts dropped everywhere. */
export function withoutLanguage<I extends { item: InstrumentItem }>(
  base: Base,
  items: I[],
  lang: string,
): { base: Base; items: I[] } {
  const f = dropLang(lang);
  return {
    base: { ...mapBaseTexts(base, f), languages: base.languages.filter((l) => l !== lang) },
    items: items.map((k) => ({ ...k, item: mapItemTexts(k.item, f) })),
  };
}

/** How many texts of the definition are written in a language. */
export function countTexts(base: Base, items: InstrumentItem[], lang: string): number {
  let n = 0;
  const count: TextMap = (t) => {
    if (t[lang]?.trim()) n++;
    return t;
  };
  mapBaseTexts(base, count);
  for (const it of items) mapItemTexts(it, count);
  return n;
}

/** JSON with sorted keys: PostgreSQL's jsonb gives keys back in its own order. */
export function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** What the "add item" menu offers: the eight types, the scale in its three lengths. */
export const ADD_KINDS = [
  'faces',
  'scale5',
  'scale9',
  'scale10',
  'yesno',
  'single',
  'multiple',
  'number',
  'text',
  'phone',
] as const;
export type AddKind = (typeof ADD_KINDS)[number];

export const SCALE_MAX = [5, 9, 10] as const;

/** A code not used yet: Q1, Q2, ... */
export function freeCode(used: Iterable<string>, prefix = 'Q'): string {
  const taken = new Set(used);
  for (let n = 1; ; n++) if (!taken.has(`${prefix}${n}`)) return `${prefix}${n}`;
}

/** A fresh item of a kind; the texts are left for the author. */
export function newItem(kind: AddKind, code: string): InstrumentItem {
  const base = { code, label: { vi: '' }, required: false };
  switch (kind) {
    case 'scale5':
    case 'scale9':
    case 'scale10':
      return { ...base, type: 'scale', min: 1, max: Number(kind.slice(5)) };
    case 'single':
    case 'multiple':
      return { ...base, type: kind, options: [{ code: 'a', label: { vi: '' } }] };
    case 'number':
      return { ...base, type: 'number', integer: true, min: 0 };
    case 'phone':
      return { ...base, type: 'phone', personal: true };
    default:
      return { ...base, type: kind };
  }
}

/** The item turned into another type: fields the new type has no use for go, its defaults come. */
export function changeType(it: InstrumentItem, type: ItemType): InstrumentItem {
  if (type === it.type) return it;
  const {
    min: _min,
    max: _max,
    integer: _int,
    minLabel,
    maxLabel,
    options,
    optionsFrom,
    noOpinion,
    maxLength: _len,
    type: _t,
    ...rest
  } = it;
  const out: InstrumentItem = { ...rest, type };
  if (type === 'scale') Object.assign(out, { min: 1, max: 5, minLabel, maxLabel });
  if (type === 'number') Object.assign(out, { integer: true, min: 0 });
  if (type === 'single' || type === 'multiple') {
    if (optionsFrom) out.optionsFrom = optionsFrom;
    else out.options = options ?? [{ code: 'a', label: { vi: '' } }];
  }
  if (noOpinion && type !== 'text' && type !== 'phone') out.noOpinion = { ...noOpinion, value: noOpinionValue(type) };
  if (type === 'phone') out.personal = true;
  // Drop keys left undefined so that the draft compares equal to what the server gives back.
  for (const k of Object.keys(out) as (keyof InstrumentItem)[]) if (out[k] === undefined) delete out[k];
  return out;
}

/** The value recorded for "no opinion": 0 on faces and scales (never a valid score), 'na' elsewhere. */
export function noOpinionValue(type: ItemType): number | string {
  return type === 'faces' || type === 'scale' ? 0 : 'na';
}

export function hasNoOpinion(type: ItemType): boolean {
  return type !== 'text' && type !== 'phone';
}

export function optionsOf(it: InstrumentItem, def: Pick<InstrumentDefinition, 'lists'>): ItemOption[] {
  return it.options ?? (it.optionsFrom ? (def.lists?.[it.optionsFrom] ?? []) : []);
}

/** Operators that make sense for a condition on an item of this type. */
export function opsFor(type: ItemType | undefined): ShowIfOp[] {
  switch (type) {
    case 'faces':
    case 'scale':
    case 'number':
      return ['eq', 'ne', 'gte', 'lte', 'answered'];
    case 'single':
    case 'multiple':
      return ['eq', 'ne', 'in', 'answered'];
    case 'yesno':
      return ['eq', 'ne', 'answered'];
    default:
      return ['answered'];
  }
}

/** A sensible first condition on an item. */
export function defaultShowIf(source: InstrumentItem, def: Pick<InstrumentDefinition, 'lists'>): ShowIf {
  switch (source.type) {
    case 'yesno':
      return { item: source.code, op: 'eq', value: true };
    case 'faces':
      return { item: source.code, op: 'lte', value: 2 };
    case 'scale':
      return { item: source.code, op: 'lte', value: Math.floor(((source.max ?? 5) + 1) / 2) };
    case 'number':
      return { item: source.code, op: 'gte', value: 1 };
    case 'single':
    case 'multiple': {
      const first = optionsOf(source, def)[0]?.code;
      return first ? { item: source.code, op: 'eq', value: first } : { item: source.code, op: 'answered' };
    }
    default:
      return { item: source.code, op: 'answered' };
  }
}

/** The condition adapted to a new operator (a list for "in", nothing for "answered"). */
export function withOp(c: ShowIf, op: ShowIfOp): ShowIf {
  if (op === 'answered') return { item: c.item, op };
  if (op === 'in') {
    const v = c.value;
    return { item: c.item, op, value: Array.isArray(v) ? v : v === undefined || typeof v === 'boolean' ? [] : [v] };
  }
  const v = Array.isArray(c.value) ? c.value[0] : c.value;
  return v === undefined ? { item: c.item, op } : { item: c.item, op, value: v };
}

type Answer = number | string | boolean | string[] | undefined;

/** Whether skip logic shows an item given the answers so far (the server's rule). */
export function shown(it: InstrumentItem, answers: Record<string, Answer>): boolean {
  return conditionHolds(it.showIf, answers);
}

export type { Answer };

/** A server error path ("items.3.label.vi") split into the item it concerns and the rest. */
export interface ErrorTarget {
  /** index of the item, when the path is under items */
  index: number | null;
  /** the rest of the path, e.g. "label.vi" */
  field: string;
}

export function errorTarget(path: string | undefined): ErrorTarget {
  const parts = (path ?? '').split('.').filter(Boolean);
  if (parts[0] === 'items' && parts[1] !== undefined && /^\d+$/.test(parts[1])) {
    return { index: Number(parts[1]), field: parts.slice(2).join('.') };
  }
  return { index: null, field: parts.join('.') };
}

/** Locale key of a known server message of the definition check; undefined for others. */
export function knownProblem(message: string, code: string): string | undefined {
  const rules: [RegExp, string][] = [
    [/is used twice/, 'duplicateCode'],
    [/a scale is/, 'scaleRange'],
    [/max is below min/, 'maxBelowMin'],
    [/give either options or optionsFrom/, 'optionsOrList'],
    [/^no reason list/, 'noList'],
    [/option codes repeat/, 'optionCodesRepeat'],
    [/item has no options/, 'noOptionsAllowed'],
    [/simply left empty/, 'noOpinionNotAllowed'],
    [/no-opinion value/, 'noOpinionValue'],
    [/earlier item/, 'showIfEarlier'],
    [/Vietnamese text/, 'viRequired'],
    [/capitals, digits and _/, 'itemCodeFormat'],
    [/lower case letters/, 'optionCodeFormat'],
  ];
  for (const [re, key] of rules) if (re.test(message)) return key;
  if (code === 'too_small') return 'empty';
  if (code === 'too_big') return 'tooLong';
  return undefined;
}

/** A unique key for each item while it is edited (its code may change). */
let seq = 0;
export const nextKey = () => `k${++seq}`;

/** Styles of inputs holding codes: the text in a monospace font, not the label. */
export const MONO = { input: { fontFamily: 'var(--mantine-font-family-monospace)' } };
