// Imports a unit's monthly list (CSV or XLSX) into service events: streams the
// file, writes good rows in chunks through the same upsert as the API, reports
// every bad row with its spreadsheet row number and column, and records the
// batch. Importing the same file again changes nothing.
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../../../db/index.ts';
import { type Actor, audit } from '../../../platform/audit.ts';
import { inScope, type UnitScope } from '../../../platform/auth/policy.ts';
import { AppError } from '../../../platform/errors.ts';
import { searchKey } from '../../../platform/text.ts';
import type { Vault } from '../../../platform/vault.ts';
import { dataChanged } from '../../scoring/cache.ts';
import { fieldOf, inferKind } from '../import/header.ts';
import {
  type CellError,
  detectHeader,
  type EventKind,
  type Header,
  ImportFileError,
  type ImportLimits,
  type Mapping,
  readTable,
  type TableRow,
} from '../import/index.ts';
import { unitIdsByCode } from '../queries.ts';
import { type PrepareArgs, preparedChunks, preparedChunksOnWorker } from './prepare-import.ts';
import { type EventColumns, writeEventColumns } from './upsert-events.ts';

const MAX_STORED_ERRORS = 1000;
const HEAD_ROWS = 30;

export type ImportReport = {
  id: string;
  filename: string;
  unit: string | null;
  kind: EventKind;
  headerRow: number;
  mapping: Record<string, string>;
  rows: number;
  accepted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errors: CellError[];
  errorCount: number;
  quality: { rows: number; validMobile: number; withName: number; withReturnDate: number };
};

export type Preview = {
  headerRow: number;
  headers: string[];
  mapping: Record<string, string>;
  unmapped: string[];
  kind: EventKind;
  sample: { row: number; cells: string[] }[];
  profile: boolean;
};

async function sha256(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Identifies a file layout: the header cells, accent-free. */
export function layoutSignature(headers: string[]): string {
  return headers.map((h) => searchKey(h)).join('|');
}

async function head(file: string, limits?: Partial<ImportLimits>) {
  const first: TableRow[] = [];
  for await (const r of readTable(file, limits)) {
    first.push(r);
    if (first.length >= HEAD_ROWS) break;
  }
  return first;
}

/** The unit's saved mapping for a layout found among the first rows. */
async function savedProfile(db: Db, tenantId: string, unitId: string | undefined, first: TableRow[]) {
  if (!unitId) return undefined;
  const profiles = await db
    .selectFrom('import_profiles')
    .select(['signature', 'header_row', 'mapping'])
    .where('tenant_id', '=', tenantId)
    .where('unit_id', '=', unitId)
    .execute();
  for (const p of profiles) {
    const row = first.find((r) => r.row === p.header_row && layoutSignature(r.cells) === p.signature);
    if (row) return { headerRow: row.row, headers: row.cells, mapping: p.mapping as Mapping };
  }
  return undefined;
}

/**
 * When no row names a record-id column, the row naming most known fields is
 * still offered, id unmapped, so a person can point at the id column.
 */
function bestGuess(first: TableRow[]): (Header & { unmapped: string[] }) | undefined {
  let best: (Header & { unmapped: string[]; n: number }) | undefined;
  for (const row of first) {
    const mapping: Mapping = {};
    const seen = new Set<string>();
    const unmapped: string[] = [];
    row.cells.forEach((text, col) => {
      const f = text.trim() ? fieldOf(text) : undefined;
      if (f && f !== 'ignored' && !seen.has(f)) {
        seen.add(f);
        mapping[col] = f;
      } else if (text.trim() && f !== 'ignored') unmapped.push(text.trim());
    });
    if (seen.size >= 2 && (!best || seen.size > best.n))
      best = { headerRow: row.row, headers: row.cells.map((c) => c.trim()), mapping, unmapped, n: seen.size };
  }
  if (!best) return undefined;
  const { n: _n, ...header } = best;
  return header;
}

/** The header as detected, or as corrected (explicit mapping, or the unit's saved profile for this layout). */
async function resolveHeader(
  db: Db,
  tenantId: string,
  first: TableRow[],
  unitId: string | undefined,
  given?: { headerRow?: number; mapping: Mapping },
): Promise<{ header: Header & { unmapped: string[] }; profile: boolean }> {
  const detected = detectHeader(first);
  if (given) {
    const headerRow = given.headerRow ?? detected?.headerRow ?? bestGuess(first)?.headerRow;
    const row = first.find((r) => r.row === headerRow);
    if (!row) throw new AppError(422, 'import.no_header', 'the header row given is not among the first rows of the file');
    if (!Object.values(given.mapping).includes('externalId')) {
      throw new AppError(422, 'import.mapping_invalid', 'the mapping needs a column for the record id (externalId)');
    }
    const headers = detected && headerRow === detected.headerRow ? detected.headers : row.cells.map((c) => c.trim());
    return { header: { headerRow: row.row, headers, mapping: given.mapping, unmapped: [] }, profile: false };
  }
  const saved = await savedProfile(db, tenantId, unitId, first);
  if (saved) return { header: { ...saved, unmapped: [] }, profile: true };
  const header = detected ?? bestGuess(first);
  if (!header) {
    throw new AppError(
      422,
      'import.no_header',
      'no header row with known column names (Mã hồ sơ, Ngày tiếp nhận, Mã BN, ...) among the first 30 rows',
    );
  }
  return { header, profile: false };
}

const named = (h: Header) => Object.fromEntries(Object.entries(h.mapping).map(([col, f]) => [String(col), f]));

export async function previewFile(
  db: Db,
  input: { tenantId: string; scope: UnitScope; file: string; unit?: string; limits?: Partial<ImportLimits> },
): Promise<Preview> {
  const units = await unitIdsByCode(db, input.tenantId, input.scope);
  const unitId = input.unit ? units.get(input.unit) : undefined;
  if (input.unit && !unitId) throw new AppError(404, 'unit.not_found');
  const first = await withFileErrors(() => head(input.file, input.limits));
  const { header, profile } = await resolveHeader(db, input.tenantId, first, unitId);
  return {
    headerRow: header.headerRow,
    headers: header.headers,
    mapping: named(header),
    unmapped: header.unmapped,
    kind: inferKind(header),
    sample: first.filter((r) => r.row > header.headerRow).slice(0, 5),
    profile,
  };
}

async function withFileErrors<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof ImportFileError) throw new AppError(422, e.code, e.message);
    throw e;
  }
}

export async function importEventsFile(
  db: Db,
  vault: Vault,
  input: {
    tenantId: string;
    timeZone: string;
    actor: Actor;
    requestId?: string;
    scope: UnitScope;
    file: string;
    filename: string;
    unit?: string;
    kind?: EventKind;
    /** a corrected mapping from the console; saved as the unit's profile for this layout when saveProfile */
    mapping?: { headerRow?: number; mapping: Mapping };
    saveProfile?: boolean;
    limits?: Partial<ImportLimits>;
    onProgress?: (rows: number) => void;
    /** the vault's key: the file is then parsed and prepared on a worker thread while this one writes */
    secretKey?: string;
    /**
     * the embedded database: rows are written without the foreign-key triggers
     * (tenant, units in scope and the import batch are checked here; only its
     * single superuser may skip them)
     */
    trusted?: boolean;
  },
): Promise<ImportReport> {
  const units = await unitIdsByCode(db, input.tenantId, input.scope);
  const unitId = input.unit ? units.get(input.unit) : undefined;
  if (input.unit && (!unitId || !inScope(input.scope, unitId))) throw new AppError(404, 'unit.not_found');
  const first = await withFileErrors(() => head(input.file, input.limits));
  const { header } = await resolveHeader(db, input.tenantId, first, unitId, input.mapping);
  if (!Object.values(header.mapping).includes('externalId')) {
    throw new AppError(
      422,
      'import.no_header',
      'no column holds the record id (Mã hồ sơ, Mã BN, ...): choose it in the column mapping',
    );
  }
  const kind = input.kind ?? inferKind(header);
  const unitColumn = Object.entries(header.mapping).find(([, f]) => f === 'unit')?.[0];
  const unitColumnName = unitColumn !== undefined ? header.headers[Number(unitColumn)] || 'unit' : 'unit';
  // Problems found after parsing name a field; a person looks for the file's own column.
  const columnOf = new Map(Object.entries(header.mapping).map(([col, f]) => [f as string, header.headers[Number(col)] || f]));
  if (!unitId && unitColumn === undefined) {
    throw new AppError(422, 'import.unit_missing', 'choose the unit of this list, or include a unit code column');
  }
  const batch = await db
    .insertInto('import_batches')
    .values({
      tenant_id: input.tenantId,
      unit_id: unitId ?? null,
      kind,
      filename: path.basename(input.filename).slice(0, 255),
      sha256: await sha256(input.file),
      bytes: statSync(input.file).size,
      header_row: header.headerRow,
      mapping: JSON.stringify(named(header)),
      errors: '[]',
      quality: '{}',
      created_by_type: input.actor.type,
      created_by: input.actor.name ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const report: ImportReport = {
    id: batch.id,
    filename: input.filename,
    unit: input.unit ?? null,
    kind,
    headerRow: header.headerRow,
    mapping: named(header),
    rows: 0,
    accepted: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    errors: [],
    errorCount: 0,
    quality: { rows: 0, validMobile: 0, withName: 0, withReturnDate: 0 },
  };
  const addError = (e: CellError) => {
    report.errorCount++;
    if (report.errors.length < MAX_STORED_ERRORS) report.errors.push(e);
  };
  const counts = { created: 0, updated: 0, unchanged: 0 };
  const write = async (columns: EventColumns) => {
    if (columns.count) {
      const target = {
        tenantId: input.tenantId,
        timeZone: input.timeZone,
        source: 'import' as const,
        batchId: batch.id,
        summary: counts,
      };
      try {
        if (input.trusted)
          await db.transaction().execute(async (tx) => {
            await sql`set local session_replication_role = replica`.execute(tx);
            await writeEventColumns(tx, target, columns);
          });
        else await writeEventColumns(db, target, columns);
      } finally {
        dataChanged(input.tenantId);
      }
    }
    report.accepted = counts.created;
    report.updated = counts.updated;
    report.unchanged = counts.unchanged;
    await db.updateTable('import_batches').set({ rows: report.rows }).where('id', '=', batch.id).execute();
    input.onProgress?.(report.rows);
  };
  const args: PrepareArgs = {
    file: input.file,
    ...(input.limits ? { limits: input.limits } : {}),
    header,
    timeZone: input.timeZone,
    kind,
    ...(input.unit ? { unit: input.unit } : {}),
    unitColumnName,
    tenantId: input.tenantId,
    units: [...units],
    scope: input.scope,
  };
  // One chunk is written while the next is made (on a worker thread when the key is at hand).
  let inflight: Promise<void> = Promise.resolve();
  try {
    const chunks = input.secretKey ? preparedChunksOnWorker(input.secretKey, args) : preparedChunks(vault, args);
    for await (const c of chunks) {
      report.rows += c.rows;
      report.rejected += c.rejectedRows;
      for (const k of ['rows', 'validMobile', 'withName', 'withReturnDate'] as const) report.quality[k] += c.quality[k];
      for (const e of c.rowErrors) addError(e);
      for (const r of c.refused) {
        report.rejected++;
        for (const e of r.errors) {
          addError({
            row: r.row,
            column: e.field === 'unit' ? unitColumnName : (columnOf.get(e.field) ?? e.field),
            code: e.code,
            message: e.message,
          });
        }
      }
      await inflight;
      inflight = write(c.columns);
    }
    await inflight;
  } catch (e) {
    await inflight.catch(() => {});
    const failure = e instanceof ImportFileError || e instanceof AppError ? e.code : 'internal';
    await db
      .updateTable('import_batches')
      .set({ status: 'failed', failure, rows: report.rows, finished_at: new Date() })
      .where('id', '=', batch.id)
      .execute();
    if (e instanceof ImportFileError) throw new AppError(422, e.code, e.message);
    throw e;
  }
  report.errors.sort((a, b) => a.row - b.row);
  await db.transaction().execute(async (tx) => {
    await tx
      .updateTable('import_batches')
      .set({
        status: 'done',
        rows: report.rows,
        accepted: report.accepted,
        updated: report.updated,
        unchanged: report.unchanged,
        rejected: report.rejected,
        errors: JSON.stringify(report.errors),
        error_count: report.errorCount,
        quality: JSON.stringify(report.quality),
        finished_at: new Date(),
      })
      .where('id', '=', batch.id)
      .execute();
    if (input.saveProfile && unitId && input.mapping) {
      await tx
        .insertInto('import_profiles')
        .values({
          tenant_id: input.tenantId,
          unit_id: unitId,
          signature: layoutSignature(first.find((r) => r.row === header.headerRow)?.cells ?? header.headers),
          header_row: header.headerRow,
          mapping: JSON.stringify(header.mapping),
        })
        .onConflict((oc) =>
          oc
            .columns(['tenant_id', 'unit_id', 'signature'])
            .doUpdateSet({ header_row: header.headerRow, mapping: JSON.stringify(header.mapping), updated_at: new Date() }),
        )
        .execute();
    }
    await audit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: 'events.import',
      objectType: 'import_batch',
      objectId: batch.id,
      details: {
        filename: report.filename,
        unit: report.unit,
        rows: report.rows,
        accepted: report.accepted,
        updated: report.updated,
        rejected: report.rejected,
      },
      requestId: input.requestId,
    });
  });
  return report;
}
