// Ways into the web survey. A unit's QR code is short and printed on posters;
// a one-time link is derived from its service event with the vault's keyed
// hash, so asking again gives the same link and nobody can guess one.
import { createHash, randomInt } from 'node:crypto';
import type { Db, Executor } from '../../db/index.ts';
import { type Actor, audit } from '../../platform/audit.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import type { Vault } from '../../platform/vault.ts';

const QR_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const sha256 = (s: string) => createHash('sha256').update(s).digest();

function qrCode(): string {
  let s = '';
  for (let i = 0; i < 10; i++) s += QR_ALPHABET[randomInt(QR_ALPHABET.length)];
  return s;
}

export function surveyUrl(base: string, code: string) {
  return `${base}/s/${code}`;
}

/** The unit's current QR code, made on first use. */
export async function unitQrCode(db: Db, input: { tenantId: string; unitId: string; actor: Actor; renew?: boolean }) {
  return db.transaction().execute(async (tx) => {
    const current = await tx
      .selectFrom('survey_entries')
      .select(['id', 'code'])
      .where('tenant_id', '=', input.tenantId)
      .where('unit_id', '=', input.unitId)
      .where('kind', '=', 'qr')
      .where('revoked_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    if (current && !input.renew) return current.code as string;
    if (current) await tx.updateTable('survey_entries').set({ revoked_at: new Date() }).where('id', '=', current.id).execute();
    const code = qrCode();
    const row = await tx
      .insertInto('survey_entries')
      .values({
        tenant_id: input.tenantId,
        kind: 'qr',
        code_hash: sha256(code),
        code,
        unit_id: input.unitId,
        created_by: input.actor.name ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: current ? 'survey.qr_renew' : 'survey.qr_create',
      objectType: 'survey_entry',
      objectId: row.id,
      details: { unitId: input.unitId },
    });
    return code;
  });
}

/** The one-time link of a service event (the same on every call until answered). */
export async function eventSurveyLink(
  db: Db,
  vault: Vault,
  input: { tenantId: string; eventId: string; expiresInDays: number; actor: Actor },
) {
  const ev = await db
    .selectFrom('service_events')
    .select(['id', 'unit_id'])
    .where('tenant_id', '=', input.tenantId)
    .where('id', '=', input.eventId)
    .executeTakeFirst();
  if (!ev) throw notFound('event.not_found');
  const code = vault.hash(`${input.tenantId}:${ev.id}`, 'survey-link').toString('base64url').slice(0, 22);
  const expiresAt = new Date(Date.now() + input.expiresInDays * 86_400_000);
  const row = await db
    .insertInto('survey_entries')
    .values({
      tenant_id: input.tenantId,
      kind: 'link',
      code_hash: sha256(code),
      unit_id: ev.unit_id,
      event_id: ev.id,
      expires_at: expiresAt,
      created_by: input.actor.name ?? null,
    })
    // Asking again extends an unanswered link.
    .onConflict((oc) =>
      oc
        .columns(['tenant_id', 'code_hash'])
        .doUpdateSet({ expires_at: expiresAt })
        .where('survey_entries.response_id', 'is', null),
    )
    .returning(['id', 'expires_at', 'response_id'])
    .executeTakeFirst();
  if (!row) throw conflict('survey.link_used');
  return { code, expiresAt: row.expires_at as Date };
}

export type OpenEntry = NonNullable<Awaited<ReturnType<typeof entryByCode>>>;

export async function entryByCode(db: Executor, code: string) {
  const rows = await db
    .selectFrom('survey_entries as s')
    .innerJoin('units as u', 'u.id', 's.unit_id')
    .innerJoin('tenants as t', 't.id', 's.tenant_id')
    .select([
      's.id',
      's.tenant_id',
      's.kind',
      's.unit_id',
      's.event_id',
      's.instrument_id',
      's.expires_at',
      's.response_id',
      's.revoked_at',
      'u.code as unitCode',
      'u.name as unitName',
      'u.sector',
      'u.valid_to',
      't.name as tenantName',
    ])
    .where('s.code_hash', '=', sha256(code))
    .limit(2)
    .execute();
  // Two tenants holding the same code is astronomically unlikely; if it happens, neither is guessed.
  return rows.length === 1 ? rows[0] : undefined;
}

export function entryState(e: OpenEntry, now = new Date()): 'open' | 'answered' | 'expired' | 'closed' {
  if (e.revoked_at || e.valid_to) return 'closed';
  if (e.response_id) return 'answered';
  if (e.expires_at && e.expires_at < now) return 'expired';
  return 'open';
}

export async function markEntryUsed(tx: Executor, entryId: string, responseId: string) {
  await tx
    .updateTable('survey_entries')
    .set({ response_id: responseId, used_at: new Date() })
    .where('id', '=', entryId)
    .where('response_id', 'is', null)
    .execute();
}
