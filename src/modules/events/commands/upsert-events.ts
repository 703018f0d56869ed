// Upserts a batch of service events by (unit, external id) in one statement:
// same content -> unchanged; new content -> updated, with the status only
// moving forward; every status change lands in the history; the unit's list
// for the period counts as received; SMS the change calls for are queued in the
// same statement. Safe to replay (idempotent).
import { sql } from 'kysely';
import type { CopyColumns } from '../../../db/copy.ts';
import type { Executor } from '../../../db/index.ts';
import { inScope, type UnitScope } from '../../../platform/auth/policy.ts';
import { timeOrderedUuid } from '../../../platform/random.ts';
import { instantMs, periodOf } from '../../../platform/time.ts';
import type { Vault } from '../../../platform/vault.ts';
import { dataChanged } from '../../scoring/cache.ts';
import { smsAfterEventWrites } from '../../sms/enqueue.ts';
import type { Instant, ItemProblem, NormalizedEvent } from '../normalize.ts';

export type ItemResult = {
  index: number;
  /** the stored event's id (not for rejected items) */
  id?: string;
  unit: string | null;
  externalId: string | null;
  result: 'created' | 'updated' | 'unchanged' | 'rejected';
  status: NormalizedEvent['status'];
  errors: ItemProblem[];
  warnings: ItemProblem[];
};

export type Candidate = {
  index: number;
  event?: NormalizedEvent;
  ref?: { unit: string | null; externalId: string | null };
  errors: ItemProblem[];
  warnings: ItemProblem[];
};

/** Encrypted personal data of an event: one ciphertext holds name and phone. */
export function citizenContext(tenantId: string, unitId: string, externalId: string) {
  return `service_events.citizen:${tenantId}:${unitId}:${externalId}`;
}

/** Everything an event says, in a fixed order: equal text means a replay with the same content. */
function contentKey(unitId: string, e: NormalizedEvent): string {
  const t = (d: Instant | null) => iso(d) ?? '';
  return [
    unitId,
    e.externalId,
    e.kind,
    e.service ?? '',
    e.department ?? '',
    t(e.receivedAt),
    t(e.dueAt),
    t(e.returnedAt),
    t(e.promisedAt),
    e.status ?? '',
    e.channel ?? '',
    e.name ?? '',
    e.phone ?? '',
    e.phoneKind ?? '',
    e.gender ?? '',
    e.ethnicMinority === null ? '' : String(e.ethnicMinority),
  ].join('\u0001');
}

const iso = (d: Instant | null) => (d === null ? null : typeof d === 'string' ? d : d.toISOString());

export type PrepareInput = {
  tenantId: string;
  /** unit code -> id of the units the caller may write */
  units: Map<string, string>;
  scope: UnitScope;
  candidates: Candidate[];
};

/** What is written for an event: its unit, the normalised fields, the ciphertext, and the keyed hashes as hex (the text the upsert sends). */
export type PreparedEvent = {
  i: number;
  unitId: string;
  e: NormalizedEvent;
  enc: Buffer | null;
  phoneHash: string | null;
  contentHash: string;
};

/** Checks units and scope, keeps the last of each (unit, external id), encrypts and hashes. No database access. */
export function prepareEvents(vault: Vault, input: PrepareInput): { results: ItemResult[]; rows: PreparedEvent[] } {
  const results: ItemResult[] = input.candidates.map((c) => ({
    index: c.index,
    unit: c.event?.unit ?? c.ref?.unit ?? null,
    externalId: c.event?.externalId ?? c.ref?.externalId ?? null,
    result: 'rejected',
    status: null,
    // The results take over the candidates' problem lists (candidates are not used again).
    errors: c.errors,
    warnings: c.warnings,
  }));
  // The last occurrence of a (unit, external id) in the batch wins.
  const byKey = new Map<string, number>();
  input.candidates.forEach((c, i) => {
    if (!c.event || c.errors.length) return;
    const unitId = input.units.get(c.event.unit);
    if (!unitId || !inScope(input.scope, unitId)) {
      (results[i] as ItemResult).errors.push({
        field: 'unit',
        code: 'unit.not_found',
        message: `no unit ${c.event.unit} that you may write`,
      });
      return;
    }
    const key = `${unitId}\u0000${c.event.externalId}`;
    const earlier = byKey.get(key);
    if (earlier !== undefined) {
      (results[earlier] as ItemResult).errors.push({
        field: 'externalId',
        code: 'event.duplicate_in_batch',
        message: 'a later item has the same unit and externalId',
      });
    }
    byKey.set(key, i);
  });
  const rows = [...byKey.values()].map((i) => {
    const e = (input.candidates[i] as Candidate).event as NormalizedEvent;
    const unitId = input.units.get(e.unit) as string;
    const personal = e.name || e.phone ? JSON.stringify({ n: e.name, p: e.phone }) : null;
    return {
      i,
      unitId,
      e,
      enc: personal ? vault.encrypt(personal, citizenContext(input.tenantId, unitId, e.externalId)) : null,
      phoneHash: e.phone ? vault.hashHex(e.phone, 'phone') : null,
      contentHash: vault.hashHex(contentKey(unitId, e), 'event-content'),
    };
  });
  return { results, rows };
}

/** Columns and values of a new event as the upsert below would insert it, for bulk loads (COPY) into an empty history. */
export const EVENT_COPY_COLUMNS: CopyColumns = {
  id: 'uuid',
  tenant_id: 'uuid',
  unit_id: 'uuid',
  kind: 'text',
  external_id: 'text',
  service: 'text',
  department: 'text',
  received_at: 'timestamptz',
  due_at: 'timestamptz',
  returned_at: 'timestamptz',
  promised_at: 'timestamptz',
  period: 'text',
  status: 'text',
  channel: 'text',
  citizen_enc: 'bytea',
  has_name: 'bool',
  citizen_phone_hash: 'bytea',
  phone_kind: 'text',
  gender: 'text',
  ethnic_minority: 'bool',
  source: 'text',
  content_hash: 'bytea',
};

/** Where the period is among an event's COPY values. */
export const EVENT_PERIOD = Object.keys(EVENT_COPY_COLUMNS).indexOf('period');

export function eventCopyValues(r: PreparedEvent, id: string, tenantId: string, timeZone: string, source: 'api' | 'import') {
  const e = r.e;
  const when = e.returnedAt ?? e.receivedAt;
  return [
    id,
    tenantId,
    r.unitId,
    e.kind,
    e.externalId,
    e.service,
    e.department,
    e.receivedAt,
    e.dueAt,
    e.returnedAt,
    e.promisedAt,
    periodOf(when === null ? Date.now() : instantMs(when), timeZone),
    e.status ?? (e.returnedAt ? 'returned' : 'received'),
    e.channel,
    r.enc,
    e.name !== null,
    r.phoneHash,
    e.phoneKind,
    e.gender,
    e.ethnicMinority,
    source,
    r.contentHash,
  ];
}

export async function upsertEvents(
  db: Executor,
  vault: Vault,
  input: PrepareInput & {
    timeZone: string;
    source: 'api' | 'import';
    batchId?: string | null;
    /** when given, written rows are only counted into it (bulk import), not answered one by one */
    summary?: { created: number; updated: number; unchanged: number };
  },
): Promise<ItemResult[]> {
  const { results, rows } = prepareEvents(vault, input);
  if (rows.length === 0) return results;
  try {
    return await writeEvents(db, input, results, rows);
  } finally {
    // After the write: a reader in between would cache the old figures as new.
    dataChanged(input.tenantId);
  }
}

/**
 * The upsert's input as PostgreSQL array literals, one per column, sent as text
 * parameters: built once where the rows are prepared (an import's worker
 * thread), so the writing thread neither copies nor escapes arrays of values.
 */
export type EventColumns = ReturnType<typeof eventColumns>;

// Free text is quoted and escaped; ids, codes, hex and ISO times never need it.
const text = (s: string | null) =>
  s === null ? 'NULL' : `"${s.includes('"') || s.includes('\\') ? s.replace(/[\\"]/g, '\\$&') : s}"`;
const bare = (s: string | null) => s ?? 'NULL';
const bool = (b: boolean | null) => (b === null ? 'NULL' : b ? 't' : 'f');

export function eventColumns(rows: PreparedEvent[]) {
  const col = (f: (r: PreparedEvent) => string) => `{${rows.map(f).join(',')}}`;
  return {
    count: rows.length,
    // Time-ordered: a list's new events append to the primary key instead of scattering over it.
    id: col(() => timeOrderedUuid()),
    ord: col((r) => String(r.i)),
    unitId: col((r) => r.unitId),
    externalId: col((r) => text(r.e.externalId)),
    kind: col((r) => r.e.kind),
    service: col((r) => text(r.e.service)),
    department: col((r) => text(r.e.department)),
    receivedAt: col((r) => bare(iso(r.e.receivedAt))),
    dueAt: col((r) => bare(iso(r.e.dueAt))),
    returnedAt: col((r) => bare(iso(r.e.returnedAt))),
    promisedAt: col((r) => bare(iso(r.e.promisedAt))),
    status: col((r) => bare(r.e.status ?? (r.e.returnedAt ? 'returned' : null))),
    channel: col((r) => bare(r.e.channel)),
    enc: col((r) => bare(r.enc?.toString('hex') ?? null)),
    phoneHash: col((r) => bare(r.phoneHash)),
    phoneKind: col((r) => bare(r.e.phoneKind)),
    gender: col((r) => bare(r.e.gender)),
    ethnicMinority: col((r) => bool(r.e.ethnicMinority)),
    contentHash: col((r) => r.contentHash),
    hasName: col((r) => bool(r.e.name !== null)),
  };
}

async function writeEvents(
  db: Executor,
  input: Parameters<typeof upsertEvents>[2],
  results: ItemResult[],
  rows: PreparedEvent[],
): Promise<ItemResult[]> {
  const out = await writeEventColumns(db, input, eventColumns(rows));
  if (input.summary) {
    for (const r of rows) (results[r.i] as ItemResult).result = 'unchanged'; // counted by writeEventColumns; not 'rejected'
    return results;
  }
  for (const r of out) {
    const res = results[r.ord as number] as ItemResult;
    res.status = r.status;
    if (r.id) res.id = r.id;
    res.result = r.inserted === null ? 'unchanged' : r.inserted ? 'created' : 'updated';
  }
  return results;
}

/**
 * The upsert statement. With `summary` (bulk imports) written rows are only
 * counted into it; otherwise one answer per input row comes back.
 */
export async function writeEventColumns(
  db: Executor,
  input: {
    tenantId: string;
    timeZone: string;
    source: 'api' | 'import';
    batchId?: string | null;
    summary?: { created: number; updated: number; unchanged: number };
  },
  c: EventColumns,
) {
  const out = await sql<{
    ord: number | null;
    id: string | null;
    status: NonNullable<NormalizedEvent['status']> | null;
    inserted: boolean | null;
    created: number | null;
    updated: number | null;
  }>`
    with input as (
      select * from unnest(
        ${c.id}::uuid[], ${c.ord}::int[], ${c.unitId}::uuid[], ${c.externalId}::text[],
        ${c.kind}::text[], ${c.service}::text[], ${c.department}::text[],
        ${c.receivedAt}::timestamptz[], ${c.dueAt}::timestamptz[],
        ${c.returnedAt}::timestamptz[], ${c.promisedAt}::timestamptz[],
        ${c.status}::text[], ${c.channel}::text[],
        ${c.enc}::text[], ${c.phoneHash}::text[], ${c.phoneKind}::text[],
        ${c.gender}::text[], ${c.ethnicMinority}::boolean[], ${c.contentHash}::text[],
        ${c.hasName}::boolean[]
      ) as i(id, ord, unit_id, external_id, kind, service, department, received_at, due_at, returned_at, promised_at,
             status, channel, citizen_enc, phone_hash, phone_kind, gender, ethnic_minority, content_hash, has_name)
    ),
    up as (
      insert into service_events as e (id, tenant_id, unit_id, kind, external_id, service, department, received_at, due_at,
        returned_at, promised_at, period, status, channel, citizen_enc, has_name, citizen_phone_hash,
        phone_kind, gender, ethnic_minority, source, import_batch_id, content_hash)
      select id, ${input.tenantId}, unit_id, kind, external_id, service, department, received_at, due_at, returned_at, promised_at,
        to_char(coalesce(returned_at, received_at, now()) at time zone ${input.timeZone}, 'YYYY-MM'),
        coalesce(status, 'received'), channel, decode(citizen_enc, 'hex'), has_name, decode(phone_hash, 'hex'),
        phone_kind, gender, ethnic_minority, ${input.source}, ${input.batchId ?? null}::uuid, decode(content_hash, 'hex')
      from input
      on conflict (tenant_id, unit_id, external_id) do update set
        kind = excluded.kind,
        service = coalesce(excluded.service, e.service),
        department = coalesce(excluded.department, e.department),
        received_at = coalesce(excluded.received_at, e.received_at),
        due_at = coalesce(excluded.due_at, e.due_at),
        returned_at = coalesce(excluded.returned_at, e.returned_at),
        promised_at = coalesce(excluded.promised_at, e.promised_at),
        period = to_char(coalesce(excluded.returned_at, e.returned_at, excluded.received_at, e.received_at, e.created_at)
          at time zone ${input.timeZone}, 'YYYY-MM'),
        -- The status moves forward only: returned and cancelled are final.
        status = case
          when e.status in ('returned', 'cancelled') then e.status
          when (case excluded.status when 'received' then 0 when 'returned' then 2 when 'cancelled' then 2 else 1 end)
             >= (case e.status when 'received' then 0 else 1 end) then excluded.status
          else e.status end,
        channel = coalesce(excluded.channel, e.channel),
        citizen_enc = coalesce(excluded.citizen_enc, e.citizen_enc),
        has_name = case when excluded.citizen_enc is null then e.has_name else excluded.has_name end,
        citizen_phone_hash = coalesce(excluded.citizen_phone_hash, e.citizen_phone_hash),
        phone_kind = coalesce(excluded.phone_kind, e.phone_kind),
        gender = coalesce(excluded.gender, e.gender),
        ethnic_minority = coalesce(excluded.ethnic_minority, e.ethnic_minority),
        source = excluded.source,
        import_batch_id = excluded.import_batch_id,
        content_hash = excluded.content_hash,
        prev_status = e.status,
        updated_at = now()
      where e.content_hash <> excluded.content_hash
      returning e.id, e.unit_id, e.external_id, e.kind, e.status, e.prev_status, e.period, e.received_at, e.returned_at, e.promised_at,
        e.phone_kind, e.citizen_phone_hash, (xmax = 0) as inserted
    ),
    hist as (
      -- A new event's reception and return are its own fields (timelines read them
      -- from there); only other statuses and later changes are written here.
      insert into service_event_status_history (tenant_id, event_id, status, at, promised_at, source)
      select ${input.tenantId}, up.id, up.status,
        case up.status when 'returned' then coalesce(up.returned_at, now()) when 'received' then coalesce(up.received_at, now()) else now() end,
        up.promised_at, ${input.source}
      from up
      where (up.inserted and up.status not in ('received', 'returned')) or (not up.inserted and up.prev_status <> up.status)
    ),
    subs as (
      insert into list_submissions (tenant_id, unit_id, period, first_received_at, last_received_at)
      -- in key order: concurrent batches of the same units take these locks in the same order (no deadlock)
      select distinct ${input.tenantId}::uuid, unit_id, period, now(), now() from up order by 2, 3
      on conflict (tenant_id, unit_id, period) do update set last_received_at = now(), batches = list_submissions.batches + 1
    )${smsAfterEventWrites(input.tenantId)}
    ${
      input.summary
        ? sql`select null::int as ord, null::text as status, null::boolean as inserted,
            count(*) filter (where up.inserted)::int as created, count(*) filter (where not up.inserted)::int as updated from up`
        : sql`select i.ord, coalesce(up.id, e.id) as id, coalesce(up.status, e.status) as status, up.inserted,
              null::int as created, null::int as updated
            from input i
            left join up on up.unit_id = i.unit_id and up.external_id = i.external_id
            -- Unchanged items keep their stored status (the statement's snapshot is from before its writes).
            left join service_events e on up.id is null and e.tenant_id = ${input.tenantId} and e.unit_id = i.unit_id and e.external_id = i.external_id`
    }`.execute(db);
  if (input.summary) {
    // Bulk imports need counts, not one answer per row: written rows are counted in SQL.
    const r = out.rows[0];
    input.summary.created += r?.created ?? 0;
    input.summary.updated += r?.updated ?? 0;
    input.summary.unchanged += c.count - (r?.created ?? 0) - (r?.updated ?? 0);
  }
  return out.rows;
}
