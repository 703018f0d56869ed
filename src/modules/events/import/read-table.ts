// Opens an uploaded list by its content (never its name) and streams its rows.
import { open, stat } from 'node:fs/promises';
import { readCsv } from './csv.ts';
import { deadline, ImportFileError, type ImportLimits, resolveLimits } from './limits.ts';
import type { TableRow } from './types.ts';
import { readXlsx } from './xlsx.ts';

export type FileKind = 'xlsx' | 'text';

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
// Signatures of files people upload by mistake, with a hint each.
const OTHER: [Buffer, string][] = [
  [OLE, 'an Excel 97-2003 (.xls) or password-protected workbook: save it as .xlsx without a password'],
  [Buffer.from('%PDF'), 'a PDF document: export the list from its program as .xlsx or CSV'],
  [Buffer.from([0x50, 0x4b, 0x05, 0x06]), 'an empty zip archive'],
  [Buffer.from('{\\rtf'), 'an RTF document'],
];

/** What the first bytes say the file is; throws import.file_type for anything else. */
export function sniff(head: Buffer): FileKind {
  if (head.subarray(0, 4).equals(ZIP)) return 'xlsx';
  for (const [magic, what] of OTHER) {
    if (head.subarray(0, magic.length).equals(magic)) throw new ImportFileError('import.file_type', `the file is ${what}`);
  }
  const utf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
  // NUL bytes do not occur in UTF-8 text: an image, an archive, UTF-16 without a mark…
  if (!utf16 && head.includes(0)) {
    throw new ImportFileError(
      'import.file_type',
      'the file is neither .xlsx nor text (CSV); save the list as .xlsx or "CSV UTF-8"',
    );
  }
  return 'text';
}

/**
 * Opens a file (by magic bytes, not by name) and streams its rows, every cell
 * as display text. Throws ImportFileError for unsupported or dangerous files.
 */
export async function* readTable(path: string, limits?: Partial<ImportLimits>): AsyncGenerator<TableRow> {
  const lim = resolveLimits(limits);
  const check = deadline(lim);
  const { size } = await stat(path);
  if (size > lim.maxBytes) throw new ImportFileError('import.too_large', `the file is larger than ${lim.maxBytes} bytes`);
  const head = await readHead(path, 1 << 16);
  if (sniff(head) === 'xlsx') {
    yield* readXlsx(path, lim, check);
  } else {
    yield* readCsv(path, head, lim, check);
  }
}

async function readHead(path: string, length: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await fh.read(buf, 0, length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
