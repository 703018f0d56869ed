import type { Db } from '../../../db/index.ts';
import { type Actor, audit } from '../../../platform/audit.ts';
import { inScope, type UnitScope } from '../../../platform/auth/policy.ts';
import { notFound } from '../../../platform/errors.ts';

export async function revokeApiToken(
  db: Db,
  input: { tenantId: string; actor: Actor; requestId?: string; scope: UnitScope; tokenId: string },
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const t = await tx
      .selectFrom('api_tokens')
      .select(['id', 'name', 'unit_id', 'revoked_at'])
      .where('tenant_id', '=', input.tenantId)
      .where('id', '=', input.tokenId)
      .executeTakeFirst();
    if (!t || (t.unit_id === null ? !input.scope.all : !inScope(input.scope, t.unit_id))) throw notFound('token.not_found');
    if (t.revoked_at) return;
    await tx.updateTable('api_tokens').set({ revoked_at: new Date() }).where('id', '=', t.id).execute();
    await audit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: 'token.revoke',
      objectType: 'api_token',
      objectId: t.id,
      details: { name: t.name },
      requestId: input.requestId,
    });
  });
}
