// CSV (RFC 4180, UTF-8 with BOM for Excel, formula-safe) and XLSX downloads of a table.
import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';

export type Cell = string | number | null;
export type ExportFile = { filename: string; contentType: string; body: string | Buffer };

/** Cells starting with = + - @ tab or CR would run as formulas in a spreadsheet. */
export function safeCell(v: string): string {
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

function csvField(v: Cell): string {
  const s = v === null ? '' : typeof v === 'number' ? String(v) : safeCell(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export async function exportTable(
  format: 'csv' | 'xlsx',
  name: { file: string; sheet: string },
  headers: string[],
  rows: Cell[][],
): Promise<ExportFile> {
  const filename = `${name.file}.${format}`;
  if (format === 'csv') {
    const lines = [headers.map(csvField).join(',')];
    for (const r of rows) lines.push(r.map(csvField).join(','));
    return { filename, contentType: 'text/csv; charset=utf-8', body: `\uFEFF${lines.join('\r\n')}\r\n` };
  }
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(name.sheet.slice(0, 31));
  ws.addRow(headers).font = { bold: true };
  for (const r of rows) ws.addRow(r.map((v) => (typeof v === 'string' ? safeCell(v) : v)));
  ws.columns.forEach((c) => {
    c.width = 22;
  });
  return {
    filename,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    body: Buffer.from(await wb.xlsx.writeBuffer()),
  };
}

/** Sends a file made here as a download. */
export function sendExport(reply: FastifyReply, file: ExportFile) {
  return reply
    .type(file.contentType)
    .header('content-disposition', `attachment; filename="${file.filename}"`)
    .serializer((x: unknown) => x as string)
    .send(file.body as never);
}
