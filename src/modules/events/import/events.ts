// readTable + detectHeader + parseRows in one call, with the header for a preview.
import { detectHeader, fieldOf } from './header.ts';
import { ImportFileError, type ImportLimits } from './limits.ts';
import { readTable } from './read-table.ts';
import { parseRows } from './rows.ts';
import type { DetectedHeader, EventKind, Mapping, RowResult, TableRow } from './types.ts';
import { cleanText } from './values.ts';

export type ReadEventsOptions = {
  timeZone: string;
  kind?: EventKind;
  unit?: string;
  /** replaces the detected mapping (the header row is still detected, or taken as row 1); needs an externalId column */
  mapping?: Mapping;
  limits?: Partial<ImportLimits>;
};

const HEADER_SCAN = 30;

/**
 * Opens the file, finds its header among the first 30 rows, and returns it with
 * the stream of row results. Throws import.no_header when no row looks like a
 * header and no mapping is given, or the mapping has no code column. Iterate
 * `rows` to the end, or call `rows.return()`, to close the file.
 */
export async function readEvents(
  path: string,
  opts: ReadEventsOptions,
): Promise<{ header: DetectedHeader; rows: AsyncGenerator<RowResult> }> {
  const table = readTable(path, opts.limits);
  const first: TableRow[] = [];
  for (let i = 0; i < HEADER_SCAN; i++) {
    const next = await table.next();
    if (next.done) break;
    first.push(next.value);
  }
  const header = chooseHeader(first, opts.mapping);
  if (!header) {
    await table.return(undefined);
    throw new ImportFileError(
      'import.no_header',
      'no header row found in the first 30 rows: it needs a code column (Mã hồ sơ, Mã BN…) and at least one more known column',
    );
  }
  const parseOpts = { timeZone: opts.timeZone, kind: opts.kind, unit: opts.unit };
  return { header, rows: parseRows(replay(first, table), header, parseOpts) };
}

/** The detected header, or a given mapping applied to it (or to row 1 when none was found). */
function chooseHeader(first: TableRow[], mapping?: Mapping): DetectedHeader | undefined {
  const found = detectHeader(first);
  if (!mapping) return found;
  if (!Object.values(mapping).includes('externalId')) return undefined;
  const base = found ?? { headerRow: first[0]?.row ?? 0, headers: (first[0]?.cells ?? []).map(cleanText) };
  const mapped = new Set(Object.keys(mapping).map(Number));
  const unmapped = base.headers.filter((h, c) => h && !mapped.has(c) && fieldOf(h) !== 'ignored');
  return { headerRow: base.headerRow, headers: base.headers, mapping, unmapped };
}

/** The rows read for header detection, then the rest of the table. */
async function* replay(first: TableRow[], rest: AsyncGenerator<TableRow>): AsyncGenerator<TableRow> {
  try {
    yield* first;
    yield* rest;
  } finally {
    await rest.return(undefined);
  }
}
