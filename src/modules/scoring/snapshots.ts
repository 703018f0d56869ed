// Publication (METHODS.md section 5): the board freezes a period's scores for a
// sector with the index versions used and a hash of their inputs. Unit managers
// may reply until the window closes; recomputations during review are logged;
// `mscore scores verify` recomputes a snapshot from the raw answers.
import { createHash } from 'node:crypto';
import type { Db, Executor } from '../../db/index.ts';
import type { Sector } from '../../db/types.ts';
import { type Actor, audit } from '../../platform/audit.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { computeScores, type ScoreResult, type ScoreRow } from './compute.ts';
import { channelsOf } from './definition.ts';
import { periodOrThrow } from './period.ts';
import { indexVersion, listIndices } from './queries.ts';

/** Version of the publication rules (stats.ts, compute.ts); part of every snapshot. */
export const METHOD_VERSION = 'mscore-scores/1';
/** The index a sector's public ranking shows first. */
export const HEADLINE: Record<Sector, string> = { administration: 'MSCORE_SATISFACTION', health: 'MOH_SATISFACTION' };

export type SnapshotResult = Omit<ScoreResult, 'inputs'>;

const canonical = (x: number) => Number(x.toPrecision(12));

/** sha256 over the evidence of every index (counts, sums), rounded so that rollups and raw answers agree. */
export function inputsHash(results: ScoreResult[]): string {
  const h = createHash('sha256');
  h.update(METHOD_VERSION);
  for (const r of [...results].sort((a, b) => a.index.localeCompare(b.index))) {
    h.update(JSON.stringify([r.index, r.version, r.period, r.channel]));
    for (const i of r.inputs)
      h.update(JSON.stringify([i.unit, i.n, canonical(i.x), canonical(i.sum), canonical(i.sumsq), i.excluded]));
  }
  return h.digest('hex');
}

/** Every index of the sector (and those of no sector), at their current versions or the given ones. */
export async function computeSector(
  db: Executor,
  q: {
    tenantId: string;
    timeZone: string;
    period: string;
    sector: Sector;
    versions?: Record<string, number>;
    source?: 'rollups' | 'raw';
  },
): Promise<ScoreResult[]> {
  const period = periodOrThrow(q.period);
  const indices = q.versions
    ? await Promise.all(
        Object.entries(q.versions).map(async ([code, v]) => {
          const x = await indexVersion(db, q.tenantId, code, v);
          if (!x) throw notFound('index.not_found', `no index ${code} version ${v}`);
          return x;
        }),
      )
    : (await listIndices(db, q.tenantId)).filter((x) => x.definition.sector === q.sector || x.definition.sector === null);
  const out: ScoreResult[] = [];
  for (const x of indices) {
    out.push(
      await computeScores(db, {
        tenantId: q.tenantId,
        timeZone: q.timeZone,
        code: x.code,
        version: x.version,
        definition: x.definition,
        period,
        channel: channelsOf(x.definition.formula)[0] ?? null,
        sector: q.sector,
        source: q.source,
      }),
    );
  }
  return out.sort((a, b) => a.index.localeCompare(b.index));
}

const strip = (r: ScoreResult): SnapshotResult => {
  const { inputs: _, ...rest } = r;
  return rest;
};

export async function createSnapshot(
  db: Db,
  q: { tenantId: string; timeZone: string; period: string; sector: Sector; replyDays: number; actor: Actor; requestId?: string },
) {
  const results = await computeSector(db, q);
  const hash = inputsHash(results);
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('score_snapshots')
      .values({
        tenant_id: q.tenantId,
        period: q.period,
        sector: q.sector,
        status: 'review',
        method: JSON.stringify(Object.fromEntries(results.map((r) => [r.index, r.version]))),
        method_version: METHOD_VERSION,
        inputs_hash: hash,
        results: JSON.stringify(results.map(strip)),
        reply_until: new Date(Date.now() + q.replyDays * 86_400_000),
        created_by: q.actor.name ?? q.actor.type,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(tx, {
      tenantId: q.tenantId,
      actor: q.actor,
      action: 'snapshot.create',
      objectType: 'score_snapshot',
      objectId: row.id,
      details: { period: q.period, sector: q.sector, inputsHash: hash },
      requestId: q.requestId,
    });
    return { id: row.id, inputsHash: hash };
  });
}

async function snapshotRow(db: Executor, tenantId: string, id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound('snapshot.not_found');
  const s = await db
    .selectFrom('score_snapshots')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!s) throw notFound('snapshot.not_found', `no snapshot ${id}`);
  return s;
}

const rowKey = (index: string, r: ScoreRow) => `${index}:${r.unit}`;
function rowsOf(results: SnapshotResult[]): Map<string, ScoreRow> {
  const m = new Map<string, ScoreRow>();
  for (const r of results) for (const row of [r.province, ...r.rows]) m.set(rowKey(r.index, row), row);
  return m;
}

const FIELDS = ['n', 'value', 'ciLow', 'ciHigh', 'suppressed', 'rank', 'band'] as const;
export type RowDifference = { index: string; unit: string; field: string; stored: unknown; recomputed: unknown };

export function differences(stored: SnapshotResult[], fresh: SnapshotResult[]): RowDifference[] {
  const a = rowsOf(stored);
  const b = rowsOf(fresh);
  const out: RowDifference[] = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const [index, unit] = key.split(':') as [string, string];
    const x = a.get(key);
    const y = b.get(key);
    if (!x || !y) {
      out.push({ index, unit, field: 'row', stored: x ? 'present' : 'absent', recomputed: y ? 'present' : 'absent' });
      continue;
    }
    for (const f of FIELDS) if (x[f] !== y[f]) out.push({ index, unit, field: f, stored: x[f], recomputed: y[f] });
  }
  return out;
}

/** A correction during review: recompute with the same index versions, log what changed. */
export async function recomputeSnapshot(
  db: Db,
  q: { tenantId: string; timeZone: string; id: string; reason: string; actor: Actor; requestId?: string },
) {
  const s = await snapshotRow(db, q.tenantId, q.id);
  if (s.status !== 'review') throw conflict('snapshot.published', 'a published snapshot cannot change');
  const results = await computeSector(db, { ...q, period: s.period, sector: s.sector, versions: s.method });
  const hash = inputsHash(results);
  const changed = new Set(differences(s.results as SnapshotResult[], results.map(strip)).map((d) => `${d.index}:${d.unit}`)).size;
  await db.transaction().execute(async (tx) => {
    await tx
      .updateTable('score_snapshots')
      .set({ results: JSON.stringify(results.map(strip)), inputs_hash: hash })
      .where('id', '=', s.id)
      .execute();
    await tx
      .insertInto('score_snapshot_corrections')
      .values({
        tenant_id: q.tenantId,
        snapshot_id: s.id,
        reason: q.reason,
        old_hash: s.inputs_hash,
        new_hash: hash,
        changed_rows: changed,
        by: q.actor.name ?? q.actor.type,
      })
      .execute();
    await audit(tx, {
      tenantId: q.tenantId,
      actor: q.actor,
      action: 'snapshot.correct',
      objectType: 'score_snapshot',
      objectId: s.id,
      details: { reason: q.reason, oldHash: s.inputs_hash, newHash: hash, changedRows: changed },
      requestId: q.requestId,
    });
  });
  return { id: s.id, inputsHash: hash, changedRows: changed };
}

export async function replyToSnapshot(
  db: Db,
  q: { tenantId: string; id: string; unitId: string; text: string; actor: Actor; requestId?: string },
) {
  const s = await snapshotRow(db, q.tenantId, q.id);
  if (s.status !== 'review' || s.reply_until.getTime() < Date.now())
    throw conflict('snapshot.reply_closed', `replies were open until ${s.reply_until.toISOString()}`);
  return db.transaction().execute(async (tx) => {
    const r = await tx
      .insertInto('score_snapshot_replies')
      .values({ tenant_id: q.tenantId, snapshot_id: s.id, unit_id: q.unitId, text: q.text, author: q.actor.name ?? q.actor.type })
      .returning(['id', 'created_at'])
      .executeTakeFirstOrThrow();
    await audit(tx, {
      tenantId: q.tenantId,
      actor: q.actor,
      action: 'snapshot.reply',
      objectType: 'score_snapshot',
      objectId: s.id,
      details: { replyId: r.id },
      requestId: q.requestId,
    });
    return { id: r.id, createdAt: r.created_at.toISOString() };
  });
}

export async function publishSnapshot(db: Db, q: { tenantId: string; id: string; actor: Actor; requestId?: string }) {
  const s = await snapshotRow(db, q.tenantId, q.id);
  if (s.status === 'published') throw conflict('snapshot.published', 'already published');
  if (s.reply_until.getTime() > Date.now())
    throw conflict('snapshot.reply_window_open', `unit managers may reply until ${s.reply_until.toISOString()}`);
  return db.transaction().execute(async (tx) => {
    const publishedAt = new Date();
    await tx
      .updateTable('score_snapshots')
      .set({ status: 'published', published_at: publishedAt, published_by: q.actor.name ?? q.actor.type })
      .where('id', '=', s.id)
      .execute();
    await audit(tx, {
      tenantId: q.tenantId,
      actor: q.actor,
      action: 'snapshot.publish',
      objectType: 'score_snapshot',
      objectId: s.id,
      details: { period: s.period, sector: s.sector, inputsHash: s.inputs_hash },
      requestId: q.requestId,
    });
    return { id: s.id, publishedAt: publishedAt.toISOString() };
  });
}

/** Recomputes a snapshot from the raw answers with its own index versions; any difference is reported. */
export async function verifySnapshot(db: Executor, tenantId: string, timeZone: string, id: string) {
  const s = await snapshotRow(db, tenantId, id);
  const fresh = await computeSector(db, {
    tenantId,
    timeZone,
    period: s.period,
    sector: s.sector,
    versions: s.method,
    source: 'raw',
  });
  const hash = inputsHash(fresh);
  return {
    id: s.id,
    period: s.period,
    sector: s.sector,
    status: s.status,
    storedHash: s.inputs_hash,
    recomputedHash: hash,
    differences: differences(s.results as SnapshotResult[], fresh.map(strip)),
    ok: hash === s.inputs_hash,
  };
}

export async function listSnapshots(db: Executor, tenantId: string, published?: boolean) {
  let q = db
    .selectFrom('score_snapshots')
    .select([
      'id',
      'period',
      'sector',
      'status',
      'method_version',
      'inputs_hash',
      'reply_until',
      'created_by',
      'created_at',
      'published_at',
    ])
    .where('tenant_id', '=', tenantId);
  if (published) q = q.where('status', '=', 'published');
  const rows = await q.orderBy('created_at', 'desc').limit(200).execute();
  return rows.map((r) => ({
    id: r.id,
    period: r.period,
    sector: r.sector,
    status: r.status,
    methodVersion: r.method_version,
    inputsHash: r.inputs_hash,
    replyUntil: r.reply_until.toISOString(),
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    publishedAt: r.published_at?.toISOString() ?? null,
  }));
}

export async function snapshotDetail(db: Executor, tenantId: string, id: string) {
  const s = await snapshotRow(db, tenantId, id);
  const replies = await db
    .selectFrom('score_snapshot_replies as r')
    .innerJoin('units as u', 'u.id', 'r.unit_id')
    .select(['r.id', 'u.code as unit', 'u.name as unitName', 'r.unit_id', 'r.text', 'r.author', 'r.created_at'])
    .where('r.snapshot_id', '=', s.id)
    .orderBy('r.created_at')
    .execute();
  const corrections = await db
    .selectFrom('score_snapshot_corrections')
    .select(['reason', 'old_hash', 'new_hash', 'changed_rows', 'by', 'at'])
    .where('snapshot_id', '=', s.id)
    .orderBy('at')
    .execute();
  const units = new Map(
    (await db.selectFrom('units').select(['id', 'code']).where('tenant_id', '=', tenantId).execute()).map((u) => [u.code, u.id]),
  );
  return {
    snapshot: s,
    units,
    replies,
    corrections: corrections.map((c) => ({
      reason: c.reason,
      oldHash: c.old_hash,
      newHash: c.new_hash,
      changedRows: c.changed_rows,
      by: c.by,
      at: c.at.toISOString(),
    })),
  };
}

type SnapshotRow = NonNullable<Awaited<ReturnType<typeof snapshotRow>>>;
// A published snapshot never changes: once read, it is served from memory.
const published = new Map<string, SnapshotRow>();

/** The latest published snapshot of a sector (for a period, or the most recent one). */
export async function latestPublished(db: Executor, tenantId: string, sector: Sector, period?: string) {
  let q = db
    .selectFrom('score_snapshots')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('sector', '=', sector)
    .where('status', '=', 'published');
  if (period) q = q.where('period', '=', period);
  const latest = await q.orderBy('published_at', 'desc').limit(1).executeTakeFirst();
  if (!latest) return undefined;
  let s = published.get(latest.id);
  if (!s) {
    s = await snapshotRow(db, tenantId, latest.id);
    if (published.size > 500) published.clear();
    published.set(s.id, s);
  }
  return s;
}
