import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseUnitsCsv } from './import-units.ts';

describe('parseUnitsCsv', () => {
  it('reads the demo province file without errors', () => {
    const text = readFileSync(path.join(import.meta.dirname, '../../../demo/quang-tri-units.csv'), 'utf8');
    const { rows, errors } = parseUnitsCsv(text);
    expect(errors).toEqual([]);
    expect(rows).toHaveLength(40);
    expect(rows.find((r) => r.code === 'QT-BVDK')).toMatchObject({
      kind: 'hospital',
      sector: 'health',
      parentCode: 'QT-SYT',
      kiosks: 10,
    });
  });

  it('accepts a BOM and CRLF, and numbers rows as a spreadsheet does', () => {
    const { rows, errors } = parseUnitsCsv(
      '\uFEFFcode,name,kind,sector,parent_code,kiosks\r\nA,Đơn vị A,other,,,\r\nB,Đơn vị B,oops,,A,\r\n',
    );
    expect(rows.map((r) => r.code)).toEqual(['A', 'B']);
    expect(errors).toEqual([{ row: 3, code: 'unit.kind_invalid', message: expect.stringContaining('oops') }]);
  });

  it('reports a missing header column and impossible dates', () => {
    expect(parseUnitsCsv('code,name\nA,B\n').errors[0]?.code).toBe('import.header_invalid');
    const { errors } = parseUnitsCsv('code,name,kind,sector,parent_code,kiosks,valid_from,valid_to\nA,B,other,,,0,2025-02-30,\n');
    expect(errors.map((e) => e.code)).toEqual(['unit.date_invalid']);
  });
});
