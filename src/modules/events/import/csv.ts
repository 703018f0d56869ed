// Delimited text as offices save it: Excel "CSV UTF-8" (with a BOM), plain
// UTF-8, Excel "Unicode text" (UTF-16 with a BOM, tab-separated); comma,
// semicolon or tab between cells. Read as a stream, one record at a time.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
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

/** Rows of a delimited text file; `head` is the start of the file, for sniffing. */
export async function* readCsv(path: string, head: Buffer, limits: ImportLimits, check: () => void): AsyncGenerator<TableRow> {
  const encoding = textEncoding(head);
  const delimiter = detectDelimiter(new TextDecoder(encoding).decode(head));
  const parser = parse({
    delimiter,
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    max_record_size: MAX_RECORD_CHARS,
  });
  const file = createReadStream(path, { highWaterMark: 1 << 16 });
  const done = pipeline(Readable.from(decode(file, encoding)), parser);
  // The pipeline's own rejection surfaces through the parser's iterator.
  done.catch(() => {});
  let row = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      row++;
      if (row > limits.maxRows) throw tooManyRows(limits);
      if ((row & 255) === 0) check();
      yield { row, cells };
    }
  } catch (e) {
    throw asImportError(e, row + 1);
  } finally {
    file.destroy();
    parser.destroy();
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
