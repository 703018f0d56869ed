// Server-side sessions: a new random token at every login, idle and absolute
// time-outs, ended at once by logout, by disabling the user, or by an admin.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Executor } from '../../db/index.ts';
import type { Grant, Principal } from './policy.ts';
import { newToken, tokenHash } from './tokens.ts';

export type SessionTimeouts = { idleMs: number; maxMs: number };

export async function createSession(
  db: Executor,
  t: SessionTimeouts,
  s: { tenantId: string; userId: string; ip: string; userAgent: string | undefined },
) {
  const token = newToken();
  const csrfToken = randomBytes(24).toString('base64url');
  const now = Date.now();
  await db
    .insertInto('sessions')
    .values({
      tenant_id: s.tenantId,
      user_id: s.userId,
      token_hash: tokenHash(token),
      csrf_token: csrfToken,
      idle_expires_at: new Date(now + t.idleMs),
      expires_at: new Date(now + t.maxMs),
      ip: s.ip,
      user_agent: s.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return { token, csrfToken };
}

export async function grantsOf(db: Executor, tenantId: string, userId: string): Promise<Grant[]> {
  const rows = await db
    .selectFrom('role_grants')
    .select(['role', 'unit_id'])
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .execute();
  return rows.map((r) => ({ role: r.role, unitId: r.unit_id }));
}

/** The session's principal, or undefined when the token is unknown, ended or timed out. */
export async function resolveSession(db: Executor, t: SessionTimeouts, token: string): Promise<Principal | undefined> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select([
      's.id',
      's.tenant_id',
      's.user_id',
      's.csrf_token',
      's.last_seen_at',
      's.idle_expires_at',
      's.expires_at',
      's.revoked_at',
      'u.username',
      'u.disabled_at',
    ])
    .where('s.token_hash', '=', tokenHash(token))
    .executeTakeFirst();
  const now = Date.now();
  if (!row || row.revoked_at || row.disabled_at) return undefined;
  if (row.idle_expires_at.getTime() <= now || row.expires_at.getTime() <= now) return undefined;
  // Slide the idle time-out, writing at most once a minute per session.
  if (now - row.last_seen_at.getTime() > 60_000) {
    await db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(now), idle_expires_at: new Date(now + t.idleMs) })
      .where('id', '=', row.id)
      .execute();
  }
  return {
    kind: 'user',
    tenantId: row.tenant_id,
    id: row.user_id,
    name: row.username,
    grants: await grantsOf(db, row.tenant_id, row.user_id),
    sessionId: row.id,
    csrfToken: row.csrf_token,
  };
}

export async function revokeSession(db: Executor, sessionId: string) {
  await db.updateTable('sessions').set({ revoked_at: new Date() }).where('id', '=', sessionId).execute();
}

export async function revokeUserSessions(db: Executor, tenantId: string, userId: string) {
  await db
    .updateTable('sessions')
    .set({ revoked_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Resolves a bearer API token to its principal. */
export async function resolveApiToken(db: Executor, token: string): Promise<Principal | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .select(['id', 'tenant_id', 'name', 'role', 'unit_id', 'revoked_at', 'expires_at', 'last_used_at'])
    .where('token_hash', '=', tokenHash(token))
    .executeTakeFirst();
  if (!row || row.revoked_at || (row.expires_at && row.expires_at.getTime() <= Date.now())) return undefined;
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000) {
    await db.updateTable('api_tokens').set({ last_used_at: new Date() }).where('id', '=', row.id).execute();
  }
  return {
    kind: 'token',
    tenantId: row.tenant_id,
    id: row.id,
    name: row.name,
    grants: [{ role: row.role, unitId: row.unit_id }],
  };
}
