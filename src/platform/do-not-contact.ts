// One do-not-contact list for every channel that reaches people (calls, SMS,
// app): a number on it is never called or messaged again. Numbers are looked up
// by the vault's keyed hash and kept encrypted only to show them masked.
import { sql } from 'kysely';
import type { Executor, Tx } from '../db/index.ts';
import { maskPhone, type Vault } from './vault.ts';

export type ContactSource = 'interview' | 'sms' | 'app' | 'web' | 'hotline' | 'staff';

const PHONE_KIND = 'phone';
const context = (tenantId: string) => `do-not-contact:${tenantId}`;

/** The keyed hash under which service events and this list know a number. */
export const phoneHash = (vault: Vault, national: string) => vault.hash(national, PHONE_KIND);

export async function isSuppressed(db: Executor, tenantId: string, hash: Buffer): Promise<boolean> {
  const r = await sql<{
    n: number;
  }>`select 1 as n from do_not_contact where tenant_id = ${tenantId} and phone_hash = ${hash}`.execute(db);
  return r.rows.length > 0;
}

/**
 * Adds a number (once; a second request keeps the first record). Open interview
 * records of the number leave the call queue in the same transaction.
 * Returns whether the number was new on the list.
 */
export async function suppress(
  tx: Tx,
  vault: Vault,
  e: { tenantId: string; national: string; source: ContactSource; reason?: string | null; by?: string | null; at: Date },
): Promise<boolean> {
  const hash = phoneHash(vault, e.national);
  const r = await sql`insert into do_not_contact (tenant_id, phone_hash, phone_enc, source, reason, created_by, created_at)
    values (${e.tenantId}, ${hash}, ${vault.encrypt(e.national, context(e.tenantId))}, ${e.source}, ${e.reason ?? null}, ${e.by ?? null}, ${e.at})
    on conflict (tenant_id, phone_hash) do nothing`.execute(tx);
  await sql`update interview_sample set status = 'do_not_call', interviewer_id = null, finished_at = ${e.at}
    where tenant_id = ${e.tenantId} and phone_hash = ${hash} and status in ('pending','callback')`.execute(tx);
  return Number(r.numAffectedRows ?? 0) > 0;
}

export async function listSuppressed(db: Executor, vault: Vault, tenantId: string, limit = 500) {
  const rows = await sql<{
    phone_hash: Buffer;
    phone_enc: Buffer;
    source: ContactSource;
    reason: string | null;
    created_at: Date;
  }>`select phone_hash, phone_enc, source, reason, created_at from do_not_contact
    where tenant_id = ${tenantId} order by created_at desc limit ${limit}`.execute(db);
  const total = await sql<{ n: number }>`select count(*)::int as n from do_not_contact where tenant_id = ${tenantId}`.execute(db);
  return {
    total: total.rows[0]?.n ?? 0,
    items: rows.rows.map((r) => ({
      // the hash identifies the entry without the number
      id: Buffer.from(r.phone_hash).toString('hex'),
      phoneMasked: maskPhone(vault.decrypt(Buffer.from(r.phone_enc), context(tenantId))),
      source: r.source,
      reason: r.reason,
      createdAt: new Date(r.created_at).toISOString(),
    })),
  };
}

/** Takes a number off the list (a citizen who asks to be contacted again), by the id the list shows. */
export async function unsuppressById(tx: Tx, tenantId: string, id: string): Promise<boolean> {
  const r =
    await sql`delete from do_not_contact where tenant_id = ${tenantId} and phone_hash = ${Buffer.from(id, 'hex')}`.execute(tx);
  return Number(r.numAffectedRows ?? 0) > 0;
}
