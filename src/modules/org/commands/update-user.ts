import type { Db } from '../../../db/index.ts';
import { type Actor, audit } from '../../../platform/audit.ts';
import { checkPasswordPolicy, hashPassword } from '../../../platform/auth/passwords.ts';
import { revokeUserSessions } from '../../../platform/auth/sessions.ts';
import { notFound } from '../../../platform/errors.ts';
import { keepOneAdmin } from '../last-admin.ts';

export type UpdateUserInput = {
  tenantId: string;
  actor: Actor;
  requestId?: string;
  userId: string;
  displayName?: string;
  disabled?: boolean;
  password?: string;
};

/** Disabling a user or changing the password ends all of the user's sessions at once. */
export async function updateUser(db: Db, input: UpdateUserInput): Promise<void> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'username', 'disabled_at'])
    .where('tenant_id', '=', input.tenantId)
    .where('id', '=', input.userId)
    .executeTakeFirst();
  if (!user) throw notFound('user.not_found');
  if (input.password !== undefined) checkPasswordPolicy(input.password, user.username);
  const passwordHash = input.password !== undefined ? await hashPassword(input.password) : undefined;
  await db.transaction().execute(async (tx) => {
    if (input.disabled) await keepOneAdmin(tx, input.tenantId, user.id, 'user.last_admin');
    const now = new Date();
    await tx
      .updateTable('users')
      .set({
        updated_at: now,
        ...(input.displayName !== undefined ? { display_name: input.displayName } : {}),
        ...(input.disabled !== undefined ? { disabled_at: input.disabled ? (user.disabled_at ?? now) : null } : {}),
        ...(passwordHash ? { password_hash: passwordHash, password_changed_at: now } : {}),
      })
      .where('id', '=', user.id)
      .execute();
    if (input.disabled || passwordHash) await revokeUserSessions(tx, input.tenantId, user.id);
    await audit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: 'user.update',
      objectType: 'user',
      objectId: user.id,
      details: {
        displayName: input.displayName !== undefined ? 'changed' : undefined,
        disabled: input.disabled,
        password: passwordHash ? 'changed' : undefined,
      },
      requestId: input.requestId,
    });
  });
}
