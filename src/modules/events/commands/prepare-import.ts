// The CPU half of a list import: the file read and parsed row by row, each good
// row normalised, checked, encrypted and hashed, in chunks ready for the upsert
// statement. It runs on a worker thread when the vault's key is at hand, so the
// embedded database (on the main thread) writes one chunk while the next is made.
import { Worker } from 'node:worker_threads';
import type { UnitScope } from '../../../platform/auth/policy.ts';
import type { Vault } from '../../../platform/vault.ts';
import {
  type CellError,
  type EventKind,
  type Header,
  ImportFileError,
  type ImportLimits,
  type ParsedEvent,
  parseRows,
  readTable,
} from '../import/index.ts';
import type { NormalizedEvent } from '../normalize.ts';
import { type Candidate, type EventColumns, eventColumns, prepareEvents } from './upsert-events.ts';

const CHUNK = 2000;

export type PrepareArgs = {
  file: string;
  limits?: Partial<ImportLimits>;
  header: Header;
  timeZone: string;
  kind: EventKind;
  /** the unit chosen for the whole file, when rows carry no unit column */
  unit?: string;
  unitColumnName: string;
  tenantId: string;
  /** unit code -> id of the units the caller may write */
  units: [string, string][];
  scope: UnitScope;
};

export type Quality = { rows: number; validMobile: number; withName: number; withReturnDate: number };

export type PreparedChunk = {
  columns: EventColumns;
  /** errors of rows found while parsing, by spreadsheet row */
  rowErrors: CellError[];
  /** rows the upsert's checks refused (unit, duplicates), with their errors by field */
  refused: { row: number; errors: { field: string; code: string; message: string }[] }[];
  /** data rows read (a withdrawn duplicate is counted once) */
  rows: number;
  /** rows rejected while parsing */
  rejectedRows: number;
  quality: Quality;
};

function toNormalized(p: ParsedEvent, unit: string, kind: EventKind): NormalizedEvent {
  const d = (s: string | undefined) => s ?? null; // canonical ISO text already
  return {
    unit,
    externalId: p.externalId,
    kind,
    service: p.service ?? null,
    department: p.department ?? null,
    receivedAt: d(p.receivedAt),
    dueAt: d(p.dueAt),
    returnedAt: d(p.returnedAt),
    promisedAt: d(p.promisedAt),
    status: p.status ?? null,
    channel: p.channel ?? null,
    name: p.citizen?.name ?? null,
    phone: p.citizen?.phone ?? null,
    phoneKind: p.citizen?.phoneKind ?? null,
    gender: p.citizen?.gender ?? null,
    ethnicMinority: p.citizen?.ethnicMinority ?? null,
  };
}

const emptyQuality = (): Quality => ({ rows: 0, validMobile: 0, withName: 0, withReturnDate: 0 });

export async function* preparedChunks(vault: Vault, a: PrepareArgs): AsyncGenerator<PreparedChunk> {
  const units = new Map(a.units);
  let candidates: Candidate[] = [];
  let part = { rowErrors: [] as CellError[], rows: 0, rejectedRows: 0, quality: emptyQuality() };
  const take = (): PreparedChunk => {
    const { results, rows } = prepareEvents(vault, { tenantId: a.tenantId, units, scope: a.scope, candidates });
    const chunk: PreparedChunk = {
      ...part,
      columns: eventColumns(rows),
      refused: results.filter((r) => r.errors.length).map((r) => ({ row: r.index, errors: r.errors })),
    };
    candidates = [];
    part = { rowErrors: [], rows: 0, rejectedRows: 0, quality: emptyQuality() };
    return chunk;
  };
  const rest = async function* () {
    for await (const r of readTable(a.file, a.limits)) if (r.row > a.header.headerRow) yield r;
  };
  for await (const r of parseRows(rest(), a.header, {
    timeZone: a.timeZone,
    kind: a.kind,
    ...(a.unit ? { unit: a.unit } : {}),
  })) {
    part.rowErrors.push(...r.errors);
    // An earlier row whose code comes again: reported, but the row was already counted.
    if (!r.event && r.errors.some((e) => e.code === 'row.duplicate')) continue;
    part.rows++;
    if (!r.event) {
      part.rejectedRows++;
      continue;
    }
    const ev = r.event;
    part.quality.rows++;
    if (ev.citizen?.phoneKind === 'mobile') part.quality.validMobile++;
    if (ev.citizen?.name) part.quality.withName++;
    if (ev.returnedAt) part.quality.withReturnDate++;
    const unit = ev.unit ?? a.unit;
    if (!unit) {
      part.rejectedRows++;
      part.rowErrors.push({ row: r.row, column: a.unitColumnName, code: 'unit.missing', message: 'no unit code on this row' });
      continue;
    }
    candidates.push({ index: r.row, event: toNormalized(ev, unit, ev.kind ?? a.kind), errors: [], warnings: [] });
    if (candidates.length >= CHUNK) yield take();
  }
  yield take();
}

/** Chunks made ahead on the worker, at most this many waiting, so memory stays flat. */
const AHEAD = 2;

/** The same chunks, made on a worker thread (the vault is rebuilt there from its key). */
export async function* preparedChunksOnWorker(secretKey: string, a: PrepareArgs): AsyncGenerator<PreparedChunk> {
  const worker = new Worker(new URL('./import-worker.ts', import.meta.url), { workerData: { secretKey, args: a, ahead: AHEAD } });
  const queue: PreparedChunk[] = [];
  let done = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  worker.on(
    'message',
    (m: { type: 'chunk'; chunk: PreparedChunk } | { type: 'done' } | { type: 'error'; code?: string; message: string }) => {
      if (m.type === 'chunk') queue.push(m.chunk);
      else if (m.type === 'done') done = true;
      else failure = m.code ? new ImportFileError(m.code as never, m.message) : new Error(m.message);
      wake?.();
    },
  );
  worker.on('error', (e) => {
    failure = e;
    wake?.();
  });
  worker.on('exit', () => {
    done = true;
    wake?.();
  });
  try {
    for (;;) {
      if (failure) throw failure;
      const next = queue.shift();
      if (next) {
        worker.postMessage('more');
        yield next;
        continue;
      }
      if (done) {
        if (failure) throw failure;
        return;
      }
      await new Promise<void>((r) => {
        wake = r;
      });
      wake = undefined;
    }
  } finally {
    await worker.terminate();
  }
}
