// Reading the SMS area: the message log (numbers masked), one message with its
// delivery reports, statistics per unit, citizens' messages for review.
import { sql } from 'kysely';
import type { Executor } from '../../db/index.ts';
import type { UnitScope } from '../../platform/auth/policy.ts';
import { periodBounds } from '../../platform/time.ts';
import { maskPhone, normalizePhone, type Vault } from '../../platform/vault.ts';
import { readCitizen } from '../events/queries.ts';
import { outboundContext, readInboundPhone, readInboundText } from './receive.ts';

export type MessageFilter = {
  status?: string;
  kind?: string;
  unit?: string;
  period?: string;
  limit: number;
  offset: number;
};

/** The rows of the units in scope, by the table alias's unit_id. */
const scoped = (scope: UnitScope, alias: 'm' | 'i' = 'm') =>
  scope.all ? sql`true` : scope.unitIds.length ? sql`${sql.ref(`${alias}.unit_id`)} = any(${scope.unitIds}::uuid[])` : sql`false`;

type MessageRow = {
  id: string;
  kind: string;
  status: string;
  skip_reason: string | null;
  unit_code: string | null;
  unit_name: string | null;
  event_id: string | null;
  external_id: string | null;
  event_unit_id: string | null;
  citizen_enc: Buffer | null;
  phone_enc: Buffer | null;
  body: string | null;
  encoding: string | null;
  parts: number | null;
  attempts: number;
  last_error: string | null;
  gateway: string | null;
  delivery_state: string | null;
  delivery_error: string | null;
  not_before: Date;
  sent_at: Date | null;
  delivered_at: Date | null;
  replied_at: Date | null;
  created_at: Date;
};

function phoneOf(vault: Vault, tenantId: string, r: MessageRow): string | null {
  try {
    if (r.phone_enc) return vault.decrypt(Buffer.from(r.phone_enc), outboundContext(tenantId));
    if (r.citizen_enc && r.event_unit_id && r.external_id)
      return readCitizen(vault, tenantId, r.event_unit_id, r.external_id, Buffer.from(r.citizen_enc)).phone;
  } catch {
    return null;
  }
  return null;
}

function messageOut(vault: Vault, tenantId: string, r: MessageRow) {
  const phone = phoneOf(vault, tenantId, r);
  const national = phone ? (normalizePhone(phone)?.national ?? phone) : null;
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    skipReason: r.skip_reason,
    unit: r.unit_code,
    unitName: r.unit_name,
    eventId: r.event_id,
    dossier: r.external_id,
    phoneMasked: national ? maskPhone(national) : null,
    body: r.body,
    encoding: r.encoding,
    parts: r.parts,
    attempts: r.attempts,
    lastError: r.last_error,
    gateway: r.gateway,
    deliveryState: r.delivery_state,
    deliveryError: r.delivery_error,
    notBefore: r.not_before.toISOString(),
    sentAt: r.sent_at?.toISOString() ?? null,
    deliveredAt: r.delivered_at?.toISOString() ?? null,
    repliedAt: r.replied_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
  };
}

const MESSAGE_COLUMNS = sql`m.id, m.kind, m.status, m.skip_reason, u.code as unit_code, u.name as unit_name, m.event_id,
  e.external_id, e.unit_id as event_unit_id, e.citizen_enc, m.phone_enc, m.body, m.encoding, m.parts, m.attempts, m.last_error,
  m.gateway, m.delivery_state, m.delivery_error, m.not_before, m.sent_at, m.delivered_at, m.replied_at, m.created_at`;

export async function listMessages(
  db: Executor,
  vault: Vault,
  tenantId: string,
  zone: string,
  scope: UnitScope,
  f: MessageFilter,
) {
  const where = [sql`m.tenant_id = ${tenantId}`, scoped(scope)];
  if (f.status) where.push(sql`m.status = ${f.status}`);
  if (f.kind) where.push(sql`m.kind = ${f.kind}`);
  if (f.unit) where.push(sql`u.code = ${f.unit}`);
  if (f.period) {
    const b = periodBounds(f.period, zone);
    where.push(sql`m.created_at >= ${b.start} and m.created_at < ${b.end}`);
  }
  const cond = sql.join(where, sql` and `);
  const rows = await sql<MessageRow>`
    select ${MESSAGE_COLUMNS}
    from sms_messages m left join units u on u.id = m.unit_id left join service_events e on e.id = m.event_id
    where ${cond} order by m.created_at desc, m.id limit ${f.limit} offset ${f.offset}`.execute(db);
  const total = await sql<{ n: number }>`
    select count(*)::int as n from sms_messages m left join units u on u.id = m.unit_id where ${cond}`.execute(db);
  return { total: total.rows[0]?.n ?? 0, items: rows.rows.map((r) => messageOut(vault, tenantId, r)) };
}

export async function messageDetail(db: Executor, vault: Vault, tenantId: string, scope: UnitScope, id: string) {
  const r = await sql<MessageRow>`
    select ${MESSAGE_COLUMNS}
    from sms_messages m left join units u on u.id = m.unit_id left join service_events e on e.id = m.event_id
    where m.tenant_id = ${tenantId} and m.id = ${id} and ${scoped(scope)}`.execute(db);
  const row = r.rows[0];
  if (!row) return undefined;
  const reports = await db
    .selectFrom('sms_delivery_reports')
    .select(['state', 'at', 'error', 'gateway_message_id', 'received_at'])
    .where('message_id', '=', id)
    .orderBy('received_at')
    .execute();
  return {
    ...messageOut(vault, tenantId, row),
    reports: reports.map((x) => ({
      state: x.state,
      at: new Date(x.at).toISOString(),
      error: x.error,
      gatewayMessageId: x.gateway_message_id,
      receivedAt: new Date(x.received_at).toISOString(),
    })),
  };
}

/** Per unit and month: what was queued, sent, delivered, failed, skipped (why), and answered. */
export async function smsStats(db: Executor, tenantId: string, zone: string, scope: UnitScope, period: string) {
  const b = periodBounds(period, zone);
  const rows = await sql<{
    unit: string;
    name: string;
    invitations: number;
    sent: number;
    delivered: number;
    failed: number;
    pending: number;
    skipped_opted_out: number;
    skipped_landline: number;
    skipped_answered: number;
    skipped_other: number;
    replies: number;
  }>`
    select u.code as unit, u.name,
      count(*) filter (where m.kind = 'invitation')::int as invitations,
      count(*) filter (where m.status in ('sent','delivered','failed') and m.sent_at is not null)::int as sent,
      count(*) filter (where m.status = 'delivered')::int as delivered,
      count(*) filter (where m.status in ('failed','dead'))::int as failed,
      count(*) filter (where m.status in ('queued','sending','uncertain'))::int as pending,
      count(*) filter (where m.skip_reason = 'opted_out')::int as skipped_opted_out,
      count(*) filter (where m.skip_reason = 'landline')::int as skipped_landline,
      count(*) filter (where m.skip_reason = 'answered')::int as skipped_answered,
      count(*) filter (where m.status = 'skipped' and m.skip_reason not in ('opted_out','landline','answered'))::int as skipped_other,
      count(*) filter (where m.kind = 'invitation' and m.replied_at is not null)::int as replies
    from sms_messages m join units u on u.id = m.unit_id
    where m.tenant_id = ${tenantId} and m.created_at >= ${b.start} and m.created_at < ${b.end}
      and m.kind in ('invitation','reminder','status') and ${scoped(scope)}
    group by u.code, u.name order by u.code`.execute(db);
  // A unit-scoped reader counts the opt-outs that answered its units' messages.
  const optOuts = await sql<{ n: number }>`
    select count(*)::int as n from sms_inbound i where i.tenant_id = ${tenantId} and i.kind = 'opt_out'
      and i.received_at >= ${b.start} and i.received_at < ${b.end}
      and ${scoped(scope, 'i')}`.execute(db);
  const ratings = await sql<{ unit: string; n: number; mean: number | null }>`
    select u.code as unit, count(*)::int as n, avg(i.rating)::float8 as mean
    from sms_inbound i join units u on u.id = i.unit_id
    where i.tenant_id = ${tenantId} and i.kind = 'rating' and i.received_at >= ${b.start} and i.received_at < ${b.end}
      and ${scoped(scope, 'i')}
    group by u.code`.execute(db);
  const byUnit = new Map(ratings.rows.map((r) => [r.unit, r]));
  return {
    period,
    optOuts: optOuts.rows[0]?.n ?? 0,
    units: rows.rows.map((r) => ({
      unit: r.unit,
      name: r.name,
      invitations: r.invitations,
      sent: r.sent,
      delivered: r.delivered,
      failed: r.failed,
      pending: r.pending,
      skipped: {
        optedOut: r.skipped_opted_out,
        landline: r.skipped_landline,
        answered: r.skipped_answered,
        other: r.skipped_other,
      },
      deliveryRate: r.sent ? r.delivered / r.sent : null,
      replies: r.replies,
      replyRate: r.invitations && r.sent ? r.replies / r.sent : null,
      ratings: byUnit.get(r.unit)?.n ?? 0,
      meanRating: byUnit.get(r.unit)?.mean ?? null,
    })),
  };
}

export async function listInbound(
  db: Executor,
  vault: Vault,
  tenantId: string,
  f: { kind?: string; unreviewed?: boolean; limit: number; offset: number },
) {
  let q = db
    .selectFrom('sms_inbound as i')
    .leftJoin('units as u', 'u.id', 'i.unit_id')
    .leftJoin('service_events as e', 'e.id', 'i.event_id')
    .where('i.tenant_id', '=', tenantId);
  if (f.kind) q = q.where('i.kind', '=', f.kind as 'feedback');
  if (f.unreviewed) q = q.where('i.reviewed_at', 'is', null);
  const rows = await q
    .select([
      'i.id',
      'i.kind',
      'i.rating',
      'i.from_enc',
      'i.text_enc',
      'i.received_at',
      'i.response_id',
      'i.reviewed_at',
      'i.reviewed_by',
      'u.code as unit',
      'e.external_id as dossier',
    ])
    .orderBy('i.received_at', 'desc')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
  const total = await q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirst();
  return {
    total: total?.n ?? 0,
    items: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      rating: r.rating,
      phoneMasked: maskPhone(readInboundPhone(vault, tenantId, Buffer.from(r.from_enc))),
      text: readInboundText(vault, tenantId, Buffer.from(r.text_enc)),
      receivedAt: new Date(r.received_at).toISOString(),
      unit: r.unit,
      dossier: r.dossier,
      responseId: r.response_id,
      reviewedAt: r.reviewed_at ? new Date(r.reviewed_at).toISOString() : null,
      reviewedBy: r.reviewed_by,
    })),
  };
}
