// Rows as CSV text for COPY: NULL is an empty unquoted field, every string is
// quoted (so an empty string stays a string), bytes are \x hex, arrays are
// PostgreSQL array literals.
export type CopyValue = string | number | boolean | Date | Buffer | null | undefined | readonly string[];

function field(v: CopyValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (v instanceof Date) return v.toISOString();
  if (Buffer.isBuffer(v)) return `\\x${v.toString('hex')}`;
  if (Array.isArray(v)) return quote(`{${v.map((x) => `"${x.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`);
  return quote(v as string);
}

const quote = (s: string) => `"${s.includes('"') ? s.replaceAll('"', '""') : s}"`;

export function csvLine(values: readonly CopyValue[]): string {
  return `${values.map(field).join(',')}\n`;
}
