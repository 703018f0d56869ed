import type { Db } from '../../../db/index.ts';
import { type Actor, audit } from '../../../platform/audit.ts';
import { checkPasswordPolicy, hashPassword } from '../../../platform/auth/passwords.ts';
import { AppError, conflict } from '../../../platform/errors.ts';
import { normalizePhone, type Vault } from '../../../platform/vault.ts';

export type CreateUserInput = {
  tenantId: string;
  actor: Actor;
  requestId?: string;
  username: string;
  displayName: string;
  password: string;
  phone?: string;
  language?: 'vi' | 'en';
};

export async function createUser(db: Db, vault: Vault, input: CreateUserInput): Promise<{ id: string }> {
  checkPasswordPolicy(input.password, input.username);
  const phone = input.phone ? normalizePhone(input.phone) : undefined;
  if (input.phone && !phone) throw new AppError(422, 'phone.invalid');
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (tx) => {
    const taken = await tx
      .selectFrom('users')
      .select('id')
      .where('tenant_id', '=', input.tenantId)
      .where('username', '=', input.username)
      .executeTakeFirst();
    if (taken) throw conflict('user.username_taken');
    const user = await tx
      .insertInto('users')
      .values({
        tenant_id: input.tenantId,
        username: input.username,
        display_name: input.displayName,
        password_hash: passwordHash,
        language: input.language ?? 'vi',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (phone) {
      // The id is part of the ciphertext's context, so a blob cannot be moved to another user.
      await tx
        .updateTable('users')
        .set({
          phone_enc: vault.encrypt(phone.national, `users.phone:${user.id}`),
          phone_hash: vault.hash(phone.national, 'phone'),
        })
        .where('id', '=', user.id)
        .execute();
    }
    await audit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: 'user.create',
      objectType: 'user',
      objectId: user.id,
      details: { username: input.username, phone: phone ? 'set' : 'none' },
      requestId: input.requestId,
    });
    return user;
  });
}
