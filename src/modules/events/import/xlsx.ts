// XLSX through exceljs's streaming reader: rows arrive one at a time from the
// first visible, non-empty worksheet. Only shared strings are held in memory.
import { createReadStream } from 'node:fs';
import ExcelJS from 'exceljs';
import { tooManyRows } from './csv.ts';
import { ImportFileError, type ImportLimits } from './limits.ts';
import type { TableRow } from './types.ts';

type SheetReader = AsyncIterable<ExcelJS.Row> & { name?: string; state?: string };

/** Rows of the first visible worksheet that has any; call after checkZip. */
export async function* readXlsx(path: string, limits: ImportLimits, check: () => void): AsyncGenerator<TableRow> {
  const file = createReadStream(path, { highWaterMark: 1 << 16 });
  // Styles are needed to tell a date cell from a number cell.
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  let count = 0;
  try {
    for await (const sheet of workbook as AsyncIterable<SheetReader>) {
      const visible = !sheet.state || sheet.state === 'visible';
      let found = false;
      for await (const row of sheet) {
        // A hidden sheet (lookup lists) is drained, not read.
        if (!visible) continue;
        const cells = rowCells(row);
        if (!cells.some((c) => c.trim())) continue;
        found = true;
        if (++count > limits.maxRows) throw tooManyRows(limits);
        if ((count & 255) === 0) check();
        yield { row: row.number, cells };
      }
      if (found) return;
    }
  } catch (e) {
    if (e instanceof ImportFileError) throw e;
    // Broken XML, an entity the parser will not expand (XXE), a truncated file…
    throw new ImportFileError('import.malformed', `the workbook could not be read: ${(e as Error).message}`, { cause: e });
  } finally {
    file.destroy();
  }
}

function rowCells(row: ExcelJS.Row): string[] {
  const cells: string[] = [];
  row.eachCell({ includeEmpty: false }, (cell, col) => {
    while (cells.length < col - 1) cells.push('');
    cells[col - 1] = cellText(cell.value);
  });
  return cells;
}

/**
 * Display text of a cell value. Dates are wall-clock times without a zone
 * ("2026-10-05" or "2026-10-05T08:30:00"): Excel stores local time.
 */
export function cellText(value: ExcelJS.CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return dateText(value);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as { result?: ExcelJS.CellValue }).result);
  if ('error' in value) return value.error;
  if ('text' in value) return cellText(value.text as ExcelJS.CellValue);
  return '';
}

/** 912345678, 46300.5: never an exponent for whole numbers, no float noise (0.1+0.2). */
export function numberText(n: number): string {
  if (!Number.isFinite(n)) return '';
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? BigInt(n).toString() : String(n);
  return String(Number(n.toPrecision(15)));
}

function dateText(d: Date): string {
  const t = d.getTime();
  if (Number.isNaN(t)) return '';
  // exceljs builds the Date from the serial at UTC; round away its float noise.
  const iso = new Date(Math.round(t / 1000) * 1000).toISOString().slice(0, 19);
  return iso.endsWith('T00:00:00') ? iso.slice(0, 10) : iso;
}
