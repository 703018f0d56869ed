// Delimited text as offices save it: Excel "CSV UTF-8" (with a BOM), plain
// UTF-8, Excel "Unicode text" (UTF-16 with a BOM, tab-separated); comma,
// semicolon or tab between cells. Read as a stream, one record at a time.
import { createReadStream } from 'node:fs';
import { ImportFileError, type ImportLimits } from './limits.ts';
import type { TableRow } from './types.ts';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/** Encoding from the byte-order mark; no mark means UTF-8 (checked while decoding). */
export function textEncoding(head: Buffer): TextEncoding {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

const ENCODING_HINT =
  'the file is not UTF-8 text (perhaps TCVN3/VNI or Windows-1258): in Excel use "Save as" > "CSV UTF-8", or save as .xlsx';

/** Decoded text chunks; a byte sequence invalid in the encoding is an import.encoding error. */
async function* decode(chunks: AsyncIterable<Buffer>, encoding: TextEncoding): AsyncGenerator<string> {
  // The decoder drops the byte-order mark itself.
  const decoder = new TextDecoder(encoding, { fatal: true });
  try {
    for await (const chunk of chunks) {
      const text = decoder.decode(chunk, { stream: true });
      if (text) yield text;
    }
    const tail = decoder.decode();
    if (tail) yield tail;
  } catch (e) {
    if (e instanceof TypeError) throw new ImportFileError('import.encoding', ENCODING_HINT, { cause: e });
    throw e;
  }
}

const DELIMITERS = ['\t', ';', ','] as const;

/**
 * The delimiter that splits the most lines of the sample into the same number
 * of cells. Title rows (one cell) and commas inside quotes do not count.
 */
export function detectDelimiter(sample: string): string {
  let best: { delimiter: string; lines: number; cells: number } = { delimiter: ',', lines: 0, cells: 0 };
  for (const delimiter of DELIMITERS) {
    const counts = countPerLine(sample, delimiter);
    const freq = new Map<number, number>();
    for (const n of counts) if (n > 0) freq.set(n, (freq.get(n) ?? 0) + 1);
    for (const [cells, lines] of freq) {
      if (lines > best.lines || (lines === best.lines && cells > best.cells)) best = { delimiter, lines, cells };
    }
  }
  return best.delimiter;
}

/** Delimiters outside quotes on each of the first 50 records of the sample. */
function countPerLine(sample: string, delimiter: string): number[] {
  const counts: number[] = [];
  let inQuotes = false;
  let n = 0;
  for (let i = 0; i < sample.length && counts.length < 50; i++) {
    const ch = sample[i];
    if (ch === '"') inQuotes = !inQuotes;
    else if (inQuotes) continue;
    else if (ch === delimiter) n++;
    else if (ch === '\n') {
      counts.push(n);
      n = 0;
    }
  }
  return counts;
}

// One record may not hold more than this many characters: an unclosed quote
// would otherwise swallow the rest of the file into memory.
const MAX_RECORD_CHARS = 1_000_000;

const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * Splits decoded text into records (RFC 4180, relaxed as Excel is: ragged rows,
 * quotes inside unquoted cells kept as text; CRLF, LF or CR line ends). Written
 * by hand because a general parser costs several times more per row, and a
 * list can have a million rows.
 */
export async function* splitRecords(
  chunks: AsyncIterable<string>,
  delimiter: string,
  maxRecordChars: number,
): AsyncGenerator<string[]> {
  const D = delimiter.charCodeAt(0);
  let record: string[] = [];
  let field = '';
  let recordChars = 0;
  let inQuotes = false;
  let quoteAtChunkEnd = false; // a quote inside a quoted cell was the last character of a chunk
  let crAtChunkEnd = false;
  for await (const chunk of chunks) {
    if (chunk.length === 0) continue;
    let i = 0;
    if (quoteAtChunkEnd) {
      quoteAtChunkEnd = false;
      if (chunk.charCodeAt(0) === QUOTE) {
        field += '"';
        i = 1;
      } else inQuotes = false;
    } else if (crAtChunkEnd) {
      crAtChunkEnd = false;
      if (chunk.charCodeAt(0) === LF) i = 1;
    }
    let start = i;
    const n = chunk.length;
    for (; i < n; i++) {
      const c = chunk.charCodeAt(i);
      if (inQuotes) {
        if (c !== QUOTE) continue;
        field += chunk.slice(start, i);
        start = i + 1;
        if (i + 1 === n) quoteAtChunkEnd = true;
        else if (chunk.charCodeAt(i + 1) === QUOTE) {
          field += '"';
          i++;
          start = i + 1;
        } else inQuotes = false; // closing quote; anything up to the delimiter is kept as text
        continue;
      }
      if (c === D) {
        field += chunk.slice(start, i);
        recordChars += field.length;
        record.push(field);
        field = '';
        start = i + 1;
      } else if (c === LF || c === CR) {
        field += chunk.slice(start, i);
        record.push(field);
        yield record;
        record = [];
        field = '';
        recordChars = 0;
        if (c === CR) {
          if (i + 1 === n) crAtChunkEnd = true;
          else if (chunk.charCodeAt(i + 1) === LF) i++;
        }
        start = i + 1;
      } else if (c === QUOTE && i === start && field === '') {
        inQuotes = true;
        start = i + 1;
      }
    }
    if (start < n) field += chunk.slice(start);
    if (recordChars + field.length > maxRecordChars) {
      throw Object.assign(new Error('record too large'), { code: 'CSV_MAX_RECORD_SIZE' });
    }
  }
  if (inQuotes && !quoteAtChunkEnd) throw Object.assign(new Error('unclosed quote'), { code: 'CSV_QUOTE_NOT_CLOSED' });
  if (field !== '' || record.length > 0) {
    record.push(field);
    yield record;
  }
}

/** Rows of a delimited text file; `head` is the start of the file, for sniffing. */
export async function* readCsv(path: string, head: Buffer, limits: ImportLimits, check: () => void): AsyncGenerator<TableRow> {
  check();
  const encoding = textEncoding(head);
  const sample = new TextDecoder(encoding).decode(head);
  // Excel writes "sep=;" as a first line to name the delimiter, and hides it.
  const sep = /^sep=(.)\r?\n/.exec(sample);
  const delimiter = sep?.[1] ?? detectDelimiter(sample);
  const file = createReadStream(path, { highWaterMark: 1 << 16 });
  let row = 0;
  let skipSep = sep !== null;
  try {
    for await (const cells of splitRecords(decode(file, encoding), delimiter, MAX_RECORD_CHARS)) {
      if (skipSep) {
        skipSep = false;
        continue;
      }
      row++;
      if (row > limits.maxRows) throw tooManyRows(limits);
      if ((row & 255) === 0) check();
      yield { row, cells };
    }
  } catch (e) {
    throw asImportError(e, row + 1);
  } finally {
    file.destroy();
  }
}

export const tooManyRows = (limits: ImportLimits) =>
  new ImportFileError('import.too_many_rows', `the file has more than ${limits.maxRows} rows`);

/** csv-parse errors (unclosed quote, huge record) become import.malformed with the row number. */
function asImportError(e: unknown, row: number): unknown {
  if (e instanceof ImportFileError) return e;
  const code = (e as { code?: string }).code;
  if (typeof code === 'string' && code.startsWith('CSV_')) {
    return new ImportFileError('import.malformed', `the file is not valid CSV near row ${row} (${code})`, { cause: e });
  }
  return e;
}
