// Login throttling kept in the database (shared by every app process).
// Limits: per account and address; per address; and per account from addresses
// that never logged in to it, so an attacker elsewhere cannot lock a real user out.
import { sql } from 'kysely';
import type { Executor } from '../../db/index.ts';
import { AppError } from '../errors.ts';

export const THROTTLE = {
  windowMs: 15 * 60_000,
  perAccountAndIp: 5,
  perIp: 30,
  perAccountFromNewIps: 20,
  knownIpDays: 30,
};

export async function checkLoginThrottle(db: Executor, tenantId: string, username: string, ip: string) {
  const since = new Date(Date.now() - THROTTLE.windowMs);
  const known = new Date(Date.now() - THROTTLE.knownIpDays * 86_400_000);
  const r = await sql<{ pair: number; ip_all: number; account: number; known_ip: boolean; oldest: Date | null }>`
    select
      count(*) filter (where username = ${username} and ip = ${ip} and not success and at > ${since})::int as pair,
      (select count(*) from login_attempts where ip = ${ip} and not success and at > ${since})::int as ip_all,
      count(*) filter (where username = ${username} and not success and at > ${since})::int as account,
      bool_or(username = ${username} and ip = ${ip} and success and at > ${known}) as known_ip,
      min(at) filter (where not success and at > ${since}) as oldest
    from login_attempts where tenant_id = ${tenantId} and (username = ${username} or ip = ${ip})`.execute(db);
  const row = r.rows[0];
  if (!row) return;
  const limited =
    row.pair >= THROTTLE.perAccountAndIp ||
    row.ip_all >= THROTTLE.perIp ||
    (!row.known_ip && row.account >= THROTTLE.perAccountFromNewIps);
  if (limited) {
    const oldest = row.oldest ? new Date(row.oldest).getTime() : Date.now();
    const retryAfter = Math.max(1, Math.ceil((oldest + THROTTLE.windowMs - Date.now()) / 1000));
    throw new AppError(429, 'auth.throttled', undefined, { retryAfter }, { 'retry-after': String(retryAfter) });
  }
}

export async function recordLoginAttempt(db: Executor, tenantId: string, username: string, ip: string, success: boolean) {
  await db.insertInto('login_attempts').values({ tenant_id: tenantId, username, ip, success }).execute();
}
