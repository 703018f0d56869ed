// Phone cells as people fill them: one or more numbers, any separators, the
// leading 0 lost when Excel stored the number as a number.
import { normalizePhone } from '../../../platform/vault.ts';

export type PhoneList = { phones: { national: string; mobile: boolean }[]; invalid: string[] };

// Between two numbers: / , ; | a line break, "và", "hoặc", "or", "and".
const LIST_SEPARATOR = /[/,;|\n]|\s+(?:và|hoặc|hoac|va|or|and)\s+/iu;
// Inside one piece, dashes and spaces may separate digit groups or whole numbers.
const GROUP_SEPARATOR = /[\s\u00a0-]+/;
// Cells that mean "no number".
const NONE = /^(?:-+|x|0|\.+|n\/?a|không|không có|khong|khong co|chưa có|chua co|none)$/iu;

/**
 * Every number found in a cell, in order; `invalid` holds the pieces that are
 * not numbers (callers must not echo them: they are personal data).
 */
export function parsePhones(s: string): PhoneList {
  const out: PhoneList = { phones: [], invalid: [] };
  const text = s.normalize('NFC').trim();
  if (!text || NONE.test(text)) return out;
  for (const raw of text.split(LIST_SEPARATOR)) {
    const piece = withoutNotes(raw);
    if (!piece || NONE.test(piece)) continue;
    const whole = phone(piece);
    if (whole) out.phones.push(whole);
    else splitGroups(piece, out);
  }
  return out;
}

/** Drops labels and remarks around a number: "ĐT: 0912… (con trai)" -> "0912…". */
function withoutNotes(raw: string): string {
  return raw
    .replace(/\([^)]*\p{L}[^)]*\)/gu, ' ')
    .replace(/^[\p{L}\s.]*:\s*/u, '')
    .trim();
}

/**
 * "0912-345-678 - 0987 654 321": digit groups are joined left to right until
 * they make a valid number, which then starts a new one. Leftovers make the
 * piece, as written, invalid.
 */
function splitGroups(piece: string, out: PhoneList): void {
  let acc = '';
  let bad = false;
  for (const group of piece.split(GROUP_SEPARATOR)) {
    if (!group) continue;
    acc += group;
    const digits = acc.replace(/\D/g, '').length;
    if (digits < 9) continue;
    const found = phone(acc);
    if (found) out.phones.push(found);
    else if (digits < 12) continue;
    else bad = true;
    acc = '';
  }
  if (bad || acc) out.invalid.push(piece);
}

/** One number; 912345678 (a number cell that lost its 0) is read as 0912345678. */
function phone(raw: string): { national: string; mobile: boolean } | undefined {
  if (/[^\d\s.\-()+]/.test(raw)) return undefined;
  const p = normalizePhone(raw) ?? (/^[1-9]\d{8,9}$/.test(raw) ? normalizePhone(`0${raw}`) : undefined);
  return p && { national: p.national, mobile: p.mobile };
}
