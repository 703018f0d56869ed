// Finds the header row of a list and maps its columns to event fields. Header
// texts are compared without accents, case, spaces or punctuation, so
// "Mã HS", "MA HS" and "Mã  hs:" are the same header.
import { searchKey } from '../../../platform/text.ts';
import type { DetectedHeader, EventKind, Field, Header, Mapping, TableRow } from './types.ts';
import { cleanText } from './values.ts';

/** Header keys: accent-free, lower-case, letters and digits only, remarks in brackets dropped. */
export function headerKey(s: string): string {
  return searchKey(s.replace(/\([^)]*\)|\[[^\]]*\]/g, ' ')).replace(/[^a-z0-9]/g, '');
}

const SYNONYMS: Record<Field, string[]> = {
  externalId: [
    'Mã hồ sơ',
    'Số hồ sơ',
    'Ma HS',
    'Số HS',
    'Mã số hồ sơ',
    'Số biên nhận',
    'Mã biên nhận',
    'Dossier code',
    'Dossier id',
    'External id',
    'Mã BN',
    'Mã bệnh nhân',
    'Mã người bệnh',
    'Số vào viện',
    'Mã y tế',
    'Số bệnh án',
    'Patient id',
  ],
  service: [
    'Thủ tục',
    'Tên thủ tục',
    'Thủ tục hành chính',
    'Tên thủ tục hành chính',
    'Tên TTHC',
    'TTHC',
    'Dịch vụ',
    'Tên dịch vụ',
    'Procedure',
    'Service',
  ],
  receivedAt: [
    'Ngày tiếp nhận',
    'Ngày nhận',
    'Ngày nhận hồ sơ',
    'Thời gian tiếp nhận',
    'Ngày giờ tiếp nhận',
    'Ngày nộp',
    'Received',
    'Received at',
    'Received date',
    'Ngày vào viện',
    'Ngày khám',
    'Ngày vào',
    'Admission date',
    'Visit date',
  ],
  dueAt: [
    'Ngày hẹn trả',
    'Hẹn trả',
    'Ngày hẹn trả kết quả',
    'Hẹn trả kết quả',
    'Thời gian hẹn trả',
    'Ngày hẹn',
    'Due',
    'Due at',
    'Due date',
  ],
  returnedAt: [
    'Ngày trả kết quả',
    'Ngày trả',
    'Ngày trả KQ',
    'Thời gian trả kết quả',
    'Ngày nhận kết quả',
    'Ngày có kết quả',
    'Ngày hoàn thành',
    'Returned',
    'Returned at',
    'Return date',
    'Ngày ra viện',
    'Ngày ra',
    'Discharge date',
    'Discharged',
    'Discharged at',
  ],
  promisedAt: ['Ngày hẹn lại', 'Hẹn lại', 'Ngày hẹn trả lại', 'Promised', 'Promised at', 'Rescheduled'],
  status: ['Trạng thái', 'Tình trạng', 'Trạng thái hồ sơ', 'Tình trạng hồ sơ', 'Status'],
  channel: ['Hình thức nộp', 'Kênh', 'Kênh nộp', 'Hình thức tiếp nhận', 'Hình thức nộp hồ sơ', 'Channel'],
  phone: [
    'Số điện thoại',
    'SĐT',
    'Số ĐT',
    'Điện thoại',
    'ĐT',
    'Điện thoại liên hệ',
    'Số điện thoại liên hệ',
    'Di động',
    'Phone',
    'Phone number',
    'Mobile',
  ],
  name: [
    'Họ tên',
    'Họ và tên',
    'Chủ hồ sơ',
    'Người nộp',
    'Tên người nộp',
    'Họ tên người nộp',
    'Họ tên chủ hồ sơ',
    'Tên công dân',
    'Tổ chức, cá nhân',
    'Tên tổ chức, cá nhân',
    'Tên bệnh nhân',
    'Họ tên bệnh nhân',
    'Họ tên người bệnh',
    'Tên người bệnh',
    'Name',
    'Full name',
  ],
  gender: ['Giới tính', 'Phái', 'Gender', 'Sex'],
  ethnicMinority: ['Dân tộc', 'Dân tộc thiểu số', 'DTTS', 'Ethnic minority', 'Ethnicity'],
  unit: ['Mã đơn vị', 'Đơn vị', 'Unit', 'Unit code'],
  department: ['Khoa', 'Khoa điều trị', 'Khoa phòng', 'Khoa khám', 'Phòng khám', 'Department'],
  kind: ['Loại', 'Loại sự kiện', 'Hình thức điều trị', 'Loại KCB', 'Hình thức KCB', 'Nội trú/Ngoại trú', 'Kind'],
};

/** Row-number columns: recognised so that they are neither mapped nor reported. */
const IGNORED = new Set(['STT', 'TT', 'Số TT', 'Số thứ tự', 'No', '#'].map(headerKey));

/** Headers only patient lists have; and those that name a discharge. */
const PATIENT = new Set(
  [
    'Mã BN',
    'Mã bệnh nhân',
    'Mã người bệnh',
    'Số vào viện',
    'Mã y tế',
    'Số bệnh án',
    'Patient id',
    'Ngày vào viện',
    'Ngày khám',
    'Ngày vào',
    'Admission date',
    'Visit date',
    'Ngày ra viện',
    'Ngày ra',
    'Discharge date',
    'Discharged',
    'Discharged at',
    'Tên bệnh nhân',
    'Họ tên bệnh nhân',
    'Họ tên người bệnh',
    'Tên người bệnh',
    'Khoa',
    'Khoa điều trị',
    'Khoa phòng',
    'Khoa khám',
    'Phòng khám',
    'Department',
  ].map(headerKey),
);
const DISCHARGE = new Set(['Ngày ra viện', 'Ngày ra', 'Discharge date', 'Discharged', 'Discharged at'].map(headerKey));

const EXACT = new Map<string, Field>();
for (const [field, names] of Object.entries(SYNONYMS) as [Field, string[]][]) {
  for (const n of names) EXACT.set(headerKey(n), field);
}

// Longer wordings of the same headers ("Ngày, giờ tiếp nhận hồ sơ"). Only for
// short texts, so that a title such as "DANH SÁCH HỒ SƠ ĐÃ TRẢ KẾT QUẢ" is no header.
const LOOSE: [RegExp, Field][] = [
  [/\b(ma|so) (so )?(ho so|hs|bien nhan|benh nhan|bn)\b/, 'externalId'],
  [/\bhen (tra )?lai\b/, 'promisedAt'],
  [/\b(hen tra|han (xu ly|giai quyet|tra))\b/, 'dueAt'],
  [/\b(ngay|thoi gian|gio)\b.*\b(tra|ket qua|hoan thanh)\b|\btra ket qua\b/, 'returnedAt'],
  [/\b(ngay|thoi gian|gio)\b.*\b(tiep nhan|nhan|nop)\b/, 'receivedAt'],
  [/\b(dien thoai|sdt)\b/, 'phone'],
  [/\b(ho (va )?ten|ten (nguoi|chu|cong dan|benh nhan|to chuc))\b/, 'name'],
  [/\b(trang thai|tinh trang)\b/, 'status'],
  [/\bhinh thuc nop\b/, 'channel'],
  [/\bgioi tinh\b/, 'gender'],
  [/\bdan toc\b/, 'ethnicMinority'],
  [/\b(ten )?thu tuc\b/, 'service'],
];

/** The field a header names, if any; 'ignored' for row-number columns. */
export function fieldOf(text: string): Field | 'ignored' | undefined {
  return exactField(text) ?? looseField(text);
}

function exactField(text: string): Field | 'ignored' | undefined {
  const key = headerKey(text);
  if (IGNORED.has(key)) return 'ignored';
  return EXACT.get(key);
}

function looseField(text: string): Field | undefined {
  const words = searchKey(text);
  if (!words || words.length > 40 || /\d/.test(words)) return undefined;
  return LOOSE.find(([re]) => re.test(words))?.[1];
}

type Candidate = DetectedHeader & { fields: number };

/** Maps one row of header texts; a field named twice keeps its first column. */
function mapColumns(texts: string[][], headerRow: number): Candidate {
  const mapping: Mapping = {};
  const seen = new Set<Field>();
  const headers: string[] = [];
  const unmapped: string[] = [];
  texts.forEach((variants, col) => {
    // Exact names first, in any variant; longer wordings only after.
    const exact = variants.map((t) => (t ? exactField(t) : undefined));
    let i = exact.findIndex((f) => f);
    let field = exact[i];
    if (!field) {
      const loose = variants.map((t) => (t ? looseField(t) : undefined));
      i = loose.findIndex((f) => f);
      field = loose[i];
    }
    // Shown for an unmapped column: its own text, not a title carried over it.
    const shown = field ? variants[i]! : ((variants.length === 3 ? variants[1] : variants[0]) ?? '');
    headers.push(shown);
    if (field && field !== 'ignored' && !seen.has(field)) {
      seen.add(field);
      mapping[col] = field;
    } else if (shown && field !== 'ignored') unmapped.push(shown);
  });
  return { headerRow, headers, mapping, unmapped, fields: seen.size };
}

const qualifies = (c: Candidate) => c.fields >= 2 && Object.values(c.mapping).includes('externalId');

/**
 * Header texts of a two-row header: a merged parent ("Ngày") over its children
 * ("Tiếp nhận", "Hẹn trả") gives "Ngày Tiếp nhận"; a cell merged down keeps its text.
 */
function combine(top: string[], bottom: string[]): string[][] {
  const out: string[][] = [];
  let parent = '';
  for (let c = 0; c < Math.max(top.length, bottom.length); c++) {
    const own = cleanText(top[c] ?? '');
    const child = cleanText(bottom[c] ?? '');
    // A merged cell keeps its text in its first column only: carry it right.
    if (own) parent = own;
    else if (!child) parent = '';
    const above = own || parent;
    out.push(child ? [above ? `${above} ${child}` : child, child, own] : [own]);
  }
  return out;
}

/** Finds the header row among the first rows (title rows above it are skipped) and maps its columns. */
export function detectHeader(first: TableRow[]): DetectedHeader | undefined {
  for (let i = 0; i < first.length && i < 30; i++) {
    const row = first[i]!;
    const single = mapColumns(
      row.cells.map((t) => [cleanText(t)]),
      row.row,
    );
    const next = first[i + 1];
    // Only a row of several cells can be the upper half of a header; a title is one merged cell.
    const upper = next?.row === row.row + 1 && row.cells.filter((t) => t.trim()).length >= 2;
    const pair = upper ? mapColumns(combine(row.cells, next.cells), next.row) : undefined;
    if (pair && qualifies(pair) && (!qualifies(single) || pair.fields > single.fields)) return strip(pair);
    if (qualifies(single)) return strip(single);
  }
  return undefined;
}

const strip = ({ fields: _, ...header }: Candidate): DetectedHeader => header;

/** Kind of a whole list from its headers: patient headers -> visits, with a discharge column -> inpatient. */
export function inferKind(header: Header): EventKind {
  const keys = Object.keys(header.mapping).map((col) => headerKey(header.headers[Number(col)] ?? ''));
  if (!keys.some((k) => PATIENT.has(k))) return 'dossier';
  return keys.some((k) => DISCHARGE.has(k)) ? 'inpatient' : 'outpatient';
}

/** Column name for errors: the header text, or the column letter when it has none. */
export function columnName(header: Header, col: number): string {
  return header.headers[col] || columnLetter(col);
}

export function columnLetter(col: number): string {
  let n = col + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}
