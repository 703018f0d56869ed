// Limits that keep one uploaded file from exhausting the server, and the error
// that refuses a file as a whole (as opposed to a bad cell).

export type ImportLimits = {
  /** size of the file as uploaded */
  maxBytes: number;
  /** rows read from the file, title and footer rows included */
  maxRows: number;
  /** entries in an XLSX (zip) container */
  maxZipEntries: number;
  /** total inflated size of an XLSX container */
  maxUnpackedBytes: number;
  /** wall time from opening the file to its last row, consumer time included */
  maxSeconds: number;
};

export const DEFAULT_LIMITS: ImportLimits = Object.freeze({
  maxBytes: 200 * 1024 * 1024,
  maxRows: 2_000_000,
  maxZipEntries: 200,
  maxUnpackedBytes: 1024 * 1024 * 1024,
  maxSeconds: 600,
});

export type ImportFileErrorCode =
  | 'import.file_type'
  | 'import.too_large'
  | 'import.zip_bomb'
  | 'import.too_many_rows'
  | 'import.timeout'
  | 'import.no_header'
  | 'import.encoding'
  | 'import.malformed';

/** The file as a whole cannot be read; nothing from it should be imported. */
export class ImportFileError extends Error {
  readonly code: ImportFileErrorCode;
  constructor(code: ImportFileErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ImportFileError';
    this.code = code;
  }
}

export function resolveLimits(limits?: Partial<ImportLimits>): ImportLimits {
  return { ...DEFAULT_LIMITS, ...limits };
}

/** Wall-clock budget, checked by the readers between rows. */
export function deadline(limits: ImportLimits): () => void {
  const end = Date.now() + limits.maxSeconds * 1000;
  return () => {
    if (Date.now() > end) throw new ImportFileError('import.timeout', `reading the file took longer than ${limits.maxSeconds} s`);
  };
}
