// Checks a response's answers against the instrument version it answers and
// turns them into normalised rows: one per value, the no-opinion answer as
// 'na', phone numbers encrypted. Errors name the item and a stable code.

import { normalizePhone } from '../../platform/vault.ts';
import { type Definition, type Item, optionsOf } from '../surveys/definition.ts';
import type { PublishedVersion } from '../surveys/queries.ts';
import { conditionHolds, isAnswered, sameValue } from '../surveys/skip-logic.ts';

export type AnswerRow = {
  item: string;
  ord: number;
  value: string;
  num: number | null;
  /** the value counted in the rollups ('*' for free text and phones) */
  rollup: string;
};
export type AnswerError = { item: string; code: string; message: string };
export type AnswerValue = number | string | boolean | (number | string)[] | null;

const NO_OPINION = 'na';

export function validateAnswers(
  v: PublishedVersion,
  answers: Record<string, AnswerValue>,
  opts: { complete: boolean; consent: boolean | undefined; encryptPhone: (national: string) => string },
): { rows: AnswerRow[]; errors: AnswerError[] } {
  const rows: AnswerRow[] = [];
  const errors: AnswerError[] = [];
  const err = (item: string, code: string, message: string) => errors.push({ item, code, message });
  for (const code of Object.keys(answers)) {
    if (!v.items.has(code)) err(code, 'answer.unknown_item', `no item ${code} in ${v.code} version ${v.version}`);
  }
  const given: Record<string, AnswerValue | undefined> = {};
  for (const it of v.definition.items) {
    const raw = answers[it.code];
    const visible = conditionHolds(it.showIf, given);
    if (!isAnswered(raw)) {
      if (opts.complete && it.required && visible && !(it.personal && opts.consent !== true))
        err(it.code, 'answer.required', 'this item must be answered');
      continue;
    }
    if (!visible) {
      err(it.code, 'answer.skipped', `the skip logic hides this item (it depends on ${it.showIf?.item})`);
      continue;
    }
    if ((it.personal || it.type === 'phone') && opts.consent !== true) {
      err(it.code, 'answer.needs_consent', 'personal data is taken only with consent');
      continue;
    }
    const before = errors.length;
    const out = normalise(it, raw as AnswerValue, v.definition, err, opts.encryptPhone);
    if (errors.length === before) {
      given[it.code] = raw;
      rows.push(...out);
    }
  }
  return { rows, errors };
}

function normalise(
  it: Item,
  raw: AnswerValue,
  def: Definition,
  err: (item: string, code: string, message: string) => void,
  encryptPhone: (national: string) => string,
): AnswerRow[] {
  const one = (value: string, num: number | null, rollup = value): AnswerRow[] => [{ item: it.code, ord: 0, value, num, rollup }];
  if (it.noOpinion && sameValue(raw, it.noOpinion.value)) return one(NO_OPINION, null);
  switch (it.type) {
    case 'faces':
    case 'scale': {
      const [lo, hi] = it.type === 'faces' ? [1, 4] : [it.min ?? 1, it.max ?? 5];
      if (typeof raw !== 'number') {
        err(it.code, 'answer.invalid_type', `a whole number from ${lo} to ${hi}`);
        return [];
      }
      if (!Number.isInteger(raw) || raw < lo || raw > hi) {
        err(it.code, 'answer.out_of_range', `a whole number from ${lo} to ${hi}`);
        return [];
      }
      return one(String(raw), raw);
    }
    case 'yesno':
      if (typeof raw !== 'boolean') {
        err(it.code, 'answer.invalid_type', 'true or false');
        return [];
      }
      return one(raw ? '1' : '0', raw ? 1 : 0);
    case 'number': {
      if (typeof raw !== 'number' || !Number.isFinite(raw)) {
        err(it.code, 'answer.invalid_type', 'a number');
        return [];
      }
      if (it.integer && !Number.isInteger(raw)) {
        err(it.code, 'answer.not_integer', 'a whole number');
        return [];
      }
      if ((it.min !== undefined && raw < it.min) || (it.max !== undefined && raw > it.max)) {
        err(it.code, 'answer.out_of_range', `from ${it.min ?? '-∞'} to ${it.max ?? '∞'}`);
        return [];
      }
      return one(String(raw), raw);
    }
    case 'single': {
      if (typeof raw !== 'string') {
        err(it.code, 'answer.invalid_type', 'one option code');
        return [];
      }
      if (!optionsOf(it, def).some((o) => o.code === raw)) {
        err(it.code, 'answer.invalid_option', `no option ${raw}`);
        return [];
      }
      return one(raw, null);
    }
    case 'multiple': {
      if (!Array.isArray(raw) || raw.some((x) => typeof x !== 'string')) {
        err(it.code, 'answer.invalid_type', 'a list of option codes');
        return [];
      }
      const codes = raw as string[];
      if (new Set(codes).size !== codes.length) {
        err(it.code, 'answer.duplicate_option', 'an option is chosen twice');
        return [];
      }
      const allowed = new Set(optionsOf(it, def).map((o) => o.code));
      const bad = codes.filter((c) => !allowed.has(c));
      if (bad.length) {
        err(it.code, 'answer.invalid_option', `no option ${bad.join(', ')}`);
        return [];
      }
      return codes.map((c, ord) => ({ item: it.code, ord, value: c, num: null, rollup: c }));
    }
    case 'text': {
      if (typeof raw !== 'string') {
        err(it.code, 'answer.invalid_type', 'text');
        return [];
      }
      const text = raw.normalize('NFC').trim();
      const max = it.maxLength ?? 1000;
      if (text.length > max) {
        err(it.code, 'answer.too_long', `at most ${max} characters`);
        return [];
      }
      return text ? one(text, null, '*') : [];
    }
    case 'phone': {
      const p = typeof raw === 'string' ? normalizePhone(raw) : undefined;
      if (!p) {
        err(it.code, 'answer.invalid_phone', 'a Vietnamese phone number');
        return [];
      }
      return one(encryptPhone(p.national), null, '*');
    }
  }
  return [];
}

/**
 * The answers as a client sends them, from stored rows (to resume a partial
 * response): yes/no as booleans, numbers as numbers, choices as codes, no
 * opinion as the item's own value. Phone numbers are never sent back.
 */
export function answersFromRows(v: PublishedVersion, rows: { item: string; value: string; num: number | null }[]) {
  const out: Record<string, AnswerValue> = {};
  for (const r of rows) {
    const it = v.items.get(r.item);
    if (!it || it.type === 'phone') continue;
    let value: number | string | boolean;
    if (r.value === NO_OPINION && it.noOpinion) value = it.noOpinion.value;
    else if (it.type === 'yesno') value = r.value === '1';
    else if (r.num !== null && (it.type === 'number' || it.type === 'scale' || it.type === 'faces')) value = r.num;
    else value = r.value;
    if (it.type === 'multiple' && value !== it.noOpinion?.value) {
      const prev = out[r.item];
      out[r.item] = [...(Array.isArray(prev) ? prev : []), value as string | number];
    } else out[r.item] = value;
  }
  return out;
}
