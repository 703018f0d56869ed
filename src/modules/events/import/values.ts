// Normalisers for the text fields of an event row. Matching is done on the
// accent-free lower-case form, so "Đã trả", "da tra" and "ĐÃ TRẢ" agree.
import { searchKey } from '../../../platform/text.ts';
import type { EventKind, EventStatus } from './types.ts';

// Zero-width and other invisible characters that Windows tools leave in names.
const INVISIBLE = /[\u200b-\u200f\u2060\ufeff\u00ad]/g;
// Cells that mean "nothing here".
const PLACEHOLDER = /^(?:-+|_+|\.+|\?+|x|0|n\/?a|na|none|null|không|không có|khong|khong co|chưa có|chua co|chưa rõ|chua ro)$/iu;

// Already clean: ASCII and precomposed Latin letters (Vietnamese included, all
// NFC-stable), single spaces inside, none around. Most cells are.
const CLEAN = /^[!-~\u00a1-\u00ac\u00ae-\u024f\u1e00-\u1eff]+(?: [!-~\u00a1-\u00ac\u00ae-\u024f\u1e00-\u1eff]+)*$/;

/** Text as shown: NFC, one space between words, trimmed. */
export function cleanText(s: string): string {
  if (CLEAN.test(s)) return s;
  return s.normalize('NFC').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}

/** NFC, collapsed spaces, trimmed; '' for placeholders like "-", "x", "không có". */
export function normalizeName(s: string): string {
  const name = cleanText(s);
  return PLACEHOLDER.test(name) ? '' : name;
}

export function isPlaceholder(s: string): boolean {
  return PLACEHOLDER.test(s);
}

/**
 * Categorical columns hold a handful of distinct values over a million rows:
 * parse each once. Bounded, in case a column is free text after all.
 */
function memo<T>(parse: (s: string) => T): (s: string) => T {
  const cache = new Map<string, T>();
  return (s) => {
    if (cache.has(s)) return cache.get(s) as T;
    const v = parse(s);
    if (cache.size >= 1000) cache.clear();
    cache.set(s, v);
    return v;
  };
}

// First match wins: "Chờ trả kết quả" is still in progress, "Đã hủy" is not returned.
const STATUS_RULES: [RegExp, EventStatus][] = [
  [/\b(huy|tu choi|rut ho so|khong (tiep nhan|giai quyet)|cancel(l?ed)?|reject(ed)?)\b/, 'cancelled'],
  [/\b(bo sung|more documents?|additional documents?|incomplete)\b/, 'more_documents'],
  [
    /\b(dang (xu ly|giai quyet|thu ly|tham dinh)|cho (tra|xu ly|giai quyet|ky|phe duyet|duyet)|chua (tra|giai quyet|xu ly)|processing|in progress)\b/,
    'processing',
  ],
  [/^(da )?tra( ket qua| kq)?\b|\b(hoan thanh|da giai quyet|da co ket qua|returned|completed|done|finished)\b/, 'returned'],
  [/\b(tiep nhan|moi|received|new)\b/, 'received'],
];

export const parseStatus = memo((s: string): EventStatus | undefined => {
  const key = searchKey(s);
  return STATUS_RULES.find(([re]) => re.test(key))?.[1];
});

export const parseChannel = memo((s: string): 'counter' | 'online' | undefined => {
  const key = searchKey(s);
  if (/\b(truc tuyen|online|dich vu cong|dvc|dvctt|qua mang|internet|muc (do )?(3|4)|toan trinh|mot phan)\b/.test(key))
    return 'online';
  if (/\b(truc tiep|tai quay|counter|tai bo phan|mot cua|in person|offline)\b/.test(key)) return 'counter';
  return undefined;
});

const GENDERS: Record<string, 'female' | 'male' | 'other'> = {
  nam: 'male',
  male: 'male',
  m: 'male',
  trai: 'male',
  nu: 'female',
  female: 'female',
  f: 'female',
  gai: 'female',
  khac: 'other',
  other: 'other',
};

export const parseGender = memo((s: string): 'female' | 'male' | 'other' | undefined => GENDERS[searchKey(s)]);

const YES = /^(x|co|yes|y|true|1|dtts|thieu so|dan toc thieu so)$/;
const NO = /^(kinh|khong|no|n|false|0)$/;

/**
 * "Kinh" (the majority) -> false; any other people ("Vân Kiều", "Pa Kô", "Tày")
 * or a tick ("x", "có") -> true; blank -> undefined.
 */
export const parseEthnicMinority = memo((s: string): boolean | undefined => {
  const key = searchKey(s).replace(/^dan toc\s+/, '');
  if (!key) return undefined;
  if (NO.test(key)) return false;
  if (YES.test(key)) return true;
  // A name of a people: letters only, a few words ("Bru - Vân Kiều").
  return /^[a-z][a-z\s'-]{1,40}$/.test(key) ? true : undefined;
});

export const parseKind = memo((s: string): EventKind | undefined => {
  const key = searchKey(s);
  if (/\b(ngoai tru|outpatient|kham benh)\b/.test(key)) return 'outpatient';
  if (/\b(noi tru|inpatient|dieu tri)\b/.test(key)) return 'inpatient';
  if (/\b(ho so|dossier|thu tuc)\b/.test(key)) return 'dossier';
  return undefined;
});
