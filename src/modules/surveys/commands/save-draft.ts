// Creates an instrument, or the next draft version of one, or replaces the
// current draft. Published versions are never touched (a trigger refuses it).
import { sql } from 'kysely';
import type { Db } from '../../../db/index.ts';
import type { Channel, LocalText, Sector } from '../../../db/types.ts';
import { type Actor, audit } from '../../../platform/audit.ts';
import { AppError, conflict, notFound } from '../../../platform/errors.ts';
import { type Definition, definition as definitionSchema } from '../definition.ts';
import { forgetInstrument } from '../queries.ts';

export function parseDefinition(raw: unknown): Definition {
  const r = definitionSchema.safeParse(raw);
  if (r.success) return r.data;
  throw new AppError(422, 'instrument.definition_invalid', undefined, {
    errors: r.error.issues.map((i) => ({ path: i.path.join('.'), code: i.code, message: i.message })),
  });
}

type Meta = { name: LocalText; sector: Sector | null; channels: Channel[]; framework?: string | null };

export async function createInstrument(
  db: Db,
  input: { tenantId: string; actor: Actor; requestId?: string; code: string; meta: Meta; definition: unknown },
) {
  const def = parseDefinition(input.definition);
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('instruments')
      .values({
        tenant_id: input.tenantId,
        code: input.code,
        name: JSON.stringify(input.meta.name),
        sector: input.meta.sector,
        channels: input.meta.channels,
        framework: input.meta.framework ?? null,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'code']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) throw conflict('instrument.code_taken');
    await tx
      .insertInto('instrument_versions')
      .values({
        tenant_id: input.tenantId,
        instrument_id: row.id,
        version: 1,
        status: 'draft',
        definition: JSON.stringify(def),
        created_by: input.actor.name ?? null,
      })
      .execute();
    await audit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: 'instrument.create',
      objectType: 'instrument',
      objectId: row.id,
      details: { code: input.code },
      requestId: input.requestId,
    });
    return { code: input.code, version: 1 };
  });
}

export async function updateInstrumentMeta(
  db: Db,
  input: { tenantId: string; actor: Actor; requestId?: string; code: string; meta: Partial<Meta> },
) {
  await db.transaction().execute(async (tx) => {
    const m = input.meta;
    const row = await tx
      .updateTable('instruments')
      .set({
        ...(m.name ? { name: JSON.stringify(m.name) } : {}),
        ...(m.sector !== undefined ? { sector: m.sector } : {}),
        ...(m.channels ? { channels: m.channels } : {}),
        ...(m.framework !== undefined ? { framework: m.framework } : {}),
        updated_at: new Date(),
      })
      .where('tenant_id', '=', input.tenantId)
      .where('code', '=', input.code)
      .returning('id')
      .executeTakeFirst();
    if (!row) throw notFound('instrument.not_found');
    await audit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: 'instrument.update',
      objectType: 'instrument',
      objectId: row.id,
      details: { code: input.code, ...m },
      requestId: input.requestId,
    });
  });
  forgetInstrument(input.tenantId, input.code);
}

/** Writes the draft: replaces the open draft, or opens version latest+1. */
export async function saveDraft(
  db: Db,
  input: { tenantId: string; actor: Actor; requestId?: string; code: string; definition: unknown; note?: string | null },
) {
  return db.transaction().execute(async (tx) => {
    const inst = await tx
      .selectFrom('instruments')
      .select('id')
      .where('tenant_id', '=', input.tenantId)
      .where('code', '=', input.code)
      .forUpdate()
      .executeTakeFirst();
    if (!inst) throw notFound('instrument.not_found');
    const def = parseDefinition(input.definition);
    const draft = await tx
      .updateTable('instrument_versions')
      .set({ definition: JSON.stringify(def), note: input.note ?? null, created_by: input.actor.name ?? null })
      .where('tenant_id', '=', input.tenantId)
      .where('instrument_id', '=', inst.id)
      .where('status', '=', 'draft')
      .returning('version')
      .executeTakeFirst();
    let version = draft?.version;
    if (version === undefined) {
      const next = await tx
        .selectFrom('instrument_versions')
        .select(sql<number>`coalesce(max(version), 0) + 1`.as('v'))
        .where('tenant_id', '=', input.tenantId)
        .where('instrument_id', '=', inst.id)
        .executeTakeFirstOrThrow();
      version = next.v;
      await tx
        .insertInto('instrument_versions')
        .values({
          tenant_id: input.tenantId,
          instrument_id: inst.id,
          version,
          status: 'draft',
          definition: JSON.stringify(def),
          note: input.note ?? null,
          created_by: input.actor.name ?? null,
        })
        .execute();
    }
    await audit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: 'instrument.save_draft',
      objectType: 'instrument',
      objectId: inst.id,
      details: { code: input.code, version, items: def.items.length },
      requestId: input.requestId,
    });
    return { code: input.code, version };
  });
}

export async function discardDraft(db: Db, input: { tenantId: string; actor: Actor; requestId?: string; code: string }) {
  await db.transaction().execute(async (tx) => {
    const r = await tx
      .deleteFrom('instrument_versions')
      .where('tenant_id', '=', input.tenantId)
      .where('status', '=', 'draft')
      .where('instrument_id', '=', (eb) =>
        eb.selectFrom('instruments').select('id').where('tenant_id', '=', input.tenantId).where('code', '=', input.code),
      )
      .returning('version')
      .executeTakeFirst();
    if (!r) throw notFound('instrument.no_draft');
    await audit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: 'instrument.discard_draft',
      objectType: 'instrument',
      details: { code: input.code, version: r.version },
      requestId: input.requestId,
    });
  });
}
