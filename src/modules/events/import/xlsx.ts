// XLSX through exceljs's streaming reader: rows arrive one at a time from the
// first visible, non-empty worksheet. Only shared strings are held in memory.
import ExcelJS from 'exceljs';
import { tooManyRows } from './csv.ts';
import { ImportFileError, type ImportLimits } from './limits.ts';
import type { TableRow } from './types.ts';
import { openWorkbook, partsStream } from './xlsx-zip.ts';

type SheetReader = AsyncIterable<ExcelJS.Row>;

/** Rows of the first visible worksheet that has any, after the container was checked. */
export async function* readXlsx(path: string, limits: ImportLimits, check: () => void): AsyncGenerator<TableRow> {
  const book = await openWorkbook(path, limits, check);
  const input = partsStream(book, limits, check);
  // Styles are needed to tell a date cell from a number cell.
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  // exceljs does not hear of errors in its input (a limit reached while
  // inflating): race every step against them rather than wait forever.
  const failed = new Promise<never>((_, reject) => input.once('error', reject));
  failed.catch(() => {});
  let count = 0;
  try {
    // Hidden sheets (lookup lists) were left out of the stream.
    for await (const sheet of until(workbook as AsyncIterable<SheetReader>, failed)) {
      let found = false;
      for await (const row of until(sheet, failed)) {
        const cells = rowCells(row);
        if (!cells.some((c) => c.trim())) continue;
        found = true;
        if (++count > limits.maxRows) throw tooManyRows(limits);
        if ((count & 255) === 1) check(); // row 1, 257, …
        yield { row: row.number, cells };
      }
      if (found) return;
    }
  } catch (e) {
    if (e instanceof ImportFileError) throw e;
    // Broken XML, an entity the parser will not expand (XXE), a truncated file…
    throw new ImportFileError('import.malformed', `the workbook could not be read: ${(e as Error).message}`, { cause: e });
  } finally {
    input.destroy();
    book.zip.close();
  }
}

/** Items of `source` until it ends, or until `failure` rejects. */
async function* until<T>(source: AsyncIterable<T>, failure: Promise<never>): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  let done = false;
  try {
    while (true) {
      const next = await Promise.race([it.next(), failure]);
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    // Not awaited: a source stuck on a dead input would never settle.
    if (!done) it.return?.(undefined).catch(() => {});
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
