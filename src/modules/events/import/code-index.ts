// The codes of a file already read, each with the row that holds it, in flat
// typed arrays: about 30 bytes per code where a Map of strings takes about 100,
// which is most of an import's memory for a list of a million dossiers.
const encoder = new TextEncoder();

export class CodeIndex {
  /** the codes' UTF-8 bytes, one after another */
  private bytes = new Uint8Array(1 << 16);
  private used = 0;
  /** per entry: where its bytes start (entry n's end is entry n+1's start) */
  private starts = new Int32Array(1 << 12);
  private rows = new Int32Array(1 << 12);
  private count = 0;
  /** open addressing: slot -> entry + 1 (0 is empty) */
  private slots = new Int32Array(1 << 13);
  private scratch = new Uint8Array(1024);
  private scratchLength = 0;
  /** the empty slot where the last code looked up and not found belongs */
  private freeSlot = 0;

  get size(): number {
    return this.count;
  }

  /** The row that held this code, if any. */
  get(code: string): number | undefined {
    const entry = this.find(code);
    return entry < 0 ? undefined : this.rows[entry];
  }

  set(code: string, row: number): void {
    const entry = this.find(code);
    if (entry >= 0) {
      this.rows[entry] = row;
      return;
    }
    this.append(row);
  }

  /** Encodes the code into the scratch buffer and returns its entry, or -1. */
  private find(code: string): number {
    if (code.length * 3 > this.scratch.length) this.scratch = new Uint8Array(code.length * 3);
    const n = encoder.encodeInto(code, this.scratch).written;
    this.scratchLength = n;
    const mask = this.slots.length - 1;
    for (let slot = fnv(this.scratch, 0, n) & mask; ; slot = (slot + 1) & mask) {
      const e = this.slots[slot] as number;
      if (e === 0) {
        this.freeSlot = slot;
        return -1;
      }
      if (this.equals(e - 1)) return e - 1;
    }
  }

  /** Where an entry's bytes end: where the next one starts. */
  private endOf(entry: number): number {
    return entry + 1 < this.count ? (this.starts[entry + 1] as number) : this.used;
  }

  private equals(entry: number): boolean {
    const start = this.starts[entry] as number;
    if (this.endOf(entry) - start !== this.scratchLength) return false;
    for (let i = 0; i < this.scratchLength; i++) if (this.bytes[start + i] !== this.scratch[i]) return false;
    return true;
  }

  /** Stores the scratch bytes as a new entry in the free slot find() left. */
  private append(row: number): void {
    const n = this.scratchLength;
    if (this.used + n > this.bytes.length) this.bytes = grow(this.bytes, this.used + n);
    this.bytes.set(this.scratch.subarray(0, n), this.used);
    if (this.count === this.starts.length) {
      this.starts = grow(this.starts, this.count + 1);
      this.rows = grow(this.rows, this.count + 1);
    }
    this.starts[this.count] = this.used;
    this.rows[this.count] = row;
    this.used += n;
    this.slots[this.freeSlot] = ++this.count;
    // At most half full: probes stay short.
    if (this.count * 2 > this.slots.length) this.rehash();
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let e = 0; e < this.count; e++) {
      let slot = fnv(this.bytes, this.starts[e] as number, this.endOf(e)) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = e + 1;
    }
    this.slots = slots;
  }
}

/** FNV-1a over bytes [start, end). */
function fnv(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ (bytes[i] as number), 0x01000193);
  return h >>> 0;
}

function grow<T extends Uint8Array | Int32Array>(a: T, needed: number): T {
  let size = a.length * 2;
  while (size < needed) size *= 2;
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}
