// `mscore units import FILE` and POST /api/v1/units/import: a CSV of the unit
// tree (code,name,kind,sector,parent_code,kiosks[,valid_from,valid_to,successor_code]).
// Every row is checked first; any bad row -> nothing written, each reason row-numbered.
import { parse } from 'csv-parse/sync';
import type { Db, Tx } from '../../../db/index.ts';
import { UNIT_KINDS, type UnitKind } from '../../../db/types.ts';
import { type Actor, audit } from '../../../platform/audit.ts';
import { AppError } from '../../../platform/errors.ts';
import { searchKey } from '../../../platform/text.ts';

export const MAX_UNIT_ROWS = 20_000;

export type RowError = { row: number; code: string; message: string };
export type ImportResult = { created: number; updated: number; unchanged: number; errors: RowError[] };

type Row = {
  row: number;
  code: string;
  name: string;
  kind: UnitKind;
  sector: 'administration' | 'health' | null;
  parentCode: string | null;
  kiosks: number;
  validFrom: string | null;
  validTo: string | null;
  successorCode: string | null;
};

const REQUIRED = ['code', 'name', 'kind', 'sector', 'parent_code'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const validDate = (s: string) =>
  DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

export function parseUnitsCsv(text: string): { rows: Row[]; errors: RowError[] } {
  const errors: RowError[] = [];
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true, trim: true });
  } catch (e) {
    const line = (e as { lines?: number }).lines ?? 0;
    return { rows: [], errors: [{ row: line, code: 'import.csv_malformed', message: (e as Error).message }] };
  }
  const header = (records[0] ?? []).map((h) => h.toLowerCase());
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (records.length === 0) return { rows: [], errors: [{ row: 0, code: 'import.empty', message: 'the file is empty' }] };
  if (missing.length) {
    return { rows: [], errors: [{ row: 1, code: 'import.header_invalid', message: `missing columns: ${missing.join(', ')}` }] };
  }
  if (records.length - 1 > MAX_UNIT_ROWS) {
    return { rows: [], errors: [{ row: 0, code: 'import.too_many_rows', message: `at most ${MAX_UNIT_ROWS} rows` }] };
  }
  const col = (r: string[], name: string) => {
    const i = header.indexOf(name);
    return i < 0 ? '' : (r[i] ?? '').trim();
  };
  const rows: Row[] = [];
  const seen = new Map<string, number>();
  records.slice(1).forEach((r, i) => {
    const row = i + 2; // 1-based, after the header
    const bad = (code: string, message: string) => errors.push({ row, code, message });
    if (r.length !== header.length) bad('import.column_count', `expected ${header.length} columns, found ${r.length}`);
    const code = col(r, 'code');
    const name = col(r, 'name');
    const kind = col(r, 'kind');
    const sector = col(r, 'sector');
    const kiosks = col(r, 'kiosks');
    const validFrom = col(r, 'valid_from');
    const validTo = col(r, 'valid_to');
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(code)) bad('unit.code_invalid', `invalid code "${code}"`);
    else if (seen.has(code)) bad('unit.code_duplicate', `code ${code} already on row ${seen.get(code)}`);
    else seen.set(code, row);
    if (!name || name.length > 300) bad('unit.name_invalid', 'name is empty or longer than 300 characters');
    if (!UNIT_KINDS.includes(kind as UnitKind))
      bad('unit.kind_invalid', `unknown kind "${kind}" (one of ${UNIT_KINDS.join(', ')})`);
    if (sector && sector !== 'administration' && sector !== 'health') bad('unit.sector_invalid', `unknown sector "${sector}"`);
    if (kiosks && !/^\d{1,4}$/.test(kiosks)) bad('unit.kiosks_invalid', `kiosks must be a whole number, found "${kiosks}"`);
    if (validFrom && !validDate(validFrom)) bad('unit.date_invalid', `valid_from "${validFrom}" is not a date YYYY-MM-DD`);
    if (validTo && !validDate(validTo)) bad('unit.date_invalid', `valid_to "${validTo}" is not a date YYYY-MM-DD`);
    if (validFrom && validTo && validDate(validFrom) && validDate(validTo) && validTo < validFrom) {
      bad('unit.dates_inverted', 'valid_to is before valid_from');
    }
    rows.push({
      row,
      code,
      name,
      kind: kind as UnitKind,
      sector: (sector || null) as Row['sector'],
      parentCode: col(r, 'parent_code') || null,
      kiosks: kiosks ? Number(kiosks) : 0,
      validFrom: validFrom || null,
      validTo: validTo || null,
      successorCode: col(r, 'successor_code') || null,
    });
  });
  return { rows, errors };
}

/** Parents before children; reports rows whose parent chain loops. */
function orderRows(rows: Row[], errors: RowError[]): Row[] {
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const out: Row[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (r: Row, path: string[]) => {
    const s = state.get(r.code);
    if (s === 'done') return;
    if (s === 'visiting') {
      errors.push({ row: r.row, code: 'unit.cycle', message: `parent chain loops: ${[...path, r.code].join(' -> ')}` });
      return;
    }
    state.set(r.code, 'visiting');
    const parent = r.parentCode ? byCode.get(r.parentCode) : undefined;
    if (parent) visit(parent, [...path, r.code]);
    state.set(r.code, 'done');
    out.push(r);
  };
  for (const r of rows) visit(r, []);
  return out;
}

export async function importUnits(
  db: Db,
  input: { tenantId: string; actor: Actor; requestId?: string; text: string },
): Promise<ImportResult> {
  const { rows, errors } = parseUnitsCsv(input.text);
  if (errors.length === 0 && rows.length === 0) errors.push({ row: 0, code: 'import.empty', message: 'no unit rows' });
  const existing = new Map(
    (await db.selectFrom('units').selectAll().where('tenant_id', '=', input.tenantId).execute()).map((u) => [u.code, u]),
  );
  const inFile = new Set(rows.map((r) => r.code));
  for (const r of rows) {
    if (r.parentCode && !inFile.has(r.parentCode) && !existing.has(r.parentCode)) {
      errors.push({
        row: r.row,
        code: 'unit.parent_not_found',
        message: `parent ${r.parentCode} is neither in the file nor in the tree`,
      });
    }
    if (r.parentCode === r.code) errors.push({ row: r.row, code: 'unit.cycle', message: 'a unit cannot be its own parent' });
    if (r.successorCode && !inFile.has(r.successorCode) && !existing.has(r.successorCode)) {
      errors.push({ row: r.row, code: 'unit.successor_not_found', message: `successor ${r.successorCode} not found` });
    }
    if (r.successorCode && !r.validTo) {
      errors.push({
        row: r.row,
        code: 'unit.successor_without_end',
        message: 'a successor needs valid_to (the day the unit ended)',
      });
    }
  }
  const ordered = orderRows(rows, errors);
  if (errors.length) {
    errors.sort((a, b) => a.row - b.row);
    throw new AppError(422, 'import.rows_invalid', `${errors.length} invalid row(s); nothing was written`, { errors });
  }
  const result: ImportResult = { created: 0, updated: 0, unchanged: 0, errors: [] };
  const status = new Map<string, 'created' | 'updated' | 'unchanged'>();
  await db.transaction().execute(async (tx: Tx) => {
    const ids = new Map([...existing.values()].map((u) => [u.code, u.id]));
    for (const r of ordered) {
      const values = {
        name: r.name,
        kind: r.kind,
        sector: r.sector,
        parent_id: r.parentCode ? (ids.get(r.parentCode) ?? null) : null,
        kiosks: r.kiosks,
        valid_from: r.validFrom ?? '2000-01-01',
        valid_to: r.validTo,
        search_key: searchKey(r.name),
      };
      const old = existing.get(r.code);
      if (!old) {
        const ins = await tx
          .insertInto('units')
          .values({ tenant_id: input.tenantId, code: r.code, ...values })
          .returning('id')
          .executeTakeFirstOrThrow();
        ids.set(r.code, ins.id);
        status.set(r.code, 'created');
        continue;
      }
      const same =
        old.name === values.name &&
        old.kind === values.kind &&
        old.sector === values.sector &&
        old.parent_id === values.parent_id &&
        old.kiosks === values.kiosks &&
        old.valid_from === values.valid_from &&
        old.valid_to === values.valid_to;
      if (!same)
        await tx
          .updateTable('units')
          .set({ ...values, updated_at: new Date() })
          .where('id', '=', old.id)
          .execute();
      status.set(r.code, same ? 'unchanged' : 'updated');
    }
    // Successors point at units that may be later in the file: set them last.
    for (const r of ordered) {
      const successor = r.successorCode ? (ids.get(r.successorCode) ?? null) : null;
      const old = existing.get(r.code);
      if ((old?.successor_id ?? null) === successor) continue;
      await tx
        .updateTable('units')
        .set({ successor_id: successor })
        .where('tenant_id', '=', input.tenantId)
        .where('code', '=', r.code)
        .execute();
      if (old) status.set(r.code, 'updated');
    }
    const count = (s: string) => [...status.values()].filter((v) => v === s).length;
    Object.assign(result, { created: count('created'), updated: count('updated'), unchanged: count('unchanged') });
    await audit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: 'units.import',
      objectType: 'unit_tree',
      details: { rows: rows.length, created: result.created, updated: result.updated, unchanged: result.unchanged },
      requestId: input.requestId,
    });
  });
  return result;
}
