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

export type PreviewLang = 'vi' | 'en';

/** The text in a language, falling back to Vietnamese. */
export function lt(text: LocalText | undefined, lang: string): string {
  if (!text) return '';
  return text[lang] || text.vi || '';
}

/**
 * Sets one language of a text. An empty English text is dropped (the server wants
 * non-empty strings); the Vietnamese one is kept even when empty, so that the
 * server names the missing text, unless `optional` and every language is empty.
 */
export function withText(text: LocalText | undefined, lang: PreviewLang, value: string, optional = false): LocalText | undefined {
  const next: Record<string, string> = {};
  for (const [k, v] of Object.entries(text ?? {})) if (v) next[k] = v;
  if (value) next[lang] = value;
  else delete next[lang];
  if (optional && Object.keys(next).length === 0) return undefined;
  return { ...next, vi: next.vi ?? '' } as LocalText;
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
