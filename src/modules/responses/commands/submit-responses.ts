// The one intake path of every channel. A response is stored with its answers
// and its rollup deltas in a single statement (one commit, no shared row
// updated), idempotent by its client-generated id:
// - new id: created;
// - same id, same content: replayed (success again);
// - same id, other content: rejected with response.conflict;
// - a second complete response for the same event and channel: response.duplicate_event;
// - a partial response is completed (or extended) in place by its id.
import { hash } from 'node:crypto';
import { sql } from 'kysely';
import type { CopyColumns } from '../../../db/copy.ts';
import type { Executor } from '../../../db/index.ts';
import type { Channel } from '../../../db/types.ts';
import { canonical } from '../../../platform/audit.ts';
import { inScope, type UnitScope } from '../../../platform/auth/policy.ts';
import { fieldCode } from '../../../platform/errors.ts';
import { localDate } from '../../../platform/time.ts';
import type { Vault } from '../../../platform/vault.ts';
import { dataChanged } from '../../scoring/cache.ts';
import { type PublishedVersion, publishedVersion } from '../../surveys/queries.ts';
import { type ItemResult, type ResponseBody, responseBody } from '../schema.ts';
import { type AnswerRow, validateAnswers } from '../validate.ts';

export type Source = {
  type: 'user' | 'token' | 'device' | 'public';
  id: string | null;
  scope: UnitScope;
  /** set when a staff member records a phone interview */
  interviewerId?: string | null;
};

export type Ready = {
  index: number;
  body: ResponseBody;
  hash: string;
  version: PublishedVersion;
  unitId: string;
  day: string;
  rows: AnswerRow[];
};

const FUTURE_SLACK_MS = 24 * 3600_000;

// Unit codes and tenant zones change rarely: cached briefly per process.
const unitCache = new Map<string, { at: number; byCode: Map<string, string> }>();
const zoneCache = new Map<string, { at: number; zone: string }>();
const CACHE_MS = 30_000;

async function unitIds(db: Executor, tenantId: string, codes: string[]): Promise<Map<string, string>> {
  let c = unitCache.get(tenantId);
  const age = c ? Date.now() - c.at : Number.POSITIVE_INFINITY;
  // An unknown code reloads the list (a unit just created), but at most once a second.
  const stale = age > CACHE_MS || (age > 1000 && codes.some((code) => !c?.byCode.has(code)));
  if (stale) {
    const rows = await db.selectFrom('units').select(['id', 'code']).where('tenant_id', '=', tenantId).execute();
    c = { at: Date.now(), byCode: new Map(rows.map((r) => [r.code, r.id])) };
    unitCache.set(tenantId, c);
  }
  return (c as { byCode: Map<string, string> }).byCode;
}

export async function tenantZone(db: Executor, tenantId: string): Promise<string> {
  const c = zoneCache.get(tenantId);
  if (c && Date.now() - c.at < CACHE_MS) return c.zone;
  const t = await db.selectFrom('tenants').select('time_zone').where('id', '=', tenantId).executeTakeFirstOrThrow();
  zoneCache.set(tenantId, { at: Date.now(), zone: t.time_zone });
  return t.time_zone;
}

export function contentHash(body: ResponseBody): string {
  return hash('sha256', canonical(body), 'hex');
}

const phoneContext = (tenantId: string, responseId: string) => `response:${tenantId}:${responseId}`;

export function readAnswerPhone(vault: Vault, tenantId: string, responseId: string, value: string): string {
  return vault.decrypt(Buffer.from(value.slice(3), 'base64'), phoneContext(tenantId, responseId));
}

/** What checking a batch needs from the database: zone, unit ids by code, events' units by id, versions by code. */
export type ResponseLookups = {
  zone: string;
  units: Map<string, string>;
  events: Map<string, string>;
  /** by `code` (latest published) or `code:version` */
  versions: Map<string, PublishedVersion | undefined>;
};

const versionKey = (code: string, version?: number) => (version === undefined ? code : `${code}:${version}`);

/** Checks responses (schema, instrument version, unit, scope, event, answers); writes nothing. */
export async function prepareResponses(
  db: Executor,
  vault: Vault,
  tenantId: string,
  inputs: unknown[],
  source: Source,
  now = new Date(),
): Promise<{ results: ItemResult[]; ready: Ready[] }> {
  const parsed = parseResponses(inputs);
  const bodies = parsed.parsed.map((p) => p.body);
  const eventIds = [...new Set(bodies.map((b) => b.eventId).filter((e): e is string => !!e))];
  const versions = new Map<string, PublishedVersion | undefined>();
  for (const b of bodies) {
    const key = versionKey(b.instrument, b.version);
    if (!versions.has(key)) versions.set(key, await publishedVersion(db, tenantId, b.instrument, b.version));
  }
  const lookups: ResponseLookups = {
    zone: await tenantZone(db, tenantId),
    units: await unitIds(
      db,
      tenantId,
      bodies.map((b) => b.unit),
    ),
    events: new Map(
      eventIds.length
        ? (
            await db
              .selectFrom('service_events')
              .select(['id', 'unit_id'])
              .where('tenant_id', '=', tenantId)
              .where('id', 'in', eventIds)
              .execute()
          ).map((e) => [e.id, e.unit_id])
        : [],
    ),
    versions,
  };
  return checkResponses(vault, tenantId, lookups, parsed, source, now);
}

/** The schema check: bodies that parse, and a rejection for each input that does not. */
export function parseResponses(inputs: unknown[]): { results: ItemResult[]; parsed: { index: number; body: ResponseBody }[] } {
  const results: ItemResult[] = new Array(inputs.length);
  const parsed: { index: number; body: ResponseBody }[] = [];
  inputs.forEach((raw, index) => {
    const r = responseBody.safeParse(raw);
    if (r.success) {
      parsed.push({ index, body: r.data });
      return;
    }
    const id = (raw as { id?: unknown } | null)?.id;
    results[index] = {
      id: typeof id === 'string' ? id : '',
      result: 'rejected',
      code: 'response.invalid',
      errors: r.error.issues.map((i) => ({ item: i.path.join('.'), code: fieldCode(i.code), message: i.message })),
    };
  });
  return { results, parsed };
}

/** The rules of the intake on parsed bodies, given what the database said (no database access here). */
export function checkResponses(
  vault: Vault,
  tenantId: string,
  lookups: ResponseLookups,
  { results, parsed }: ReturnType<typeof parseResponses>,
  source: Source,
  now = new Date(),
): { results: ItemResult[]; ready: Ready[] } {
  const reject = (i: number, id: string, code: string, errors?: ItemResult['errors']) => {
    results[i] = { id, result: 'rejected', code, ...(errors ? { errors } : {}) };
  };
  const { units, events, zone } = lookups;
  const ready: Ready[] = [];
  for (const { index, body } of parsed) {
    const version = lookups.versions.get(versionKey(body.instrument, body.version));
    const unitId = units.get(body.unit);
    const submitted = new Date(body.submittedAt);
    if (!version) {
      reject(index, body.id, body.version ? 'response.version_not_found' : 'response.instrument_not_found');
    } else if (!version.channels.includes(body.channel)) {
      reject(index, body.id, 'response.channel_not_allowed');
    } else if (!unitId) {
      reject(index, body.id, 'response.unit_not_found');
    } else if (!inScope(source.scope, unitId)) {
      reject(index, body.id, 'auth.forbidden');
    } else if (body.eventId && !events.has(body.eventId)) {
      reject(index, body.id, 'response.event_not_found');
    } else if (body.eventId && events.get(body.eventId) !== unitId) {
      reject(index, body.id, 'response.event_unit_mismatch');
    } else if (submitted.getTime() > now.getTime() + FUTURE_SLACK_MS) {
      reject(index, body.id, 'response.submitted_in_future');
    } else if (body.startedAt && new Date(body.startedAt) > submitted) {
      reject(index, body.id, 'response.started_after_submitted');
    } else {
      const v = validateAnswers(version, body.answers, {
        complete: body.status === 'complete',
        consent: body.consent,
        encryptPhone: (national) => `v1:${vault.encrypt(national, phoneContext(tenantId, body.id)).toString('base64')}`,
      });
      if (v.errors.length) reject(index, body.id, 'response.invalid', v.errors);
      else
        ready.push({
          index,
          body,
          hash: contentHash(body),
          version,
          unitId,
          day: localDate(submitted, zone),
          rows: v.rows,
        });
    }
  }
  return { results, ready };
}

/** Checks and stores responses; one result per input, in order. */
export async function submitResponses(
  db: Executor,
  vault: Vault,
  tenantId: string,
  inputs: unknown[],
  source: Source,
  now = new Date(),
): Promise<ItemResult[]> {
  const { results, ready } = await prepareResponses(db, vault, tenantId, inputs, source, now);
  try {
    return await storeResponses(db, tenantId, results, ready, source);
  } finally {
    // After the write: a reader in between would cache the old figures as new.
    if (ready.length) dataChanged(tenantId);
  }
}

async function storeResponses(db: Executor, tenantId: string, results: ItemResult[], ready: Ready[], source: Source) {
  // One row per id goes to the database; later copies in the same batch are
  // judged against the first, as replays would be.
  const firstById = new Map<string, Ready>();
  const copies: Ready[] = [];
  for (const r of ready) {
    if (firstById.has(r.body.id)) copies.push(r);
    else firstById.set(r.body.id, r);
  }
  const toWrite = [...firstById.values()];
  const created = toWrite.length ? await insertResponses(db, tenantId, toWrite, source) : new Map<string, Date>();
  const pending = [...toWrite.filter((r) => !created.has(r.body.id)), ...copies];
  for (const r of toWrite) {
    const at = created.get(r.body.id);
    if (at) results[r.index] = { id: r.body.id, result: 'created', status: r.body.status, receivedAt: at.toISOString() };
  }
  if (pending.length) {
    // One read for every id already there (a device resending a whole batch).
    const rows = await db
      .selectFrom('responses')
      .select(['id', 'status', 'content_hash', 'received_at'])
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', [...new Set(pending.map((r) => r.body.id))])
      .execute();
    const existing = new Map(rows.map((e) => [e.id, e]));
    for (const r of pending) results[r.index] = await resolveExisting(db, tenantId, r, existing.get(r.body.id), source);
  }
  return results;
}

/** Columns of a new complete response and of its answers as the intake inserts them, for bulk loads (COPY). */
export const RESPONSE_COPY_COLUMNS: CopyColumns = {
  tenant_id: 'uuid',
  id: 'uuid',
  instrument_id: 'uuid',
  version: 'int4',
  channel: 'text',
  unit_id: 'uuid',
  event_id: 'uuid',
  status: 'text',
  day: 'date',
  started_at: 'timestamptz',
  submitted_at: 'timestamptz',
  language: 'text',
  consent: 'bool',
  device_id: 'uuid',
  interviewer_id: 'uuid',
  source_type: 'text',
  source_id: 'text',
  content_hash: 'bytea',
};
export const ANSWER_COPY_COLUMNS: CopyColumns = {
  tenant_id: 'uuid',
  response_id: 'uuid',
  item: 'text',
  ord: 'int2',
  value: 'text',
  num: 'float8',
};

export function responseCopyValues(r: Ready, tenantId: string, source: Source) {
  const b = r.body;
  return [
    tenantId,
    b.id,
    r.version.instrumentId,
    r.version.version,
    b.channel,
    r.unitId,
    b.eventId ?? null,
    b.status,
    r.day,
    b.startedAt ?? null,
    b.submittedAt,
    b.language,
    b.consent ?? null,
    b.deviceId ?? null,
    source.interviewerId ?? null,
    source.type,
    source.id,
    r.hash,
  ];
}

export function answerCopyValues(r: Ready, tenantId: string) {
  return r.rows.map((a) => [tenantId, r.body.id, a.item, a.ord, a.value, a.num]);
}

async function insertResponses(db: Executor, tenantId: string, rs: Ready[], source: Source): Promise<Map<string, Date>> {
  const col = <T>(f: (r: Ready) => T) => rs.map(f);
  const answers = rs.flatMap((r) => r.rows.map((a) => ({ id: r.body.id, a })));
  const acol = <T>(f: (x: { id: string; a: AnswerRow }) => T) => answers.map(f);
  const interviewer = source.interviewerId ?? null;
  const inserted = await sql<{ id: string; received_at: Date }>`
    with r as (
      select * from unnest(
        ${col((r) => r.body.id)}::uuid[], ${col((r) => r.version.instrumentId)}::uuid[], ${col((r) => r.version.version)}::int[],
        ${col((r) => r.body.channel)}::text[], ${col((r) => r.unitId)}::uuid[], ${col((r) => r.body.eventId ?? null)}::uuid[],
        ${col((r) => r.body.status)}::text[], ${col((r) => r.day)}::date[], ${col((r) => r.body.startedAt ?? null)}::timestamptz[],
        ${col((r) => r.body.submittedAt)}::timestamptz[], ${col((r) => r.body.language)}::text[],
        ${col((r) => r.body.consent ?? null)}::boolean[], ${col((r) => r.body.deviceId ?? null)}::uuid[],
        ${col((r) => r.body.deviceSeq ?? null)}::int8[], ${col((r) => r.hash)}::text[]
      ) as t(id, instrument_id, version, channel, unit_id, event_id, status, day, started_at, submitted_at, language,
             consent, device_id, device_seq, content_hash)
    ), ins as (
      insert into responses (tenant_id, id, instrument_id, version, channel, unit_id, event_id, status, day, started_at,
        submitted_at, language, consent, device_id, device_seq, interviewer_id, source_type, source_id, content_hash)
      select ${tenantId}::uuid, id, instrument_id, version, channel, unit_id, event_id, status, day, started_at,
        submitted_at, language, consent, device_id, device_seq, ${interviewer}::uuid, ${source.type}, ${source.id}, decode(content_hash, 'hex')
      from r
      on conflict do nothing
      returning id, instrument_id, version, channel, unit_id, day, status, received_at
    ), a as (
      select * from unnest(${acol((x) => x.id)}::uuid[], ${acol((x) => x.a.item)}::text[], ${acol((x) => x.a.ord)}::int2[],
        ${acol((x) => x.a.value)}::text[], ${acol((x) => x.a.num)}::float8[], ${acol((x) => x.a.rollup)}::text[])
        as t(response_id, item, ord, value, num, rollup)
    ), ia as (
      insert into response_answers (tenant_id, response_id, item, ord, value, num)
      select ${tenantId}::uuid, a.response_id, a.item, a.ord, a.value, a.num from a join ins on ins.id = a.response_id
    ), d as (
      insert into response_rollup_deltas (tenant_id, unit_id, day, channel, instrument_id, version, item, value, count)
      select ${tenantId}::uuid, ins.unit_id, ins.day, ins.channel, ins.instrument_id, ins.version, k.item, k.rollup, count(*)::int
      from (select response_id, item, rollup from a union all select id, '_n', '' from ins) k
      join ins on ins.id = k.response_id
      where ins.status = 'complete'
      group by ins.unit_id, ins.day, ins.channel, ins.instrument_id, ins.version, k.item, k.rollup
    )
    select id, received_at from ins`.execute(db);
  return new Map(inserted.rows.map((r) => [r.id, r.received_at]));
}

/** The id exists (or its event already has a complete response): replay, conflict, or completion of a partial. */
async function resolveExisting(
  db: Executor,
  tenantId: string,
  r: Ready,
  existing: { status: 'complete' | 'partial'; content_hash: Buffer; received_at: Date } | undefined,
  source: Source,
): Promise<ItemResult> {
  const id = r.body.id;
  if (!existing) return { id, result: 'rejected', code: 'response.duplicate_event' };
  if (existing.content_hash.toString('hex') === r.hash)
    return { id, result: 'replayed', status: existing.status, receivedAt: existing.received_at.toISOString() };
  if (existing.status === 'complete') return { id, result: 'rejected', code: 'response.conflict' };
  // completePartial reads the row again under a lock: an earlier item of this batch may have completed it.
  return completePartial(db, tenantId, r, source);
}

const sameTarget = (
  e: { instrument_id: string; version: number; unit_id: string; channel: Channel; event_id: string | null },
  r: Ready,
) =>
  e.instrument_id === r.version.instrumentId &&
  e.version === r.version.version &&
  e.unit_id === r.unitId &&
  e.channel === r.body.channel &&
  e.event_id === (r.body.eventId ?? null);

/** A partial response is replaced by the newer submission; counted once it is complete. */
async function completePartial(db: Executor, tenantId: string, r: Ready, source: Source): Promise<ItemResult> {
  const id = r.body.id;
  const run = async (tx: Executor): Promise<ItemResult> => {
    const e = await tx
      .selectFrom('responses')
      .select(['status', 'content_hash', 'instrument_id', 'version', 'unit_id', 'channel', 'event_id', 'received_at'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (e.content_hash.toString('hex') === r.hash)
      return { id, result: 'replayed', status: e.status, receivedAt: e.received_at.toISOString() };
    if (e.status === 'complete' || !sameTarget(e, r)) return { id, result: 'rejected', code: 'response.conflict' };
    await tx.deleteFrom('response_answers').where('tenant_id', '=', tenantId).where('response_id', '=', id).execute();
    if (r.rows.length)
      await tx
        .insertInto('response_answers')
        .values(
          r.rows.map((a) => ({ tenant_id: tenantId, response_id: id, item: a.item, ord: a.ord, value: a.value, num: a.num })),
        )
        .execute();
    const receivedAt = new Date();
    await tx
      .updateTable('responses')
      .set({
        status: r.body.status,
        day: r.day,
        started_at: r.body.startedAt ?? null,
        submitted_at: r.body.submittedAt,
        received_at: receivedAt,
        language: r.body.language,
        consent: r.body.consent ?? null,
        device_id: r.body.deviceId ?? null,
        device_seq: r.body.deviceSeq ?? null,
        source_type: source.type,
        source_id: source.id,
        content_hash: Buffer.from(r.hash, 'hex'),
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
    if (r.body.status === 'complete') {
      const counts = new Map<string, number>([['_n\u0000', 1]]);
      for (const a of r.rows) counts.set(`${a.item}\u0000${a.rollup}`, (counts.get(`${a.item}\u0000${a.rollup}`) ?? 0) + 1);
      await tx
        .insertInto('response_rollup_deltas')
        .values(
          [...counts].map(([key, count]) => {
            const [item, value] = key.split('\u0000') as [string, string];
            return {
              tenant_id: tenantId,
              unit_id: r.unitId,
              day: r.day,
              channel: r.body.channel,
              instrument_id: r.version.instrumentId,
              version: r.version.version,
              item,
              value,
              count,
            };
          }),
        )
        .execute();
    }
    return { id, result: 'updated', status: r.body.status, receivedAt: receivedAt.toISOString() };
  };
  try {
    return db.isTransaction ? await run(db) : await (db as import('../../../db/index.ts').Db).transaction().execute(run);
  } catch (e) {
    if ((e as { code?: string }).code === '23505') return { id, result: 'rejected', code: 'response.duplicate_event' };
    throw e;
  }
}
