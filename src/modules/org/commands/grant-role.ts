import type { Db } from '../../../db/index.ts';
import type { Role } from '../../../db/types.ts';
import { type Actor, audit } from '../../../platform/audit.ts';
import { inScope, type UnitScope } from '../../../platform/auth/policy.ts';
import { AppError, notFound } from '../../../platform/errors.ts';

export type GrantRoleInput = {
  tenantId: string;
  actor: Actor;
  requestId?: string;
  /** the granting admin's own scope: a grant cannot reach beyond it */
  scope: UnitScope;
  userId: string;
  role: Role;
  unitCode: string | null;
};

export async function grantRole(db: Db, input: GrantRoleInput): Promise<{ id: string; unitName: string | null }> {
  return db.transaction().execute(async (tx) => {
    const user = await tx
      .selectFrom('users')
      .select('id')
      .where('tenant_id', '=', input.tenantId)
      .where('id', '=', input.userId)
      .executeTakeFirst();
    if (!user) throw notFound('user.not_found');
    let unit: { id: string; name: string } | undefined;
    if (input.unitCode !== null) {
      unit = await tx
        .selectFrom('units')
        .select(['id', 'name'])
        .where('tenant_id', '=', input.tenantId)
        .where('code', '=', input.unitCode)
        .executeTakeFirst();
      if (!unit || !inScope(input.scope, unit.id)) throw notFound('unit.not_found');
    } else if (!input.scope.all) {
      throw new AppError(403, 'auth.forbidden', 'only a tenant-wide administrator can grant tenant-wide roles');
    }
    const existing = await tx
      .selectFrom('role_grants')
      .select('id')
      .where('tenant_id', '=', input.tenantId)
      .where('user_id', '=', user.id)
      .where('role', '=', input.role)
      .where((eb) => (unit ? eb('unit_id', '=', unit.id) : eb('unit_id', 'is', null)))
      .executeTakeFirst();
    if (existing) return { id: existing.id, unitName: unit?.name ?? null };
    const grant = await tx
      .insertInto('role_grants')
      .values({
        tenant_id: input.tenantId,
        user_id: user.id,
        role: input.role,
        unit_id: unit?.id ?? null,
        created_by: input.actor.type === 'user' ? (input.actor.id ?? null) : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: 'grant.create',
      objectType: 'user',
      objectId: user.id,
      details: { role: input.role, unit: input.unitCode },
      requestId: input.requestId,
    });
    return { id: grant.id, unitName: unit?.name ?? null };
  });
}
