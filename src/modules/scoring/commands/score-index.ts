// One request for scores: checks the index, period and channel, computes the
// whole sector (suppression and ranks need every unit), then keeps the rows the
// caller may see.
import type { Executor } from '../../../db/index.ts';
import { inScope, type UnitScope } from '../../../platform/auth/policy.ts';
import { AppError, forbidden, notFound } from '../../../platform/errors.ts';
import { cachedScores } from '../cache.ts';
import { computeScores, type ScoreResult } from '../compute.ts';
import { channelsOf } from '../definition.ts';
import { parsePeriod } from '../period.ts';
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

export async function scoreIndex(db: Executor, q: ScoreQuery, scope: UnitScope = { all: true }): Promise<ScoreResult> {
  const idx = await indexVersion(db, q.tenantId, q.index, q.version);
  if (!idx) throw notFound('index.not_found', `no index ${q.index}${q.version ? ` version ${q.version}` : ''}`);
  const period = parsePeriod(q.period);
  if (!period) throw new AppError(422, 'period.invalid', `"${q.period}" is not a period: use YYYY-MM, YYYY-Qn or YYYY`);
  const allowed = channelsOf(idx.definition.formula);
  let channel: string | null = null;
  if (q.channel) {
    if (!allowed.includes(q.channel))
      throw new AppError(
        422,
        'score.channel_not_allowed',
        allowed.length
          ? `${q.index} is computed on ${allowed.join(', ')} answers, never pooled; not on ${q.channel}`
          : `${q.index} is computed from service events, not from a survey channel`,
        { channels: allowed },
      );
    channel = q.channel;
  } else channel = allowed[0] ?? null;
  let unitId: string | undefined;
  if (q.unit) {
    const u = await db
      .selectFrom('units')
      .select('id')
      .where('tenant_id', '=', q.tenantId)
      .where('code', '=', q.unit)
      .executeTakeFirst();
    if (!u) throw notFound('unit.not_found', `no unit ${q.unit}`);
    if (!inScope(scope, u.id)) throw forbidden(`unit ${q.unit} is outside your grant`);
    unitId = u.id;
  }
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
