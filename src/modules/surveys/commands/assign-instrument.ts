// Chooses the instrument a channel runs at a unit (and its subtree), or
// tenant-wide for a sector. One assignment per (channel, unit or sector).
import { sql } from 'kysely';
import type { Db } from '../../../db/index.ts';
import type { Channel, Sector } from '../../../db/types.ts';
import { type Actor, audit } from '../../../platform/audit.ts';
import { invalid, notFound } from '../../../platform/errors.ts';

export async function assignInstrument(
  db: Db,
  input: {
    tenantId: string;
    actor: Actor;
    requestId?: string;
    channel: Channel;
    instrument: string;
    unitId: string | null;
    sector: Sector | null;
  },
) {
  return db.transaction().execute(async (tx) => {
    const inst = await tx
      .selectFrom('instruments')
      .select(['id', 'channels'])
      .where('tenant_id', '=', input.tenantId)
      .where('code', '=', input.instrument)
      .executeTakeFirst();
    if (!inst) throw notFound('instrument.not_found');
    if (!inst.channels.includes(input.channel)) throw invalid('instrument.channel_not_allowed');
    // Replace whatever held this slot.
    await sql`delete from instrument_assignments where tenant_id = ${input.tenantId} and channel = ${input.channel}
      and unit_id is not distinct from ${input.unitId}::uuid and sector is not distinct from ${input.sector}::text`.execute(tx);
    const row = await tx
      .insertInto('instrument_assignments')
      .values({
        tenant_id: input.tenantId,
        instrument_id: inst.id,
        channel: input.channel,
        unit_id: input.unitId,
        sector: input.sector,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: 'instrument.assign',
      objectType: 'instrument_assignment',
      objectId: row.id,
      details: { channel: input.channel, instrument: input.instrument, unitId: input.unitId, sector: input.sector },
      requestId: input.requestId,
    });
    return row.id;
  });
}

export async function removeAssignment(db: Db, input: { tenantId: string; actor: Actor; requestId?: string; id: string }) {
  await db.transaction().execute(async (tx) => {
    const r = await tx
      .deleteFrom('instrument_assignments')
      .where('tenant_id', '=', input.tenantId)
      .where('id', '=', input.id)
      .returningAll()
      .executeTakeFirst();
    if (!r) throw notFound('assignment.not_found');
    await audit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: 'instrument.unassign',
      objectType: 'instrument_assignment',
      objectId: r.id,
      details: { channel: r.channel, unitId: r.unit_id, sector: r.sector },
      requestId: input.requestId,
    });
  });
}
