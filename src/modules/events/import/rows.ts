// Turns the rows under the header into events, one result per row, with a
// precise error per bad cell. Blank rows, headings and the footer (totals,
// signatures, "Quảng Trị, ngày … tháng … năm …") are skipped silently.
import { searchKey } from '../../../platform/text.ts';
import { CodeIndex } from './code-index.ts';
import { readDate } from './datetime.ts';
import { columnName, fieldOf, inferKind } from './header.ts';
import { parsePhones } from './phones.ts';
import type { CellError, Citizen, EventKind, Field, Header, ParsedEvent, RowResult, TableRow } from './types.ts';
import {
  cleanText,
  isPlaceholder,
  normalizeName,
  parseChannel,
  parseEthnicMinority,
  parseGender,
  parseKind,
  parseStatus,
} from './values.ts';

export type ParseOptions = { timeZone: string; kind?: EventKind; unit?: string };

const MAX_EXTERNAL_ID = 100;
const DATE_FIELDS = ['receivedAt', 'dueAt', 'returnedAt', 'promisedAt'] as const;
type DateField = (typeof DATE_FIELDS)[number];

/** What parseRows needs per file, computed once from the header. */
type Context = {
  header: Header;
  opts: ParseOptions;
  kind: EventKind;
  col: Partial<Record<Field, number>>;
  /** columns that carry content (not row numbers) */
  content: number[];
};

function context(header: Header, opts: ParseOptions): Context {
  const col: Partial<Record<Field, number>> = {};
  for (const [c, field] of Object.entries(header.mapping)) col[field] ??= Number(c);
  const width = Math.max(header.headers.length, ...Object.keys(header.mapping).map((c) => Number(c) + 1));
  const content: number[] = [];
  for (let c = 0; c < width; c++) if (fieldOf(header.headers[c] ?? '') !== 'ignored') content.push(c);
  return { header, opts, kind: opts.kind ?? inferKind(header), col, content };
}

/**
 * Results for the rows after the header. A code seen again later in the file
 * withdraws the earlier row: a result `{ row: <earlier row>, errors: [row.duplicate] }`
 * (without event) is yielded just before the later row's own result.
 */
export async function* parseRows(rows: AsyncIterable<TableRow>, header: Header, opts: ParseOptions): AsyncGenerator<RowResult> {
  const ctx = context(header, opts);
  // Unit -> code -> row that holds it, to name the earlier row.
  const seen = new Map<string, CodeIndex>();
  let inFooter = false;
  for await (const r of rows) {
    if (r.row <= header.headerRow) continue;
    const shape = rowShape(r, ctx, inFooter);
    if (shape === 'footer') inFooter = true;
    if (shape !== 'data') continue;
    const result = parseRow(r, ctx);
    const event = result.event;
    if (event) {
      let codes = seen.get(event.unit ?? '');
      if (!codes) {
        codes = new CodeIndex();
        seen.set(event.unit ?? '', codes);
      }
      const earlier = codes.get(event.externalId);
      if (earlier !== undefined) yield duplicate(earlier, r.row, ctx);
      codes.set(event.externalId, r.row);
    }
    yield result;
  }
}

function duplicate(earlier: number, later: number, ctx: Context): RowResult {
  const column = columnName(ctx.header, ctx.col.externalId ?? 0);
  const message = `the same code is on row ${later} too; the later row is kept`;
  return { row: earlier, errors: [{ row: earlier, column, code: 'row.duplicate', message }] };
}

// Footer texts, matched on the accent-free form of a cell.
const FOOTER = [
  /^(tong cong|tong so|grand total)\b|^(tong|cong|total)\s*($|[:\d(])/,
  /\b(nguoi lap( bieu)?|thu truong( don vi)?|giam doc|pho giam doc|truong (phong|khoa|bo phan)|ke toan|xac nhan cua)\b/,
  /\b(ky,? (ghi ro )?(ho )?ten|ky ten|ky va ghi|dong dau|prepared by|approved by|signature)\b/,
  /\bngay\b.*\bthang\b.*\bnam\b/,
];
// Group headings inside a list: "I. LĨNH VỰC ĐẤT ĐAI", "Khoa Nội".
const HEADING = /^(([ivxlc]+|[a-z]|\d{1,2})[.)]\s+\S|(linh vuc|nhom|khoa|phong)\b)/;

const isFooterText = (text: string) => /^[\p{L}(]/u.test(text) && FOOTER.some((re) => re.test(searchKey(text)));

/**
 * 'data', or why the row is skipped. After a footer line, a row is data again
 * only when its code has a digit (signers' names land in any column).
 */
function rowShape(r: TableRow, ctx: Context, inFooter: boolean): 'data' | 'blank' | 'footer' | 'heading' {
  const filled = ctx.content.filter((c) => (r.cells[c] ?? '').trim() !== '');
  const only = filled.length === 1 ? cleanText(r.cells[filled[0]!]!) : '';
  // "I. LĨNH VỰC HỘ TỊCH" alone on its row, wherever it sits (codes have no spaces).
  if (only.includes(' ') && HEADING.test(searchKey(only))) return 'heading';
  const idCol = ctx.col.externalId;
  const id = idCol === undefined ? '' : cleanText(r.cells[idCol] ?? '');
  // "Tổng cộng: 25" in the code column.
  if (id.includes(' ') && isFooterText(id)) return 'footer';
  // The header repeated on every printed page.
  if (id && idCol !== undefined && id === ctx.header.headers[idCol]) return 'blank';
  if (id && !isPlaceholder(id) && (!inFooter || /\d/.test(id))) return 'data';
  // Totals often sit in the row-number column, so every cell is looked at here.
  if (r.cells.some((t) => t && isFooterText(cleanText(t)))) return 'footer';
  if (inFooter) return 'footer';
  return filled.length === 0 ? 'blank' : 'data';
}

/** One data row: its event (unless unusable) and the errors of its cells. */
function parseRow(r: TableRow, ctx: Context): RowResult {
  const errors: CellError[] = [];
  const at = (field: Field) => {
    const c = ctx.col[field];
    if (c === undefined) return '';
    const text = cleanText(r.cells[c] ?? '');
    return field === 'ethnicMinority' || !isPlaceholder(text) ? text : '';
  };
  const fail = (field: Field, code: string, message: string) =>
    errors.push({ row: r.row, column: columnName(ctx.header, ctx.col[field] ?? 0), code, message });

  const externalId = at('externalId');
  if (!externalId) {
    fail('externalId', 'row.external_id_missing', 'the row has no code (dossier or patient number)');
    return { row: r.row, errors };
  }
  if (externalId.length > MAX_EXTERNAL_ID) {
    fail('externalId', 'row.external_id_invalid', `the code is longer than ${MAX_EXTERNAL_ID} characters`);
    return { row: r.row, errors };
  }
  const event: ParsedEvent = { row: r.row, externalId };
  const unit = at('unit') || ctx.opts.unit;
  if (unit) event.unit = unit;
  event.kind = rowKind(at('kind'), ctx, fail);
  setText(event, 'service', at('service'));
  readDates(event, at, ctx, fail);
  readCategories(event, at, fail);
  setText(event, 'department', at('department'));
  const citizen = readCitizen(at, fail);
  if (citizen) event.citizen = citizen;
  return { row: r.row, event, errors };
}

type At = (field: Field) => string;
type Fail = (field: Field, code: string, message: string) => void;

function setText(event: ParsedEvent, key: 'service' | 'department', text: string): void {
  if (text) event[key] = text;
}

/** A kind column wins per row; then opts.kind; then what the headers suggest. */
function rowKind(text: string, ctx: Context, fail: Fail): EventKind {
  if (!text) return ctx.kind;
  const kind = parseKind(text);
  if (!kind) fail('kind', 'kind.invalid', `unknown kind "${text}" (hồ sơ, ngoại trú or nội trú)`);
  return kind ?? ctx.kind;
}

const DATE_MESSAGES: Record<string, (text: string) => string> = {
  'date.invalid': (text) => `"${text}" is not a date written day/month/year`,
  'date.out_of_range': (text) => `"${text}" is outside the years 2000 to 2100`,
};

/** The four dates; a return before the receipt is an error on the return date, which is dropped. */
function readDates(event: ParsedEvent, at: At, ctx: Context, fail: Fail): void {
  let returnedDay = false;
  for (const field of DATE_FIELDS) {
    const text = at(field);
    if (!text) continue;
    const d = readDate(text, ctx.opts.timeZone);
    if ('error' in d) fail(field, d.error, DATE_MESSAGES[d.error]!(text));
    else {
      event[field as DateField] = d.iso;
      if (field === 'returnedAt') returnedDay = d.dateOnly;
    }
  }
  if (event.receivedAt && event.returnedAt) {
    // A return date without a time stands for that whole day ("05/10" is not before "05/10 08:30").
    const returned = Date.parse(event.returnedAt) + (returnedDay ? 86_400_000 - 1 : 0);
    if (returned < Date.parse(event.receivedAt)) {
      fail('returnedAt', 'date.order', 'the return date is before the date received');
      delete event.returnedAt;
    }
  }
}

/** Status (inferred from the return date when blank) and channel. */
function readCategories(event: ParsedEvent, at: At, fail: Fail): void {
  const statusText = at('status');
  const status = statusText ? parseStatus(statusText) : undefined;
  if (statusText && !status) fail('status', 'status.invalid', `unknown status "${statusText}"`);
  event.status = status ?? (event.returnedAt ? 'returned' : 'received');
  const channelText = at('channel');
  if (!channelText) return;
  const channel = parseChannel(channelText);
  if (channel) event.channel = channel;
  else fail('channel', 'channel.invalid', `unknown channel "${channelText}" (trực tiếp or trực tuyến)`);
}

/** Name, phone, gender, ethnicity; undefined when the row says nothing about the person. */
function readCitizen(at: At, fail: Fail): Citizen | undefined {
  const citizen: Citizen = {};
  const name = normalizeName(at('name'));
  if (name) citizen.name = name;
  const phoneText = at('phone');
  if (phoneText) {
    const { phones, invalid } = parsePhones(phoneText);
    const best = phones.find((p) => p.mobile) ?? phones[0];
    if (best) {
      citizen.phone = best.national;
      citizen.phoneKind = best.mobile ? 'mobile' : 'landline';
    } else if (invalid.length) fail('phone', 'phone.invalid', 'invalid phone number (số điện thoại không hợp lệ)');
  }
  const genderText = at('gender');
  if (genderText) {
    const gender = parseGender(genderText);
    if (gender) citizen.gender = gender;
    else fail('gender', 'gender.invalid', `unknown gender "${genderText}" (nam, nữ or khác)`);
  }
  const ethnicText = at('ethnicMinority');
  if (ethnicText) {
    const minority = parseEthnicMinority(ethnicText);
    if (minority !== undefined) citizen.ethnicMinority = minority;
    else fail('ethnicMinority', 'ethnic.invalid', `"${ethnicText}" is not an ethnic group nor yes/no`);
  }
  return Object.keys(citizen).length ? citizen : undefined;
}
