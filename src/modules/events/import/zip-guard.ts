// Checks an XLSX (zip) container before a streaming reader inflates it: entry
// count, declared and actual inflated sizes, and that the entries a
// front-to-back reader meets are exactly those of the central directory.
import { type FileHandle, open } from 'node:fs/promises';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { ImportFileError, type ImportLimits } from './limits.ts';

const bomb = (why: string) => new ImportFileError('import.zip_bomb', `the workbook was refused: ${why}`);
const notXlsx = (why: string) => new ImportFileError('import.file_type', `not a readable .xlsx workbook: ${why}`);

/** Throws import.zip_bomb or import.file_type; otherwise the file is safe to stream. */
export async function checkZip(path: string, limits: ImportLimits, check: () => void): Promise<void> {
  let zip: ZipFile;
  try {
    zip = await yauzl.openPromise(path, { lazyEntries: true, validateEntrySizes: true, autoClose: false });
  } catch (e) {
    throw notXlsx((e as Error).message);
  }
  try {
    if (zip.entryCount > limits.maxZipEntries) throw bomb(`${zip.entryCount} entries (at most ${limits.maxZipEntries})`);
    const entries = await listEntries(zip, limits);
    if (!entries.some((e) => e.fileName === 'xl/workbook.xml')) throw notXlsx('no xl/workbook.xml (not an Excel workbook)');
    await checkLayout(path, entries, zip.entryCount);
    await inflateAll(zip, entries, limits, check);
  } finally {
    zip.close();
  }
}

/** Central-directory entries, refusing encrypted ones and oversized declarations. */
async function listEntries(zip: ZipFile, limits: ImportLimits): Promise<Entry[]> {
  const entries: Entry[] = [];
  let declared = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.isEncrypted()) throw notXlsx('the workbook is password-protected');
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) throw notXlsx('unsupported compression');
      declared += entry.uncompressedSize;
      if (declared > limits.maxUnpackedBytes) throw bomb(`it unpacks to more than ${limits.maxUnpackedBytes} bytes`);
      entries.push(entry);
    }
  } catch (e) {
    if (e instanceof ImportFileError) throw e;
    throw notXlsx((e as Error).message);
  }
  return entries;
}

/**
 * Inflates every entry once, counting real bytes: a declared size can lie, and
 * yauzl also stops an entry that inflates past its declared size.
 */
async function inflateAll(zip: ZipFile, entries: Entry[], limits: ImportLimits, check: () => void): Promise<void> {
  let total = 0;
  for (const entry of entries) {
    if (entry.fileName.endsWith('/')) continue;
    let stream: NodeJS.ReadableStream;
    try {
      stream = await zip.openReadStreamPromise(entry);
    } catch (e) {
      throw notXlsx((e as Error).message);
    }
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        total += chunk.length;
        if (total > limits.maxUnpackedBytes) throw bomb(`it unpacks to more than ${limits.maxUnpackedBytes} bytes`);
        check();
      }
    } catch (e) {
      (stream as unknown as { destroy(): void }).destroy();
      if (e instanceof ImportFileError) throw e;
      // yauzl: "too many bytes in the stream" when an entry exceeds its declared size.
      throw /too many bytes|expected \d+ bytes/i.test((e as Error).message)
        ? bomb('an entry inflates to more than its declared size')
        : notXlsx((e as Error).message);
    }
  }
}

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const DESCRIPTOR = Buffer.from([0x50, 0x4b, 0x07, 0x08]);

/**
 * A streaming unzipper walks local headers from the start of the file, not the
 * central directory: require that walk to meet exactly the listed entries, in
 * order, with the same names and sizes, then the central directory, then its
 * end. Hidden local entries (a classic way round size checks) are refused.
 */
async function checkLayout(path: string, entries: Entry[], count: number): Promise<void> {
  const sorted = [...entries].sort((a, b) => a.relativeOffsetOfLocalHeader - b.relativeOffsetOfLocalHeader);
  const fh = await open(path, 'r');
  try {
    let at = 0;
    for (const entry of sorted) {
      if (entry.relativeOffsetOfLocalHeader !== at) throw bomb('unlisted data between entries');
      at = await localEntryEnd(fh, entry, at);
    }
    for (let i = 0; i < count; i++) {
      const h = await readAt(fh, at, 46);
      if (h.readUInt32LE(0) !== CENTRAL) throw bomb('unlisted data before the central directory');
      at += 46 + h.readUInt16LE(28) + h.readUInt16LE(30) + h.readUInt16LE(32);
    }
    if ((await readAt(fh, at, 4)).readUInt32LE(0) !== END) throw bomb('unexpected data after the central directory');
  } finally {
    await fh.close();
  }
}

/** Where the data of one local entry ends, as a streaming reader would find it. */
async function localEntryEnd(fh: FileHandle, entry: Entry, at: number): Promise<number> {
  const h = await readAt(fh, at, 30);
  if (h.readUInt32LE(0) !== LOCAL) throw bomb('broken local header');
  const flags = h.readUInt16LE(6);
  const compressed = h.readUInt32LE(18);
  const uncompressed = h.readUInt32LE(22);
  const nameLength = h.readUInt16LE(26);
  const dataStart = at + 30 + nameLength + h.readUInt16LE(28);
  const name = (await readAt(fh, at + 30, nameLength)).toString('utf8');
  if (name !== entry.fileName) throw bomb('local and central file names differ');
  if (h.readUInt16LE(8) !== entry.compressionMethod) throw bomb('local and central compression differ');
  const sizesLater = (flags & 0x08) !== 0 && compressed === 0;
  if (!sizesLater) {
    if (compressed !== entry.compressedSize || uncompressed !== entry.uncompressedSize)
      throw bomb('local and central sizes differ');
    return dataStart + compressed;
  }
  // Sizes in a data descriptor: the reader scans for its signature and reads 16 bytes.
  const found = await indexIn(fh, DESCRIPTOR, dataStart, dataStart + entry.compressedSize + 4);
  if (found !== dataStart + entry.compressedSize) throw bomb('the data descriptor is not where the directory says');
  return found + 16;
}

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, position);
  if (bytesRead < length) throw bomb('truncated zip');
  return buf;
}

/** First position of `needle` in [from, to) of the file, or -1. */
async function indexIn(fh: FileHandle, needle: Buffer, from: number, to: number): Promise<number> {
  const size = 1 << 16;
  for (let pos = from; pos < to; pos += size - needle.length + 1) {
    const buf = Buffer.alloc(Math.min(size, to - pos));
    const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
    const i = buf.subarray(0, bytesRead).indexOf(needle);
    if (i >= 0) return pos + i;
    if (bytesRead < buf.length || pos + bytesRead >= to) break;
  }
  return -1;
}
