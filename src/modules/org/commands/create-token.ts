import type { Db } from '../../../db/index.ts';
import type { Role } from '../../../db/types.ts';
import { type Actor, audit } from '../../../platform/audit.ts';
import { inScope, type UnitScope } from '../../../platform/auth/policy.ts';
import { newToken, tokenHash } from '../../../platform/auth/tokens.ts';
import { AppError, conflict, notFound } from '../../../platform/errors.ts';

export const TOKEN_PREFIX = 'mst_';

/** Returns the secret once; only its hash is stored. */
export async function createApiToken(
  db: Db,
  input: {
    tenantId: string;
    actor: Actor;
    requestId?: string;
    scope: UnitScope;
    name: string;
    role: Role;
    unitCode: string | null;
  },
): Promise<{ id: string; token: string; prefix: string; unitCode: string | null; createdAt: Date }> {
  return db.transaction().execute(async (tx) => {
    let unitId: string | null = null;
    if (input.unitCode) {
      const unit = await tx
        .selectFrom('units')
        .select('id')
        .where('tenant_id', '=', input.tenantId)
        .where('code', '=', input.unitCode)
        .executeTakeFirst();
      if (!unit || !inScope(input.scope, unit.id)) throw notFound('unit.not_found');
      unitId = unit.id;
    } else if (!input.scope.all) {
      throw new AppError(403, 'auth.forbidden', 'a token without a unit reaches the whole tenant');
    }
    const taken = await tx
      .selectFrom('api_tokens')
      .select('id')
      .where('tenant_id', '=', input.tenantId)
      .where('name', '=', input.name)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (taken) throw conflict('token.name_taken');
    const token = newToken(TOKEN_PREFIX);
    const prefix = token.slice(0, TOKEN_PREFIX.length + 6);
    const row = await tx
      .insertInto('api_tokens')
      .values({
        tenant_id: input.tenantId,
        name: input.name,
        token_hash: tokenHash(token),
        prefix,
        role: input.role,
        unit_id: unitId,
        created_by: input.actor.type === 'user' ? (input.actor.id ?? null) : null,
      })
      .returning(['id', 'created_at'])
      .executeTakeFirstOrThrow();
    await audit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: 'token.create',
      objectType: 'api_token',
      objectId: row.id,
      details: { name: input.name, role: input.role, unit: input.unitCode },
      requestId: input.requestId,
    });
    return { id: row.id, token, prefix, unitCode: input.unitCode, createdAt: row.created_at };
  });
}
