// CSV and XLSX exports of the data-quality table.
import { exportTable } from '../../platform/table-export.ts';
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

function display(v: unknown, timeZone: string): string | number {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'có' : 'không';
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)) {
    return new Date(v).toLocaleString('vi-VN', { timeZone });
  }
  return typeof v === 'number' ? v : String(v);
}

export function qualityExport(rows: QualityRow[], format: 'csv' | 'xlsx', period: string, timeZone: string) {
  return exportTable(
    format,
    { file: `chat-luong-du-lieu-${period}`, sheet: `Chất lượng ${period}` },
    COLUMNS.map(([, h]) => h),
    rows.map((r) => COLUMNS.map(([k]) => display(r[k], timeZone))),
  );
}
