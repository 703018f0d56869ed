// What comes back from the gateways: delivery reports (out of order, more than
// once, sometimes before we stored the gateway's id) and citizens' messages
// (a score, an opt-out, or anything else, kept for review).
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Executor, Tx } from '../../db/index.ts';
import { phoneHash, suppress } from '../../platform/do-not-contact.ts';
import { normalizePhone, type Vault } from '../../platform/vault.ts';
import { submitResponses } from '../responses/commands/submit-responses.ts';
import type { DeliveryReport, InboundSms } from './gateway.ts';
import { parseReply } from './text.ts';

const FAILED = ['undeliverable', 'expired', 'rejected', 'deleted'];
/** A reply belongs to the latest invitation sent to the number within this many days. */
const REPLY_DAYS = 7;
export const SMS_INSTRUMENT = 'SMS_ONE';

/**
 * The message's delivery state from every report it has, so the answer does
 * not depend on their order or repeats: a failed part fails it; it is
 * delivered when every part the gateway named is (one report will do when it
 * named none: Kannel reports under our id).
 */
export async function settleDelivery(db: Executor, messageIds: string[]) {
  if (!messageIds.length) return;
  await sql`
    update sms_messages m set
      delivery_state = x.state,
      delivery_error = x.error,
      delivered_at = case when x.state = 'delivered' then x.delivered_at else null end,
      status = case
        when m.status not in ('sent', 'delivered', 'failed', 'uncertain') then m.status
        when x.state = 'delivered' then 'delivered'
        when x.state = any(${FAILED}::text[]) then 'failed'
        when m.status = 'uncertain' then 'sent'
        else m.status end,
      updated_at = now()
    from (
      select m2.id,
        case
          when f.state is not null then f.state
          when d.parts >= greatest(1, (select count(*) from sms_gateway_ids g where g.message_id = m2.id)) then 'delivered'
          when d.n > 0 then 'enroute'
          else null end as state,
        f.error, d.delivered_at
      from sms_messages m2
      cross join lateral (
        select count(distinct coalesce(r.gateway_message_id, '')) filter (where r.state = 'delivered') as parts,
          max(r.at) filter (where r.state = 'delivered') as delivered_at, count(*) as n
        from sms_delivery_reports r where r.message_id = m2.id) d
      left join lateral (
        select r.state, r.error from sms_delivery_reports r
        where r.message_id = m2.id and r.state = any(${FAILED}::text[]) order by r.at desc limit 1) f on true
      where m2.id = any(${messageIds}::uuid[])
    ) x
    where m.id = x.id and x.state is not null`.execute(db);
}

/** Stores a delivery report once and settles its message (when known). */
export async function recordDeliveryReport(db: Executor, tenantId: string, r: DeliveryReport): Promise<void> {
  let messageId = r.messageId ?? null;
  if (messageId) {
    const known = await db
      .selectFrom('sms_messages')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', messageId)
      .executeTakeFirst();
    if (!known) messageId = null;
  }
  if (!messageId && r.gatewayMessageId) {
    const g = await db
      .selectFrom('sms_gateway_ids')
      .select('message_id')
      .where('tenant_id', '=', tenantId)
      .where('gateway_message_id', '=', r.gatewayMessageId)
      .executeTakeFirst();
    messageId = g?.message_id ?? null;
  }
  if (!messageId && !r.gatewayMessageId) return; // nothing to tie it to
  await sql`insert into sms_delivery_reports (tenant_id, message_id, gateway_message_id, state, at, error, raw)
    values (${tenantId}, ${messageId}, ${r.gatewayMessageId ?? null}, ${r.state}, ${r.at}, ${r.error ?? null}, ${r.raw.slice(0, 500)})
    on conflict do nothing`.execute(db);
  // Without a message yet: kept, and tied to it when its ids are stored (attachOrphanReports).
  if (messageId) await settleDelivery(db, [messageId]);
}

/** Reports that came before the gateway's ids were stored. */
export async function attachOrphanReports(
  db: Executor,
  tenantId: string,
  ids: { messageId: string; gatewayMessageId: string }[],
) {
  if (!ids.length) return;
  const r = await sql<{ message_id: string }>`
    update sms_delivery_reports r set message_id = g.message_id
    from unnest(${ids.map((i) => i.gatewayMessageId)}::text[], ${ids.map((i) => i.messageId)}::uuid[]) as g(gid, message_id)
    where r.tenant_id = ${tenantId} and r.message_id is null and r.gateway_message_id = g.gid
    returning r.message_id`.execute(db);
  await settleDelivery(db, [...new Set(r.rows.map((x) => x.message_id))]);
}

const inboundContext = (tenantId: string) => `sms_inbound:${tenantId}`;

/** A citizen's message and number as sms_inbound keeps them (encrypted). */
export function sealInbound(vault: Vault, tenantId: string, national: string, text: string) {
  return {
    from_enc: vault.encrypt(national, `${inboundContext(tenantId)}:from`),
    text_enc: vault.encrypt(text, inboundContext(tenantId)),
  };
}

export function readInboundText(vault: Vault, tenantId: string, enc: Buffer) {
  return vault.decrypt(enc, inboundContext(tenantId));
}

export function readInboundPhone(vault: Vault, tenantId: string, enc: Buffer) {
  return vault.decrypt(enc, `${inboundContext(tenantId)}:from`);
}

export type InboundResult = {
  id: string;
  kind: 'rating' | 'comment' | 'opt_out' | 'feedback';
  duplicate: boolean;
  responseId?: string | null;
};

/** The invitation (or reminder) a message from this number answers, if any. */
async function answeredMessage(tx: Executor, tenantId: string, hash: Buffer, now: Date) {
  const r = await sql<{
    id: string;
    event_id: string | null;
    unit_id: string | null;
    unit_code: string | null;
    replied_at: Date | null;
  }>`
    select m.id, m.event_id, m.unit_id, u.code as unit_code, m.replied_at
    from sms_messages m left join units u on u.id = m.unit_id
    where m.tenant_id = ${tenantId} and m.phone_hash = ${hash} and m.kind in ('invitation', 'reminder')
      and m.status in ('sent', 'delivered', 'uncertain') and m.sent_at > ${now}::timestamptz - make_interval(days => ${REPLY_DAYS})
    order by m.sent_at desc limit 1`.execute(tx);
  return r.rows[0];
}

/**
 * A citizen's message, once per gateway reference: an opt-out puts the number
 * on the do-not-contact list and stops what is queued for it; a score answers
 * the latest invitation as a response of the SMS instrument; anything else is
 * kept for review (as a comment on the rating when one was just given).
 */
export async function receiveInbound(
  db: Db,
  vault: Vault,
  tenantId: string,
  m: InboundSms,
  now = new Date(),
): Promise<InboundResult> {
  const phone = normalizePhone(m.from);
  const national = phone?.national ?? m.from.replace(/\D/g, '');
  const hash = phoneHash(vault, national);
  const reply = parseReply(m.text);
  return db.transaction().execute(async (tx) => {
    if (m.gatewayRef) {
      const seen = await tx
        .selectFrom('sms_inbound')
        .select(['id', 'kind', 'response_id'])
        .where('tenant_id', '=', tenantId)
        .where('gateway_ref', '=', m.gatewayRef)
        .executeTakeFirst();
      if (seen) return { id: seen.id, kind: seen.kind, duplicate: true, responseId: seen.response_id };
    }
    const id = randomUUID();
    const answered = await answeredMessage(tx, tenantId, hash, now);
    let kind: InboundResult['kind'] = 'feedback';
    let responseId: string | null = null;
    if (reply.kind === 'opt_out') {
      kind = 'opt_out';
      await suppress(tx, vault, { tenantId, national, source: 'sms', reason: 'SMS', at: now });
      await skipQueuedFor(tx, tenantId, hash);
      await enqueueReply(tx, vault, { tenantId, kind: 'opt_out', key: `optout:${id}`, national, hash });
    } else if (reply.kind === 'rating' && answered?.event_id && !answered.replied_at && answered.unit_code) {
      const [result] = await submitResponses(
        tx,
        vault,
        tenantId,
        [
          {
            id,
            instrument: SMS_INSTRUMENT,
            channel: 'sms',
            unit: answered.unit_code,
            eventId: answered.event_id,
            submittedAt: m.receivedAt.toISOString(),
            answers: { RATING: reply.rating, ...(reply.comment ? { COMMENT: reply.comment.slice(0, 480) } : {}) },
            language: 'vi',
          },
        ],
        { type: 'public', id: null, scope: { all: true } },
        now,
      );
      if (result?.result === 'created' || result?.result === 'replayed') {
        kind = 'rating';
        responseId = id;
        await tx.updateTable('sms_messages').set({ replied_at: now, updated_at: now }).where('id', '=', answered.id).execute();
        await enqueueReply(tx, vault, {
          tenantId,
          kind: 'thanks',
          key: `thanks:${answered.event_id}`,
          national,
          hash,
          unitId: answered.unit_id,
        });
      }
    } else if (answered?.replied_at) {
      kind = 'comment';
    }
    await tx
      .insertInto('sms_inbound')
      .values({
        id,
        tenant_id: tenantId,
        ...sealInbound(vault, tenantId, national, m.text.slice(0, 2000)),
        from_hash: hash,
        to_addr: m.to.slice(0, 30) || null,
        received_at: m.receivedAt,
        gateway_ref: m.gatewayRef ?? null,
        kind,
        rating: reply.kind === 'rating' ? reply.rating : null,
        message_id: answered?.id ?? null,
        event_id: answered?.event_id ?? null,
        unit_id: answered?.unit_id ?? null,
        response_id: responseId,
      })
      .execute();
    return { id, kind, duplicate: false, responseId };
  });
}

/** Queued messages to a number that just opted out are not sent. */
async function skipQueuedFor(tx: Tx, tenantId: string, hash: Buffer) {
  await sql`update sms_messages m set status = 'skipped', skip_reason = 'opted_out', updated_at = now()
    where m.tenant_id = ${tenantId} and m.status = 'queued' and m.kind <> 'opt_out'
      and (m.phone_hash = ${hash} or exists (
        select 1 from service_events e where e.id = m.event_id and e.tenant_id = ${tenantId} and e.citizen_phone_hash = ${hash}))`.execute(
    tx,
  );
}

export const outboundContext = (tenantId: string) => `sms_messages.phone:${tenantId}`;

async function enqueueReply(
  tx: Tx,
  vault: Vault,
  r: { tenantId: string; kind: 'thanks' | 'opt_out'; key: string; national: string; hash: Buffer; unitId?: string | null },
) {
  await tx
    .insertInto('sms_messages')
    .values({
      tenant_id: r.tenantId,
      message_key: r.key,
      kind: r.kind,
      unit_id: r.unitId ?? null,
      phone_enc: vault.encrypt(r.national, outboundContext(r.tenantId)),
      phone_hash: r.hash,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'message_key']).doNothing())
    .execute();
}
