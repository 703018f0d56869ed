import type { Executor } from '../../db/index.ts';
import { AppError } from '../../platform/errors.ts';

/** Refuses a change that would leave the tenant without an enabled tenant-wide administrator. */
export async function keepOneAdmin(db: Executor, tenantId: string, losingUserId: string, code: string) {
  const others = await db
    .selectFrom('role_grants as g')
    .innerJoin('users as u', 'u.id', 'g.user_id')
    .select('g.id')
    .where('g.tenant_id', '=', tenantId)
    .where('g.role', '=', 'admin')
    .where('g.unit_id', 'is', null)
    .where('u.disabled_at', 'is', null)
    .where('g.user_id', '<>', losingUserId)
    .executeTakeFirst();
  if (!others) throw new AppError(409, code, 'the tenant would be left without an administrator');
}
