// Enrollment: the console issues a short code for a unit (valid 15 minutes,
// used once); the tablet trades it for a credential of its own. Only hashes
// of codes and credentials are stored.
import { createHash, randomInt } from 'node:crypto';
import type { Db } from '../../../db/index.ts';
import { type Actor, audit } from '../../../platform/audit.ts';
import { newToken, tokenHash } from '../../../platform/auth/tokens.ts';
import { AppError } from '../../../platform/errors.ts';

/** No 0/O, 1/I/L: read aloud or copied from a screen without mistakes. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const PAIRING_MINUTES = 15;

/** Upper case, without spaces or dashes: "ab3k-9xq2" and "AB3K9XQ2" are the same code. */
export const normalizePairingCode = (code: string) => code.toUpperCase().replace(/[\s-]/g, '');
const codeHash = (code: string) =>
  createHash('sha256')
    .update(`pairing:${normalizePairingCode(code)}`)
    .digest();

export async function createPairing(
  db: Db,
  input: { tenantId: string; unitId: string; actor: Actor & { id: string }; now: Date; requestId?: string },
): Promise<{ code: string; expiresAt: Date }> {
  const expiresAt = new Date(input.now.getTime() + PAIRING_MINUTES * 60_000);
  let code = '';
  // Codes are looked up across tenants: never two live ones alike (8 of 31 symbols: a draw again is rare).
  for (let taken = true; taken; ) {
    const raw = Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    code = `${raw.slice(0, 4)}-${raw.slice(4)}`;
    taken = Boolean(
      await db
        .selectFrom('device_pairings')
        .select('id')
        .where('code_hash', '=', codeHash(code))
        .where('used_at', 'is', null)
        .where('expires_at', '>', input.now)
        .executeTakeFirst(),
    );
  }
  await db.transaction().execute(async (tx) => {
    const p = await tx
      .insertInto('device_pairings')
      .values({
        tenant_id: input.tenantId,
        unit_id: input.unitId,
        code_hash: codeHash(code),
        created_by: input.actor.id,
        created_at: input.now,
        expires_at: expiresAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: 'device.pairing_created',
      objectType: 'device_pairing',
      objectId: p.id,
      details: { unitId: input.unitId, expiresAt: expiresAt.toISOString() },
      requestId: input.requestId,
    });
  });
  return { code, expiresAt };
}

export async function enrollDevice(
  db: Db,
  input: { code: string; name?: string; now: Date },
): Promise<{ deviceId: string; credential: string; tenantId: string; unitId: string }> {
  return db.transaction().execute(async (tx) => {
    const p = await tx
      .selectFrom('device_pairings')
      .selectAll()
      .where('code_hash', '=', codeHash(input.code))
      .forUpdate()
      .executeTakeFirst();
    // One answer for unknown, used and expired codes: nothing to learn by guessing.
    if (!p || p.used_at || p.expires_at.getTime() <= input.now.getTime()) throw new AppError(404, 'device.pairing_invalid');
    const unit = await tx.selectFrom('units').select(['code', 'name']).where('id', '=', p.unit_id).executeTakeFirstOrThrow();
    const credential = newToken('mk_');
    const d = await tx
      .insertInto('devices')
      .values({
        tenant_id: p.tenant_id,
        unit_id: p.unit_id,
        name: input.name?.trim() || `${unit.code} ${input.now.toISOString().slice(0, 10)}`,
        credential_hash: tokenHash(credential),
        enrolled_at: input.now,
        enrolled_by: p.created_by,
        last_seen_at: input.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx.updateTable('device_pairings').set({ used_at: input.now, device_id: d.id }).where('id', '=', p.id).execute();
    await audit(tx, {
      tenantId: p.tenant_id,
      actor: { type: 'system', name: 'device enrollment' },
      action: 'device.enrolled',
      objectType: 'device',
      objectId: d.id,
      details: { unitId: p.unit_id, pairingId: p.id },
    });
    return { deviceId: d.id, credential, tenantId: p.tenant_id, unitId: p.unit_id };
  });
}

export async function revokeDevice(
  db: Db,
  input: { tenantId: string; deviceId: string; actor: Actor & { id: string }; now: Date; requestId?: string },
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const r = await tx
      .updateTable('devices')
      .set({ revoked_at: input.now, revoked_by: input.actor.id })
      .where('tenant_id', '=', input.tenantId)
      .where('id', '=', input.deviceId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (!r.numUpdatedRows) return;
    await audit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: 'device.revoked',
      objectType: 'device',
      objectId: input.deviceId,
      requestId: input.requestId,
    });
  });
}

export type DevicePrincipal = { id: string; tenantId: string; unitId: string; unitCode: string; name: string };

/** The device a credential belongs to; a revoked device is told so. */
export async function resolveDevice(db: Db, credential: string): Promise<DevicePrincipal> {
  const d = await db
    .selectFrom('devices as d')
    .innerJoin('units as u', 'u.id', 'd.unit_id')
    .select(['d.id', 'd.tenant_id', 'd.unit_id', 'd.name', 'd.revoked_at', 'u.code as unit_code'])
    .where('d.credential_hash', '=', tokenHash(credential))
    .executeTakeFirst();
  if (!d) throw new AppError(401, 'device.credential_invalid');
  if (d.revoked_at) throw new AppError(401, 'device.revoked');
  return { id: d.id, tenantId: d.tenant_id, unitId: d.unit_id, unitCode: d.unit_code, name: d.name };
}

/** A heartbeat: what the device says of itself, and how far its clock is from the server's. */
export async function recordHeartbeat(
  db: Db,
  device: DevicePrincipal,
  beat: { battery?: number | null; appVersion: string; queue: number; deviceTime: string; lastSeq?: number | null },
  now: Date,
) {
  const skew = new Date(beat.deviceTime).getTime() - now.getTime();
  await db
    .updateTable('devices')
    .set({
      last_seen_at: now,
      battery: beat.battery ?? null,
      app_version: beat.appVersion,
      queue_length: beat.queue,
      clock_skew_ms: skew,
      ...(beat.lastSeq !== undefined && beat.lastSeq !== null ? { last_seq: beat.lastSeq } : {}),
    })
    .where('id', '=', device.id)
    .execute();
  return { serverTime: now.toISOString(), clockSkewMs: skew };
}
