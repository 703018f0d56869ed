// The instants COPY sends: text in the canonical UTC form is read by position
// (the bulk path's hot spot), and must mean exactly what Date.parse says.
import { describe, expect, it } from 'vitest';
import { CopyRows } from './copy.ts';

/** The microseconds since 2000-01-01 that each row of a one-timestamptz-column COPY carries. */
function sent(values: (string | Date)[]): number[] {
  const rows = new CopyRows({ at: 'timestamptz' });
  for (const v of values) rows.add([v]);
  const bytes = rows.finish();
  const view = new DataView(bytes.buffer);
  // 19 bytes of header, then per row: field count (2), length (4), value (8).
  return values.map((_, i) => {
    const at = 19 + i * 14 + 6;
    return view.getInt32(at) * 2 ** 32 + view.getUint32(at + 4);
  });
}

const micros = (ms: number) => (ms - Date.UTC(2000, 0, 1)) * 1000;

describe('instants sent by COPY', () => {
  it('equal Date.parse for canonical UTC text across centuries, leap days and month ends', () => {
    const instants: string[] = [];
    let seed = 7;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let i = 0; i < 5000; i++) instants.push(new Date(Date.UTC(1600, 0, 1) + next() * 1.6e13).toISOString());
    instants.push('2000-02-29T23:59:59.999Z', '1900-03-01T00:00:00.000Z', '2024-12-31T23:59:59.999Z', '1970-01-01T00:00:00.000Z');
    expect(sent(instants)).toEqual(instants.map((s) => micros(Date.parse(s))));
  });

  it('reads other ISO forms and Dates as Date.parse does, and refuses impossible dates', () => {
    const others = ['2026-10-05T09:00:00+07:00', '2026-10-05T02:00:00Z', '2026-10-05T02:00:00.5Z'];
    expect(sent([...others, new Date(12_345)])).toEqual([...others.map((s) => micros(Date.parse(s))), micros(12_345)]);
    const rows = new CopyRows({ at: 'timestamptz' });
    for (const bad of [
      '2026-02-29T00:00:00.000Z',
      '2026-04-31T00:00:00.000Z',
      '2026-13-01T00:00:00.000Z',
      '2026-1a-01T00:00:00.000Z',
    ])
      expect(() => rows.add([bad])).toThrow(/column at \(timestamptz\)/);
  });

  it('sends days as days since 2000-01-01, and refuses dates that do not exist', () => {
    const days = ['2000-01-01', '1999-12-31', '2024-02-29', '2026-12-07', '1600-03-01'];
    const rows = new CopyRows({ d: 'date' });
    for (const d of days) rows.add([d]);
    for (const bad of ['2026-02-29', '2026-00-10', '2026-1-10', '5/10/2026', '2026-10-05T00:00:00Z'])
      expect(() => rows.add([bad])).toThrow(/column d \(date\)/);
    const view = new DataView(rows.finish().buffer);
    // per row: field count (2), length (4), value (4)
    expect(days.map((_, i) => view.getInt32(19 + i * 10 + 6))).toEqual(
      days.map((d) => (Date.parse(`${d}T00:00:00Z`) - Date.UTC(2000, 0, 1)) / 86_400_000),
    );
  });

  it('hands its buffer over at finish and takes no row after', () => {
    const rows = new CopyRows({ n: 'int4' });
    rows.add([7]);
    const bytes = rows.finish();
    // header 19, field count 2, length 4, value 4, end marker 2
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.length).toBe(31);
    expect(() => rows.add([8])).toThrow(/after finish/);
    expect(new DataView(bytes.buffer).getInt32(25)).toBe(7);
  });
});
