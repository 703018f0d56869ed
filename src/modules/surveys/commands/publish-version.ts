// Publishing freezes a draft: from then on responses may name it, and nothing
// may change it (the database refuses updates of published versions).
import type { Db } from '../../../db/index.ts';
import { type Actor, audit } from '../../../platform/audit.ts';
import { conflict, notFound } from '../../../platform/errors.ts';
import { forgetInstrument } from '../queries.ts';

export async function publishVersion(
  db: Db,
  input: { tenantId: string; actor: Actor; requestId?: string; code: string; version: number },
) {
  await db.transaction().execute(async (tx) => {
    const v = await tx
      .selectFrom('instrument_versions as v')
      .innerJoin('instruments as i', 'i.id', 'v.instrument_id')
      .select(['v.instrument_id', 'v.status'])
      .where('v.tenant_id', '=', input.tenantId)
      .where('i.code', '=', input.code)
      .where('v.version', '=', input.version)
      .executeTakeFirst();
    if (!v) throw notFound('instrument.version_not_found');
    if (v.status === 'published') throw conflict('instrument.version_published');
    await tx
      .updateTable('instrument_versions')
      .set({ status: 'published', published_at: new Date(), published_by: input.actor.name ?? null })
      .where('tenant_id', '=', input.tenantId)
      .where('instrument_id', '=', v.instrument_id)
      .where('version', '=', input.version)
      .execute();
    await audit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: 'instrument.publish',
      objectType: 'instrument',
      objectId: v.instrument_id,
      details: { code: input.code, version: input.version },
      requestId: input.requestId,
    });
  });
  forgetInstrument(input.tenantId, input.code);
}
