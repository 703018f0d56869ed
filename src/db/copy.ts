// Rows for COPY in PostgreSQL's binary format: the server stores the values as
// sent, without parsing text (timestamps, uuids and hex bytes took most of a
// text COPY's time), and writing them costs less here than quoting CSV.
// Format: a signature and two zero words, then per row a field count and per
// field its length (-1 for NULL) and bytes, then -1.
import { epochDay, instantMs } from '../platform/time.ts';

export type CopyType = 'uuid' | 'text' | 'bool' | 'int2' | 'int4' | 'int8' | 'float8' | 'date' | 'timestamptz' | 'bytea';
/** A table's columns for COPY, with their types, in the order of each row's values. */
export type CopyColumns = Readonly<Record<string, CopyType>>;
/**
 * uuid: text form; text: string; int and float: number; bool: boolean;
 * date: 'YYYY-MM-DD'; timestamptz: Date or ISO 8601 text with its offset;
 * bytea: bytes, or hex text (with or without the \x prefix). null or undefined is NULL.
 */
export type CopyValue = string | number | boolean | Date | Uint8Array | null | undefined;

const SIGNATURE = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00];
/** PostgreSQL counts from 2000-01-01: its distance from the Unix epoch in milliseconds and in days. */
const PG_EPOCH_MS = 946_684_800_000;
const PG_EPOCH_DAYS = 10_957;
const TWO_32 = 4_294_967_296;

/** Value of each hex digit by character code, -1 for other characters. */
const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX[i.toString(16).charCodeAt(0)] = i;
  HEX[i.toString(16).toUpperCase().charCodeAt(0)] = i;
}

// Small integers in the row loop's switch: a jump, not string comparisons.
const KIND: Record<CopyType, number> = {
  uuid: 0,
  text: 1,
  bool: 2,
  int2: 3,
  int4: 4,
  int8: 5,
  float8: 6,
  date: 7,
  timestamptz: 8,
  bytea: 9,
};

export class CopyRows {
  readonly columns: string[];
  private readonly types: CopyType[];
  private readonly kinds: number[];
  private buf: Buffer;
  private view: DataView;
  private at = 0;
  /** per column: the last uuid or text written and where its bytes are (bulk rows repeat tenant, unit, kind...) */
  private readonly last: (string | undefined)[];
  private readonly lastAt: number[];
  /** rows added so far */
  count = 0;
  private finished = false;

  constructor(columns: CopyColumns, sizeHint = 1 << 16) {
    this.columns = Object.keys(columns);
    this.types = Object.values(columns);
    this.kinds = this.types.map((t) => KIND[t]);
    this.last = this.types.map(() => undefined);
    this.lastAt = this.types.map(() => 0);
    // Its own ArrayBuffer (never Node's shared pool), so that it can be transferred.
    this.buf = Buffer.from(new ArrayBuffer(Math.max(64, sizeHint)));
    this.view = new DataView(this.buf.buffer);
    this.buf.set(SIGNATURE, 0);
    this.view.setInt32(11, 0);
    this.view.setInt32(15, 0);
    this.at = 19;
  }

  /** Appends a row: one value per column, in the columns' order. */
  add(values: readonly CopyValue[]): void {
    const kinds = this.kinds;
    if (values.length !== kinds.length) throw new TypeError(`copy: ${values.length} values for ${kinds.length} columns`);
    if (this.finished) throw new TypeError('copy: rows added after finish');
    const start = this.at;
    this.room(2);
    this.view.setInt16(this.at, kinds.length);
    this.at += 2;
    try {
      for (let i = 0; i < kinds.length; i++) {
        const v = values[i];
        if (v === null || v === undefined) {
          this.room(4);
          this.view.setInt32(this.at, -1);
          this.at += 4;
        } else if (!this.field(kinds[i] as number, v, i)) {
          throw new TypeError(
            `copy: column ${this.columns[i]} (${this.types[i]}): cannot send ${typeof v} ${String(v).slice(0, 40)}`,
          );
        }
      }
    } catch (e) {
      // A refused row leaves nothing behind: the rows before it stay whole.
      this.at = start;
      this.last.fill(undefined);
      throw e;
    }
    this.count++;
  }

  /**
   * The rows and the end marker, at the start of a buffer of their own
   * (transferable to another thread). It is handed over, not copied: nothing
   * may be added after.
   */
  finish(): Uint8Array {
    this.room(2);
    this.view.setInt16(this.at, -1);
    this.at += 2;
    this.finished = true;
    return new Uint8Array(this.buf.buffer, 0, this.at);
  }

  /** Writes one value; false when it is not of the column's kind. */
  private field(kind: number, v: Exclude<CopyValue, null | undefined>, column: number): boolean {
    switch (kind) {
      case 0: // uuid
        if (typeof v !== 'string') return false;
        this.room(20);
        this.view.setInt32(this.at, 16);
        if (!this.again(column, v, 16) && !writeUuid(v, this.buf, this.at + 4)) return false;
        this.remember(column, v);
        this.at += 20;
        return true;
      case 1: {
        // text
        if (typeof v !== 'string') return false;
        this.room(4 + v.length * 3);
        const n = this.again(column, v, -1) ? this.view.getInt32(this.lastAt[column] as number) : this.utf8(v, this.at + 4);
        this.view.setInt32(this.at, n);
        this.remember(column, v);
        this.at += 4 + n;
        return true;
      }
      case 8: {
        // timestamptz
        // The canonical UTC form is read by position (a 30 February refused), others by Date.parse.
        const ms = typeof v === 'string' || v instanceof Date ? instantMs(v) : Number.NaN;
        if (!Number.isFinite(ms)) return false;
        this.room(12);
        this.view.setInt32(this.at, 8);
        this.int64(this.at + 4, (ms - PG_EPOCH_MS) * 1000);
        this.at += 12;
        return true;
      }
      case 7: {
        // date
        const days = typeof v === 'string' && v.length === 10 ? epochDay(v) : Number.NaN;
        if (Number.isNaN(days)) return false;
        this.room(8);
        this.view.setInt32(this.at, 4);
        this.view.setInt32(this.at + 4, days - PG_EPOCH_DAYS);
        this.at += 8;
        return true;
      }
      case 2: // bool
        if (typeof v !== 'boolean') return false;
        this.room(5);
        this.view.setInt32(this.at, 1);
        this.buf[this.at + 4] = v ? 1 : 0;
        this.at += 5;
        return true;
      case 3: // int2
        if (typeof v !== 'number' || !Number.isInteger(v) || v < -32768 || v > 32767) return false;
        this.room(6);
        this.view.setInt32(this.at, 2);
        this.view.setInt16(this.at + 4, v);
        this.at += 6;
        return true;
      case 4: // int4
        if (typeof v !== 'number' || !Number.isInteger(v) || v < -2147483648 || v > 2147483647) return false;
        this.room(8);
        this.view.setInt32(this.at, 4);
        this.view.setInt32(this.at + 4, v);
        this.at += 8;
        return true;
      case 5: // int8
        if (typeof v !== 'number' || !Number.isSafeInteger(v)) return false;
        this.room(12);
        this.view.setInt32(this.at, 8);
        this.int64(this.at + 4, v);
        this.at += 12;
        return true;
      case 6: // float8
        if (typeof v !== 'number') return false;
        this.room(12);
        this.view.setInt32(this.at, 8);
        this.view.setFloat64(this.at + 4, v);
        this.at += 12;
        return true;
      default: {
        // bytea
        if (v instanceof Uint8Array) {
          this.room(4 + v.length);
          this.view.setInt32(this.at, v.length);
          this.buf.set(v, this.at + 4);
          this.at += 4 + v.length;
          return true;
        }
        if (typeof v !== 'string' || v.length & 1) return false;
        const hex = v.charCodeAt(0) === 92 && v.charCodeAt(1) === 120 ? v.slice(2) : v; // \\x
        const n = hex.length >> 1;
        this.room(4 + n);
        if (this.buf.write(hex, this.at + 4, n, 'hex') !== n) return false;
        this.view.setInt32(this.at, n);
        this.at += 4 + n;
        return true;
      }
    }
  }

  /** Copies the bytes of this column's previous value when it is the same (size: fixed, or -1 to read its length). */
  private again(column: number, v: string, size: number): boolean {
    if (this.last[column] !== v) return false;
    const from = this.lastAt[column] as number;
    const n = size < 0 ? this.view.getInt32(from) : size;
    // A loop: copyWithin's call costs more than a few dozen bytes.
    const buf = this.buf;
    for (let k = 0, a = this.at + 4, b = from + 4; k < n; k++) buf[a + k] = buf[b + k] as number;
    return true;
  }

  private remember(column: number, v: string): void {
    this.last[column] = v;
    this.lastAt[column] = this.at;
  }

  /** UTF-8 bytes of a string at a place; short ASCII text (most of it) byte by byte. Returns their count. */
  private utf8(v: string, at: number): number {
    const buf = this.buf;
    const n = v.length;
    if (n < 64) {
      let i = 0;
      for (; i < n; i++) {
        const c = v.charCodeAt(i);
        if (c > 127) break;
        buf[at + i] = c;
      }
      if (i === n) return n;
    }
    return buf.write(v, at, 'utf8');
  }

  private int64(at: number, n: number): void {
    const hi = Math.floor(n / TWO_32);
    this.view.setInt32(at, hi);
    this.view.setUint32(at + 4, n - hi * TWO_32);
  }

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const bigger = Buffer.from(new ArrayBuffer(Math.max(this.buf.length * 2, this.at + n)));
    bigger.set(this.buf.subarray(0, this.at));
    this.buf = bigger;
    this.view = new DataView(bigger.buffer);
  }
}

/** Writes the 16 bytes of a uuid in text form (dashes optional); false when it is not one. */
function writeUuid(s: string, out: Uint8Array, at: number): boolean {
  let k = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 45) continue;
    const h = c < 128 ? (HEX[c] as number) : -1;
    if (h < 0 || k === 32) return false;
    if (k & 1) out[at + (k >> 1)] = ((out[at + (k >> 1)] as number) << 4) | h;
    else out[at + (k >> 1)] = h;
    k++;
  }
  return k === 32;
}
