// The zip side of an XLSX. The container is checked with yauzl (central
// directory, random access) before anything is parsed: entry count, declared
// sizes, and every part the reader needs inflated once with a byte cap. The
// parser then gets a fresh, trusted stream of just those parts (stored, in an
// order that lets it stream), so the file's own local headers are never read.
import { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { ImportFileError, type ImportLimits } from './limits.ts';

/** A part of the stream given to the parser: an entry of the file, or a stand-in. */
type Part = { name: string; entry: Entry } | { name: string; data: Buffer };
export type Workbook = { zip: ZipFile; parts: Part[] };

const bomb = (why: string) => new ImportFileError('import.zip_bomb', `the workbook was refused: ${why}`);
const notXlsx = (why: string) => new ImportFileError('import.file_type', `not a readable .xlsx workbook: ${why}`);
const tooBig = (limits: ImportLimits) => bomb(`it unpacks to more than ${limits.maxUnpackedBytes} bytes`);

/** Opens and checks an XLSX; the caller closes `zip`. Throws import.zip_bomb or import.file_type. */
export async function openWorkbook(path: string, limits: ImportLimits, check: () => void): Promise<Workbook> {
  let zip: ZipFile;
  try {
    zip = await yauzl.openPromise(path, { lazyEntries: true, validateEntrySizes: true, autoClose: false });
  } catch (e) {
    throw notXlsx((e as Error).message);
  }
  try {
    if (zip.entryCount > limits.maxZipEntries) throw bomb(`${zip.entryCount} entries (at most ${limits.maxZipEntries})`);
    const entries = await listEntries(zip, limits);
    const parts = await orderParts(zip, entries);
    await inflateAll(zip, parts, limits, check);
    return { zip, parts };
  } catch (e) {
    zip.close();
    throw e;
  }
}

/** Central-directory entries, refusing encrypted ones and oversized declarations. */
async function listEntries(zip: ZipFile, limits: ImportLimits): Promise<Map<string, Entry>> {
  const entries = new Map<string, Entry>();
  let declared = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.isEncrypted()) throw notXlsx('the workbook is password-protected');
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) throw notXlsx('unsupported compression');
      declared += entry.uncompressedSize;
      if (declared > limits.maxUnpackedBytes) throw tooBig(limits);
      entries.set(entry.fileName, entry);
    }
  } catch (e) {
    if (e instanceof ImportFileError) throw e;
    throw notXlsx((e as Error).message);
  }
  return entries;
}

const RELS = 'xl/_rels/workbook.xml.rels';
const WORKBOOK = 'xl/workbook.xml';
const STYLES = 'xl/styles.xml';
const STRINGS = 'xl/sharedStrings.xml';
const SHEET = /^xl\/worksheets\/sheet(\d+)\.xml$/;

// Stand-ins for optional parts: without them the parser spools every sheet to a temporary file.
const EMPTY_RELS = '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>';
const EMPTY_STRINGS = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>';

/**
 * The parts the reader needs, in the order that lets it parse sheets as they
 * stream (relations, workbook, styles, strings first), and only visible sheets,
 * in the workbook's tab order.
 */
async function orderParts(zip: ZipFile, entries: Map<string, Entry>): Promise<Part[]> {
  const workbook = entries.get(WORKBOOK);
  if (!workbook) throw notXlsx('no xl/workbook.xml (not an Excel workbook)');
  const rels = entries.get(RELS);
  const sheetNames = rels ? visibleSheets(await text(zip, workbook), await text(zip, rels)) : [];
  // Without usable relations, every sheet in file order.
  const sheets = sheetNames.length
    ? sheetNames.flatMap((n) => entries.get(n) ?? [])
    : [...entries.values()].filter((e) => SHEET.test(e.fileName)).sort((a, b) => sheetNo(a) - sheetNo(b));
  const styles = entries.get(STYLES);
  const strings = entries.get(STRINGS);
  return [
    rels ? { name: RELS, entry: rels } : { name: RELS, data: Buffer.from(EMPTY_RELS) },
    { name: WORKBOOK, entry: workbook },
    ...(styles ? [{ name: STYLES, entry: styles }] : []),
    strings ? { name: STRINGS, entry: strings } : { name: STRINGS, data: Buffer.from(EMPTY_STRINGS) },
    ...sheets.map((entry) => ({ name: entry.fileName, entry })),
  ];
}

const sheetNo = (e: Entry) => Number(SHEET.exec(e.fileName)?.[1] ?? 0);

/** Attributes of each element `name` in an XML text (these parts are small and machine-written). */
function elements(xml: string, name: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const m of xml.matchAll(new RegExp(`<(?:\\w+:)?${name}\\b([^>]*)>`, 'g'))) {
    const attrs: Record<string, string> = {};
    for (const a of m[1]!.matchAll(/([\w:]+)\s*=\s*"([^"]*)"/g)) attrs[a[1]!] = a[2]!;
    out.push(attrs);
  }
  return out;
}

/** Zip paths of the visible sheets, in tab order. */
function visibleSheets(workbookXml: string, relsXml: string): string[] {
  const targets = new Map(elements(relsXml, 'Relationship').map((r) => [r.Id, r.Target]));
  return elements(workbookXml, 'sheet')
    .filter((s) => !s.state || s.state === 'visible')
    .map((s) => targets.get(Object.entries(s).find(([k]) => k.endsWith(':id'))?.[1] ?? ''))
    .filter((t): t is string => !!t)
    .map((t) => (t.startsWith('/') ? t.slice(1) : `xl/${t}`))
    .filter((p) => SHEET.test(p));
}

/** A small part as text (relations, workbook). */
async function text(zip: ZipFile, entry: Entry): Promise<string> {
  if (entry.uncompressedSize > 10 * 1024 * 1024) throw bomb(`${entry.fileName} is too large`);
  const chunks: Buffer[] = [];
  for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Inflates every part once, counting real bytes: a declared size can lie
 * (yauzl also stops an entry that inflates past its declared size).
 */
async function inflateAll(zip: ZipFile, parts: Part[], limits: ImportLimits, check: () => void): Promise<void> {
  let total = 0;
  for (const part of parts) {
    if (!('entry' in part)) continue;
    for await (const chunk of inflate(zip, part.entry)) {
      total += chunk.length;
      if (total > limits.maxUnpackedBytes) throw tooBig(limits);
      check();
    }
  }
}

/** The inflated bytes of one entry; size mismatches are zip bombs, other failures damage. */
async function* inflate(zip: ZipFile, entry: Entry): AsyncGenerator<Buffer> {
  let stream: Readable;
  try {
    stream = (await zip.openReadStreamPromise(entry)) as Readable;
  } catch (e) {
    throw notXlsx((e as Error).message);
  }
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (e) {
    if (e instanceof ImportFileError) throw e;
    // yauzl: "too many bytes in the stream" / "expected N bytes, got M"
    throw /too many bytes|expected \d+ bytes/i.test((e as Error).message)
      ? bomb('an entry inflates to more than its declared size')
      : notXlsx((e as Error).message);
  } finally {
    stream.destroy();
  }
}

// Small slices keep the XML parser's batches (and so the garbage that outlives
// a young-generation collection) small.
const SLICE = 16 * 1024;

/** The checked parts as a new zip stream: stored entries with sizes up front, then the end record. */
export function partsStream({ zip, parts }: Workbook, limits: ImportLimits, check: () => void): Readable {
  async function* bytes(): AsyncGenerator<Buffer> {
    let total = 0;
    for (const part of parts) {
      if (!('entry' in part)) {
        yield storedHeader(part.name, part.data.length, 0);
        yield part.data;
        continue;
      }
      yield storedHeader(part.name, part.entry.uncompressedSize, part.entry.crc32);
      for await (const chunk of inflate(zip, part.entry)) {
        total += chunk.length;
        if (total > limits.maxUnpackedBytes) throw tooBig(limits);
        check();
        for (let i = 0; i < chunk.length; i += SLICE) yield chunk.subarray(i, i + SLICE);
      }
    }
    yield endRecord();
  }
  return Readable.from(bytes(), { objectMode: false, highWaterMark: SLICE });
}

/** Local header of a stored entry; the parser does not check the CRC. */
function storedHeader(fileName: string, size: number, crc: number): Buffer {
  const name = Buffer.from(fileName, 'utf8');
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4); // version needed
  h.writeUInt16LE(0x0800, 6); // UTF-8 name; sizes known (no data descriptor)
  h.writeUInt16LE(0, 8); // stored
  h.writeUInt32LE(crc, 14);
  h.writeUInt32LE(size, 18);
  h.writeUInt32LE(size, 22);
  h.writeUInt16LE(name.length, 26);
  return Buffer.concat([h, name]);
}

function endRecord(): Buffer {
  const b = Buffer.alloc(22);
  b.writeUInt32LE(0x06054b50, 0);
  return b;
}
