// Every tenant gets the built-in instruments (METHODS.md section 3) as
// published version 1, and their default channel assignments. Runs at every
// start; an instrument the tenant already has is left alone.
import type { Db } from '../../../db/index.ts';
import { audit } from '../../../platform/audit.ts';
import { BUILTIN_INSTRUMENTS } from '../builtin.ts';
import { definition } from '../definition.ts';

export async function ensureBuiltinInstruments(db: Db, tenantId: string): Promise<string[]> {
  const have = new Set(
    (await db.selectFrom('instruments').select('code').where('tenant_id', '=', tenantId).execute()).map((r) => r.code),
  );
  const missing = BUILTIN_INSTRUMENTS.filter((b) => !have.has(b.code));
  if (missing.length === 0) return [];
  return db.transaction().execute(async (tx) => {
    const added: string[] = [];
    for (const b of missing) {
      const row = await tx
        .insertInto('instruments')
        .values({
          tenant_id: tenantId,
          code: b.code,
          name: JSON.stringify(b.name),
          sector: b.sector,
          channels: b.channels,
          framework: b.framework,
          builtin: true,
        })
        .onConflict((oc) => oc.columns(['tenant_id', 'code']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!row) continue; // another process added it
      await tx
        .insertInto('instrument_versions')
        .values({
          tenant_id: tenantId,
          instrument_id: row.id,
          version: 1,
          status: 'published',
          definition: JSON.stringify(definition.parse(b.definition)),
          note: 'built in',
          created_by: 'system',
          published_at: new Date(),
          published_by: 'system',
        })
        .execute();
      for (const d of b.defaultFor) {
        await tx
          .insertInto('instrument_assignments')
          .values({ tenant_id: tenantId, instrument_id: row.id, channel: d.channel, unit_id: null, sector: d.sector })
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
      added.push(b.code);
    }
    if (added.length)
      await audit(tx, {
        tenantId,
        actor: { type: 'system', name: 'builtin instruments' },
        action: 'instrument.builtin_add',
        details: { codes: added },
      });
    return added;
  });
}
