// CSV (RFC 4180, formula-safe) and XLSX exports of the data-quality table.
import ExcelJS from 'exceljs';
import type { QualityRow } from './queries.ts';

const COLUMNS: [keyof QualityRow, string][] = [
  ['unit', 'Mã đơn vị'],
  ['unitName', 'Đơn vị'],
  ['records', 'Số bản ghi'],
  ['validMobileRate', 'Tỷ lệ có SĐT di động hợp lệ'],
  ['withNameRate', 'Tỷ lệ có họ tên'],
  ['withReturnDateRate', 'Tỷ lệ có ngày trả kết quả'],
  ['eligible', 'Đủ điều kiện khảo sát'],
  ['listReceivedAt', 'Ngày nhận danh sách'],
  ['listDueAt', 'Hạn gửi danh sách'],
  ['onTime', 'Gửi đúng hạn'],
];

/** Cells starting with = + - @ tab or CR would run as formulas in a spreadsheet. */
export function safeCell(v: string): string {
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

function csvField(v: unknown): string {
  const s = safeCell(v === null || v === undefined ? '' : String(v));
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function display(v: unknown, timeZone: string): string | number {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'có' : 'không';
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)) {
    return new Date(v).toLocaleString('vi-VN', { timeZone });
  }
  return typeof v === 'number' ? v : String(v);
}

export async function qualityExport(rows: QualityRow[], format: 'csv' | 'xlsx', period: string, timeZone: string) {
  const filename = `chat-luong-du-lieu-${period}.${format}`;
  if (format === 'csv') {
    const lines = [COLUMNS.map(([, h]) => csvField(h)).join(',')];
    for (const r of rows) lines.push(COLUMNS.map(([k]) => csvField(display(r[k], timeZone))).join(','));
    return { filename, contentType: 'text/csv; charset=utf-8', body: `\uFEFF${lines.join('\r\n')}\r\n` };
  }
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(`Chất lượng ${period}`);
  ws.addRow(COLUMNS.map(([, h]) => h)).font = { bold: true };
  for (const r of rows) {
    ws.addRow(
      COLUMNS.map(([k]) => {
        const v = display(r[k], timeZone);
        return typeof v === 'string' ? safeCell(v) : v;
      }),
    );
  }
  ws.columns.forEach((c) => {
    c.width = 22;
  });
  return {
    filename,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    body: Buffer.from(await wb.xlsx.writeBuffer()),
  };
}
