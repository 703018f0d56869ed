// One request for scores: checks the index, period and channel, computes the
// whole sector (suppression and ranks need every unit), then keeps the rows the
// caller may see.
import type { Executor } from '../../../db/index.ts';
import { inScope, type UnitScope } from '../../../platform/auth/policy.ts';
import { AppError, forbidden, notFound } from '../../../platform/errors.ts';
import { cachedScores } from '../cache.ts';
import { computeScores, type ScoreResult } from '../compute.ts';
import { channelsOf } from '../definition.ts';
import { periodOrThrow } from '../period.ts';
import { indexVersion } from '../queries.ts';

export type ScoreQuery = {
  tenantId: string;
  timeZone: string;
  index: string;
  period: string;
  channel?: string;
  sector?: 'administration' | 'health';
  unit?: string;
  version?: number;
};

/** A unit by code that the caller may see: 404 unit.not_found, or 403 outside the grant. */
export async function unitInScope(db: Executor, tenantId: string, code: string, scope: UnitScope): Promise<string> {
  const u = await db
    .selectFrom('units')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('code', '=', code)
    .executeTakeFirst();
  if (!u) throw notFound('unit.not_found', `no unit ${code}`);
  if (!inScope(scope, u.id)) throw forbidden(`unit ${code} is outside your grant`);
  return u.id;
}

/** Checks a request (index, version, period, channel, unit and scope) with the errors every score endpoint gives. */
export async function resolveScoreQuery(db: Executor, q: ScoreQuery, scope: UnitScope) {
  const idx = await indexVersion(db, q.tenantId, q.index, q.version);
  if (!idx) throw notFound('index.not_found', `no index ${q.index}${q.version ? ` version ${q.version}` : ''}`);
  const period = periodOrThrow(q.period);
  const allowed = channelsOf(idx.definition.formula);
  if (q.channel && !allowed.includes(q.channel))
    throw new AppError(
      422,
      'score.channel_not_allowed',
      allowed.length
        ? `${q.index} is computed on ${allowed.join(', ')} answers, never pooled; not on ${q.channel}`
        : `${q.index} is computed from service events, not from a survey channel`,
      { channels: allowed },
    );
  const channel = q.channel ?? allowed[0] ?? null;
  const unitId = q.unit ? await unitInScope(db, q.tenantId, q.unit, scope) : undefined;
  return { idx, period, channel, unitId };
}

export async function scoreIndex(db: Executor, q: ScoreQuery, scope: UnitScope = { all: true }): Promise<ScoreResult> {
  const { idx, period, channel, unitId } = await resolveScoreQuery(db, q, scope);
  const key = JSON.stringify([idx.code, idx.version, period.code, channel, q.sector ?? null]);
  const computed = await cachedScores(q.tenantId, key, () =>
    computeScores(db, {
      tenantId: q.tenantId,
      timeZone: q.timeZone,
      code: idx.code,
      version: idx.version,
      definition: idx.definition,
      period,
      channel,
      sector: q.sector,
    }),
  );
  // Rows are filtered below: the cached result itself stays whole.
  const result = { ...computed, rows: computed.rows };
  if (unitId || !scope.all) {
    const ids = await db.selectFrom('units').select(['id', 'code']).where('tenant_id', '=', q.tenantId).execute();
    const idOf = new Map(ids.map((u) => [u.code, u.id]));
    result.rows = result.rows.filter((r) => {
      const id = idOf.get(r.unit) as string;
      return unitId ? id === unitId : inScope(scope, id);
    });
  }
  return result;
}
