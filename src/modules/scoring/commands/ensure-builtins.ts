// Every tenant gets the built-in indices as version 1. Runs at every start; an
// index the tenant already has (perhaps at a later version) is left alone.
import type { Db } from '../../../db/index.ts';
import { audit } from '../../../platform/audit.ts';
import { BUILTIN_INDICES } from '../builtin.ts';
import { indexDefinition } from '../definition.ts';

export async function ensureBuiltinIndices(db: Db, tenantId: string): Promise<string[]> {
  const have = new Set(
    (await db.selectFrom('score_indices').select('code').where('tenant_id', '=', tenantId).execute()).map((r) => r.code),
  );
  const missing = BUILTIN_INDICES.filter(([code]) => !have.has(code));
  if (!missing.length) return [];
  return db.transaction().execute(async (tx) => {
    const added: string[] = [];
    for (const [code, def] of missing) {
      const row = await tx
        .insertInto('score_indices')
        .values({ tenant_id: tenantId, code, builtin: true, current_version: 1 })
        .onConflict((oc) => oc.columns(['tenant_id', 'code']).doNothing())
        .returning('code')
        .executeTakeFirst();
      if (!row) continue; // another process added it
      await tx
        .insertInto('score_index_versions')
        .values({
          tenant_id: tenantId,
          code,
          version: 1,
          definition: JSON.stringify(indexDefinition.parse(def)),
          note: 'built in',
          created_by: 'system',
        })
        .execute();
      added.push(code);
    }
    if (added.length)
      await audit(tx, {
        tenantId,
        actor: { type: 'system', name: 'builtin indices' },
        action: 'index.builtin_add',
        objectType: 'score_index',
        details: { codes: added },
      });
    return added;
  });
}
