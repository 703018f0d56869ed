// What an SMS costs and says: GSM-7 or UCS-2, how many parts, templates with
// variables, and how a citizen's reply is read. No I/O: the console's template
// editor counts characters with these same functions.

// GSM 03.38 default alphabet and its extension table (each extension character takes two septets).
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';
const basic = new Set(GSM_BASIC);
const extended = new Set(GSM_EXTENDED);

export type Encoding = 'gsm7' | 'ucs2';

/** Vietnamese without diacritics (đ -> d), as survey SMS are sent by default. */
export function unaccent(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').normalize('NFC');
}

export function encodingOf(text: string): Encoding {
  for (const ch of text) if (!basic.has(ch) && !extended.has(ch)) return 'ucs2';
  return 'gsm7';
}

export type SmsSize = { encoding: Encoding; characters: number; units: number; parts: number; perPart: number; left: number };

/**
 * Characters, parts and what is left in the last part. GSM-7: 160 in one part,
 * 153 per part when split, extension characters count twice. UCS-2: 70 / 67,
 * counted in UTF-16 units (an emoji takes two).
 */
export function smsSize(text: string): SmsSize {
  const encoding = encodingOf(text);
  let units = 0;
  if (encoding === 'gsm7') for (const ch of text) units += extended.has(ch) ? 2 : 1;
  else units = text.length;
  const single = encoding === 'gsm7' ? 160 : 70;
  const multi = encoding === 'gsm7' ? 153 : 67;
  const parts = units === 0 ? 1 : units <= single ? 1 : Math.ceil(units / multi);
  const perPart = parts === 1 ? single : multi;
  return { encoding, characters: [...text].length, units, parts, perPart, left: parts * perPart - units };
}

export const TEMPLATE_KINDS = ['invitation', 'reminder', 'status', 'list_reminder', 'thanks', 'opt_out'] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];

/** Variables each kind of message may use. */
export const TEMPLATE_VARIABLES: Record<TemplateKind, readonly string[]> = {
  invitation: ['unit', 'code', 'service', 'link', 'keyword', 'sender'],
  reminder: ['unit', 'code', 'service', 'link', 'keyword', 'sender'],
  status: ['unit', 'code', 'status', 'date', 'sender'],
  list_reminder: ['unit', 'period', 'due', 'sender'],
  thanks: ['unit', 'sender'],
  opt_out: ['keyword', 'sender'],
};

/** Built-in texts (unaccented: one GSM-7 part where possible). */
export const DEFAULT_TEMPLATES: Record<TemplateKind, string> = {
  invitation: '{unit}: xin cham diem phuc vu ho so {code}, nhan 1 (rat kem) den 5 (rat tot). Nhan {keyword} de ngung nhan tin.',
  reminder: 'Nhac lai: {unit} xin cham diem ho so {code}, nhan 1 (rat kem) den 5 (rat tot). Nhan {keyword} de ngung nhan tin.',
  status: 'Ho so {code} tai {unit}: {status} ({date}).',
  list_reminder: 'Nhac {unit}: danh sach ho so thang {period} chua gui, han ngay {due}. Xin gui som qua he thong M.Score.',
  thanks: 'Cam on Ong/Ba da cham diem {unit}. Y kien cua Ong/Ba giup cai thien dich vu cong.',
  opt_out: 'Ong/Ba se khong nhan tin khao sat nua. Cam on Ong/Ba.',
};

/** The link variant of the invitation: the same text with the survey link instead of the digit. */
export const LINK_INVITATION = '{unit}: xin danh gia phuc vu ho so {code} tai {link} . Nhan {keyword} de ngung nhan tin.';

export const OPT_OUT_KEYWORD = 'TU CHOI';

export type TemplateProblem = { code: 'sms.template_variable'; variable: string; message: string };

/** Unknown {variables} in a template, for the editor and the API. */
export function templateProblems(kind: TemplateKind, body: string): TemplateProblem[] {
  const allowed = new Set(TEMPLATE_VARIABLES[kind]);
  const out: TemplateProblem[] = [];
  for (const m of body.matchAll(/\{([^{}\s]*)\}/g)) {
    const v = m[1] ?? '';
    if (!allowed.has(v))
      out.push({
        code: 'sms.template_variable',
        variable: v,
        message: `{${v}} is not a variable of this message; use ${[...allowed].map((a) => `{${a}}`).join(', ')}`,
      });
  }
  return out;
}

/**
 * Fills the variables. With `plain` (the default for survey SMS) values lose
 * their diacritics too, so a unit named with accents keeps the message GSM-7.
 */
export function render(body: string, vars: Record<string, string | null | undefined>, plain = true): string {
  const text = body.replace(/\{([a-z_]+)\}/g, (whole, name: string) => {
    const v = vars[name];
    return v === undefined || v === null ? (name in vars ? '' : whole) : plain ? unaccent(v) : v;
  });
  return text.replace(/[ \t]{2,}/g, ' ').trim();
}

// ---------------------------------------------------------------- replies

/** Opt-out keywords, compared without accents, case or spaces. */
export const OPT_OUT_KEYWORDS = ['tuchoi', 'huy', 'huydangky', 'dung', 'stop', 'khongnhan', 'khongnhantin', 'unsubscribe'];

const NUMBER_WORDS: Record<string, number> = {
  mot: 1,
  hai: 2,
  ba: 3,
  bon: 4,
  tu: 4,
  nam: 5,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
};
// Words that may stand around a score without making it something else.
const SCORE_WORDS = new Set(['diem', 'd', 'sao', 'score', 'point', 'points', 'cham', 'toi', 'em', 'cho', 'la', 'dc', 'duoc']);

export type Reply =
  | { kind: 'opt_out' }
  | { kind: 'rating'; rating: number; comment: string | null }
  | { kind: 'text'; text: string };

const squash = (s: string) =>
  unaccent(s)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

/**
 * Reads a citizen's SMS: an opt-out keyword, a score 1-5 (a digit, or a number
 * word when the message is only that, with or without "điểm"/"sao" and other
 * words kept as the comment), or free text kept for review.
 */
export function parseReply(raw: string): Reply {
  const text = raw.normalize('NFC').trim();
  const flat = squash(text);
  if (OPT_OUT_KEYWORDS.some((k) => flat === k || (k.length > 4 && flat.startsWith(k)))) return { kind: 'opt_out' };
  const digits = text.match(/\d+/g) ?? [];
  if (digits.length === 1 && /^[1-5]$/.test(digits[0] as string)) {
    const rating = Number(digits[0]);
    const comment = text
      .replace(/\d/, ' ')
      .replace(/^[\s.,;:!\-–/*#]+|[\s.,;:!\-–/*#]+$/g, '')
      .trim();
    const meaningful = comment
      .split(/[\s.,;:!\-–/*#]+/)
      .map(squash)
      .filter((w) => w && !SCORE_WORDS.has(w));
    return { kind: 'rating', rating, comment: meaningful.length ? comment : null };
  }
  if (digits.length === 0) {
    const words = unaccent(text)
      .toLowerCase()
      .split(/[^a-z]+/)
      .filter(Boolean);
    const numbers = words.filter((w) => w in NUMBER_WORDS);
    if (numbers.length === 1 && words.every((w) => w in NUMBER_WORDS || SCORE_WORDS.has(w))) {
      return { kind: 'rating', rating: NUMBER_WORDS[numbers[0] as string] as number, comment: null };
    }
  }
  return { kind: 'text', text };
}
