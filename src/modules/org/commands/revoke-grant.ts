import type { Db } from '../../../db/index.ts';
import { type Actor, audit } from '../../../platform/audit.ts';
import { inScope, type UnitScope } from '../../../platform/auth/policy.ts';
import { notFound } from '../../../platform/errors.ts';
import { keepOneAdmin } from '../last-admin.ts';

export async function revokeGrant(
  db: Db,
  input: { tenantId: string; actor: Actor; requestId?: string; scope: UnitScope; userId: string; grantId: string },
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const grant = await tx
      .selectFrom('role_grants')
      .select(['id', 'role', 'unit_id'])
      .where('tenant_id', '=', input.tenantId)
      .where('user_id', '=', input.userId)
      .where('id', '=', input.grantId)
      .executeTakeFirst();
    if (!grant || (grant.unit_id === null ? !input.scope.all : !inScope(input.scope, grant.unit_id))) {
      throw notFound('grant.not_found');
    }
    if (grant.role === 'admin' && grant.unit_id === null)
      await keepOneAdmin(tx, input.tenantId, input.userId, 'grant.last_admin');
    await tx.deleteFrom('role_grants').where('id', '=', grant.id).execute();
    await audit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: 'grant.revoke',
      objectType: 'user',
      objectId: input.userId,
      details: { role: grant.role, unitId: grant.unit_id },
      requestId: input.requestId,
    });
  });
}
