// Creates or changes a draft sampling round and works out its plan: per unit,
// the frame, what is excluded and why, the target and how many can be drawn.
// Nothing is drawn for good until the round is published.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Executor, Tx } from '../../../db/index.ts';
import type { EventKind } from '../../../db/types.ts';
import type { Actor } from '../../../platform/audit.ts';
import { audit } from '../../../platform/audit.ts';
import { inScope, type UnitScope } from '../../../platform/auth/policy.ts';
import { conflict, invalid, notFound } from '../../../platform/errors.ts';
import { effectiveInstrument, publishedVersion } from '../../surveys/queries.ts';
import { readFrame } from '../frame.ts';
import { DEFAULT_DESIGN, type Design, planRound, type RoundPlan } from '../sampling.ts';

export type RoundInput = {
  name: string;
  periodFrom: string;
  periodTo?: string;
  kinds?: EventKind[];
  /** unit codes; default every unit in scope that has records */
  units?: string[];
  /** instrument code; default each unit's phone instrument */
  instrument?: string;
  design?: Partial<Design>;
  seed?: string;
};

export type RoundRow = {
  id: string;
  tenant_id: string;
  name: string;
  period_from: string;
  period_to: string;
  kinds: EventKind[];
  instrument_id: string | null;
  unit_ids: string[] | null;
  design: Design;
  seed: string;
  status: 'draft' | 'published' | 'closed';
};

const ALL_KINDS: EventKind[] = ['dossier', 'outpatient', 'inpatient'];

/** The round's plan now, and the instrument each drawn unit will be interviewed with. */
export async function planFor(db: Executor, round: RoundRow, scope: UnitScope, now: Date) {
  const unitIds = round.unit_ids ?? (scope.all ? null : scope.unitIds);
  const rows = (await readFrame(db, { tenantId: round.tenant_id, ...periodsOf(round), kinds: round.kinds, unitIds, now })).filter(
    (r) => inScope(scope, r.unitId),
  );
  const units = [...new Set([...(round.unit_ids ?? []), ...rows.map((r) => r.unitId)])];
  const instruments = new Map<string, string>();
  const byCode = new Map<string, string | undefined>();
  for (const u of units) {
    if (round.instrument_id) {
      instruments.set(u, round.instrument_id);
      continue;
    }
    const eff = await effectiveInstrument(db, round.tenant_id, u, 'phone');
    if (!eff) continue;
    if (!byCode.has(eff.code)) byCode.set(eff.code, (await publishedVersion(db, round.tenant_id, eff.code))?.instrumentId);
    const id = byCode.get(eff.code);
    if (id) instruments.set(u, id);
  }
  const plan: RoundPlan = planRound(rows, round.design, round.seed, units, new Set(units.filter((u) => !instruments.has(u))));
  return { plan, instruments };
}

const periodsOf = (r: RoundRow) => ({ periodFrom: r.period_from, periodTo: r.period_to });

async function resolveInput(db: Executor, tenantId: string, scope: UnitScope, input: RoundInput) {
  const to = input.periodTo ?? input.periodFrom;
  if (to < input.periodFrom) throw invalid('round.period_invalid');
  let unitIds: string[] | null = null;
  if (input.units?.length) {
    const rows = await db
      .selectFrom('units')
      .select(['id', 'code'])
      .where('tenant_id', '=', tenantId)
      .where('code', 'in', input.units)
      .execute();
    const found = new Map(rows.map((r) => [r.code, r.id]));
    const missing = input.units.filter((c) => !found.has(c) || !inScope(scope, found.get(c) as string));
    if (missing.length) throw notFound('unit.not_found', missing.join(', '));
    unitIds = input.units.map((c) => found.get(c) as string);
  }
  let instrumentId: string | null = null;
  if (input.instrument) {
    const v = await publishedVersion(db, tenantId, input.instrument);
    if (!v) throw notFound('instrument.not_found', input.instrument);
    if (!v.channels.includes('phone')) throw invalid('round.instrument_not_for_phone');
    instrumentId = v.instrumentId;
  }
  return {
    name: input.name.trim(),
    period_from: input.periodFrom,
    period_to: to,
    kinds: input.kinds?.length ? [...new Set(input.kinds)] : ALL_KINDS,
    instrument_id: instrumentId,
    unit_ids: unitIds,
    design: { ...DEFAULT_DESIGN, ...input.design },
  };
}

export async function createRound(
  tx: Tx,
  e: { tenantId: string; scope: UnitScope; input: RoundInput; actor: Actor; requestId: string; now: Date },
) {
  const fields = await resolveInput(tx, e.tenantId, e.scope, e.input);
  const seed = e.input.seed ?? randomBytes(8).toString('hex');
  const round = await tx
    .insertInto('interview_rounds')
    .values({
      tenant_id: e.tenantId,
      ...fields,
      design: JSON.stringify(fields.design),
      seed,
      created_by: e.actor.id ?? null,
      created_at: e.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const row: RoundRow = { id: round.id, tenant_id: e.tenantId, ...fields, seed, status: 'draft' };
  const { plan } = await planFor(tx, row, e.scope, e.now);
  await tx
    .updateTable('interview_rounds')
    .set({ plan: JSON.stringify(plan.units) })
    .where('id', '=', round.id)
    .execute();
  await audit(tx, {
    tenantId: e.tenantId,
    actor: e.actor,
    action: 'round.created',
    objectType: 'interview_round',
    objectId: round.id,
    details: { ...e.input, seed },
    requestId: e.requestId,
  });
  return round.id;
}

/** Loads a round for a change, locked; 404 when it is not the tenant's. */
export async function lockRound(tx: Tx, tenantId: string, id: string): Promise<RoundRow> {
  const r =
    await sql<RoundRow>`select id, tenant_id, name, period_from, period_to, kinds, instrument_id, unit_ids, design, seed, status
    from interview_rounds where tenant_id = ${tenantId} and id = ${id} for update`.execute(tx);
  const row = r.rows[0];
  if (!row) throw notFound('round.not_found');
  return row;
}

export async function updateRound(
  tx: Tx,
  e: { tenantId: string; id: string; scope: UnitScope; input: RoundInput; actor: Actor; requestId: string; now: Date },
) {
  const current = await lockRound(tx, e.tenantId, e.id);
  if (current.status !== 'draft') throw conflict('round.not_draft');
  const fields = await resolveInput(tx, e.tenantId, e.scope, e.input);
  const seed = e.input.seed ?? current.seed;
  const row: RoundRow = { ...current, ...fields, seed };
  const { plan } = await planFor(tx, row, e.scope, e.now);
  await tx
    .updateTable('interview_rounds')
    .set({ ...fields, design: JSON.stringify(fields.design), seed, plan: JSON.stringify(plan.units) })
    .where('id', '=', e.id)
    .execute();
  await audit(tx, {
    tenantId: e.tenantId,
    actor: e.actor,
    action: 'round.updated',
    objectType: 'interview_round',
    objectId: e.id,
    details: { ...e.input, seed },
    requestId: e.requestId,
  });
}

export async function deleteRound(tx: Tx, e: { tenantId: string; id: string; actor: Actor; requestId: string }) {
  const current = await lockRound(tx, e.tenantId, e.id);
  if (current.status !== 'draft') throw conflict('round.not_draft');
  await tx.deleteFrom('interview_rounds').where('id', '=', e.id).execute();
  await audit(tx, {
    tenantId: e.tenantId,
    actor: e.actor,
    action: 'round.deleted',
    objectType: 'interview_round',
    objectId: e.id,
    details: { name: current.name },
    requestId: e.requestId,
  });
}
