// A new version of an index (or a new index): the old versions stay frozen, so
// a figure computed earlier can always be recomputed with its own method.
import type { Db } from '../../../db/index.ts';
import { type Actor, audit } from '../../../platform/audit.ts';
import { AppError } from '../../../platform/errors.ts';
import { indexDefinition } from '../definition.ts';

export async function publishIndex(
  db: Db,
  input: { tenantId: string; actor: Actor; code: string; definition: unknown; note?: string; requestId?: string },
): Promise<{ code: string; version: number }> {
  const parsed = indexDefinition.safeParse(input.definition);
  if (!parsed.success)
    throw new AppError(422, 'index.definition_invalid', undefined, {
      errors: parsed.error.issues.map((i) => ({ path: i.path.join('.'), code: i.code, message: i.message })),
    });
  const f = parsed.data.formula;
  const wanted = 'instruments' in f ? f.instruments : f.kind === 'decision766' ? f.dissatisfied.map((d) => d.instrument) : [];
  if (wanted.length) {
    const found = new Set(
      (
        await db
          .selectFrom('instruments')
          .select('code')
          .where('tenant_id', '=', input.tenantId)
          .where('code', 'in', wanted)
          .execute()
      ).map((r) => r.code),
    );
    const unknown = [...new Set(wanted)].filter((c) => !found.has(c));
    if (unknown.length)
      throw new AppError(422, 'index.definition_invalid', undefined, {
        errors: unknown.map((c) => ({
          path: 'formula.instruments',
          code: 'instrument.not_found',
          message: `no instrument ${c}`,
        })),
      });
  }
  return db.transaction().execute(async (tx) => {
    const cur = await tx
      .selectFrom('score_indices')
      .select('current_version')
      .where('tenant_id', '=', input.tenantId)
      .where('code', '=', input.code)
      .forUpdate()
      .executeTakeFirst();
    const version = (cur?.current_version ?? 0) + 1;
    if (cur)
      await tx
        .updateTable('score_indices')
        .set({ current_version: version, updated_at: new Date() })
        .where('tenant_id', '=', input.tenantId)
        .where('code', '=', input.code)
        .execute();
    else
      await tx.insertInto('score_indices').values({ tenant_id: input.tenantId, code: input.code, current_version: 1 }).execute();
    await tx
      .insertInto('score_index_versions')
      .values({
        tenant_id: input.tenantId,
        code: input.code,
        version,
        definition: JSON.stringify(parsed.data),
        note: input.note ?? null,
        created_by: input.actor.name ?? input.actor.type,
      })
      .execute();
    await audit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: 'index.publish',
      objectType: 'score_index',
      objectId: input.code,
      details: { version },
      requestId: input.requestId,
    });
    return { code: input.code, version };
  });
}
