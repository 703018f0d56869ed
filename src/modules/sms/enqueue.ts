// Messages are written in the transaction that causes them, once per key
// (invite:<event>, status:<event>:..., list:<unit>:<period>): a replayed
// upsert or a job that runs twice finds the key taken and adds nothing.
import { type RawBuilder, sql } from 'kysely';
import type { Executor } from '../../db/index.ts';

/**
 * Statements for the event upsert, after its `up` step (the rows it wrote): an
 * invitation for each event newly returned with a mobile number not on the
 * do-not-contact list, and the status notices the tenant asked for. Nothing
 * happens unless the tenant turned these on.
 */
export function smsAfterEventWrites(tenantId: string): RawBuilder<unknown> {
  return sql`,
    sms_invites as (
      insert into sms_messages (tenant_id, message_key, kind, event_id, unit_id, not_before)
      select ${tenantId}::uuid, 'invite:' || up.id, 'invitation', up.id, up.unit_id,
        greatest(now(), up.returned_at + make_interval(mins => s.invitation_delay_minutes))
      from up join sms_settings s on s.tenant_id = ${tenantId}::uuid and s.invitations
      where up.status = 'returned' and up.prev_status is distinct from 'returned'
        and up.phone_kind = 'mobile' and up.citizen_phone_hash is not null
        and up.returned_at > now() - make_interval(hours => s.invitation_max_age_hours)
        and not exists (select 1 from do_not_contact d where d.tenant_id = ${tenantId}::uuid and d.phone_hash = up.citizen_phone_hash)
      on conflict (tenant_id, message_key) do nothing
    ),
    sms_notices as (
      insert into sms_messages (tenant_id, message_key, kind, event_id, unit_id, not_before)
      select ${tenantId}::uuid, n.key, 'status', up.id, up.unit_id, now()
      from up join sms_settings s on s.tenant_id = ${tenantId}::uuid and s.status_notifications
      cross join lateral (values
        (case when up.status = 'more_documents' and up.prev_status is distinct from 'more_documents'
          then 'status:' || up.id || ':more_documents' end),
        (case when up.status not in ('returned', 'cancelled') and up.promised_at > now()
          then 'status:' || up.id || ':promised:' || to_char(up.promised_at, 'YYYY-MM-DD') end)
      ) as n(key)
      where n.key is not null and up.kind = 'dossier' and up.phone_kind = 'mobile' and up.citizen_phone_hash is not null
        and coalesce(up.received_at, now()) > now() - interval '60 days'
        and not exists (select 1 from do_not_contact d where d.tenant_id = ${tenantId}::uuid and d.phone_hash = up.citizen_phone_hash)
      on conflict (tenant_id, message_key) do nothing
    )`;
}

/**
 * Reminder messages to units whose monthly list is late, for the reminders
 * just recorded (same transaction as the reminder record).
 */
export async function enqueueListReminders(db: Executor, tenantId: string, period: string): Promise<number> {
  const r = await sql`
    insert into sms_messages (tenant_id, message_key, kind, unit_id, phone_enc, phone_hash, not_before)
    select r.tenant_id, 'list:' || r.unit_id || ':' || r.period, 'list_reminder', r.unit_id, c.phone_enc, c.phone_hash, now()
    from list_reminders r
    join sms_settings s on s.tenant_id = r.tenant_id and s.list_reminders
    join sms_unit_contacts c on c.tenant_id = r.tenant_id and c.unit_id = r.unit_id
    where r.tenant_id = ${tenantId} and r.period = ${period}
    on conflict (tenant_id, message_key) do nothing`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/**
 * Reminders to people who were invited and have not answered after the
 * tenant's delay (one per event). Run by the dispatcher now and then.
 */
export async function enqueueSurveyReminders(db: Executor, now = new Date()): Promise<number> {
  const r = await sql`
    insert into sms_messages (tenant_id, message_key, kind, event_id, unit_id, not_before)
    select m.tenant_id, 'remind:' || m.event_id, 'reminder', m.event_id, m.unit_id, ${now}
    from sms_messages m
    join sms_settings s on s.tenant_id = m.tenant_id and s.reminder_after_hours is not null
    where m.kind = 'invitation' and m.status in ('sent', 'delivered') and m.replied_at is null
      and m.sent_at < ${now}::timestamptz - make_interval(hours => s.reminder_after_hours)
      and m.sent_at > ${now}::timestamptz - make_interval(hours => s.reminder_after_hours + 48)
      and not exists (select 1 from responses x where x.tenant_id = m.tenant_id and x.event_id = m.event_id)
    on conflict (tenant_id, message_key) do nothing`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}
