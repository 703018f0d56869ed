import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ImportFileError } from './limits.ts';
import { readTable } from './read-table.ts';
import type { TableRow } from './types.ts';

const FIXTURES = path.join(import.meta.dirname, '../../../../test/fixtures/lists');
const work = mkdtempSync(path.join(tmpdir(), 'mscore-table-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function temp(name: string, data: Buffer | string): string {
  const file = path.join(work, name);
  writeFileSync(file, data);
  return file;
}

async function table(file: string, limits = {}): Promise<TableRow[]> {
  const out: TableRow[] = [];
  for await (const r of readTable(file, limits)) out.push(r);
  return out;
}

describe('readTable', () => {
  it('goes by content, not by name', async () => {
    const csvNamedXlsx = temp('list.xlsx', 'Mã hồ sơ,Thủ tục\r\nH1,Khai sinh\r\n');
    expect(await table(csvNamedXlsx)).toEqual([
      { row: 1, cells: ['Mã hồ sơ', 'Thủ tục'] },
      { row: 2, cells: ['H1', 'Khai sinh'] },
    ]);
  });

  it('refuses other kinds of files with import.file_type and a hint', async () => {
    await expect(table(path.join(FIXTURES, 'legacy.xls'))).rejects.toMatchObject({
      code: 'import.file_type',
      message: expect.stringContaining('.xls'),
    });
    await expect(table(temp('scan.csv', '%PDF-1.7\n...'))).rejects.toMatchObject({ code: 'import.file_type' });
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    await expect(table(temp('photo.csv', png))).rejects.toMatchObject({ code: 'import.file_type' });
    // UTF-16 without its byte-order mark cannot be told from binary.
    await expect(table(temp('nobom.txt', Buffer.from('Mã hồ sơ\tThủ tục', 'utf16le')))).rejects.toMatchObject({
      code: 'import.file_type',
    });
  });

  it('keeps blank lines (Excel numbers them) and mixed line ends', async () => {
    expect(await table(temp('gaps.csv', 'a,b\n\nc,d\re,f\r\n'))).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 2, cells: [''] },
      { row: 3, cells: ['c', 'd'] },
      { row: 4, cells: ['e', 'f'] },
    ]);
  });

  it('follows an Excel "sep=" line, which Excel hides (rows are numbered without it)', async () => {
    expect(await table(temp('sep.csv', '\uFEFFsep=;\r\nMã hồ sơ;Thủ tục\r\nH1;a, b, c\r\n'))).toEqual([
      { row: 1, cells: ['Mã hồ sơ', 'Thủ tục'] },
      { row: 2, cells: ['H1', 'a, b, c'] },
    ]);
  });

  it('reads an empty file as no rows', async () => {
    expect(await table(temp('empty.csv', ''))).toEqual([]);
  });

  it('enforces the size, row and time limits', async () => {
    const file = temp('rows.csv', ['Mã hồ sơ,Thủ tục', 'H1,a', 'H2,b', 'H3,c'].join('\n'));
    await expect(table(file, { maxBytes: 10 })).rejects.toMatchObject({ code: 'import.too_large' });
    await expect(table(file, { maxRows: 3 })).rejects.toMatchObject({ code: 'import.too_many_rows' });
    expect(await table(file, { maxRows: 4 })).toHaveLength(4);
    await expect(table(file, { maxSeconds: -1 })).rejects.toMatchObject({ code: 'import.timeout' });
    const xlsx = path.join(FIXTURES, 'dossiers.xlsx');
    await expect(table(xlsx, { maxRows: 10 })).rejects.toMatchObject({ code: 'import.too_many_rows' });
    await expect(table(xlsx, { maxSeconds: -1 })).rejects.toMatchObject({ code: 'import.timeout' });
  });

  it('refuses an unclosed quote that would swallow the file', async () => {
    const file = temp('quote.csv', `Mã hồ sơ,Thủ tục\nH1,"${'x'.repeat(1_100_000)}\n`);
    const err = await table(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportFileError);
    expect(err).toMatchObject({ code: 'import.malformed', message: expect.stringContaining('row 2') });
  });

  it('stops reading when the consumer stops', async () => {
    const file = temp('many.csv', Array.from({ length: 1000 }, (_, i) => `H${i},x`).join('\n'));
    const seen: number[] = [];
    for await (const r of readTable(file)) {
      seen.push(r.row);
      if (r.row === 3) break;
    }
    expect(seen).toEqual([1, 2, 3]);
  });
});
