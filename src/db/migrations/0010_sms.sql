-- SMS: settings and templates per tenant, the outbound messages (which are
-- also their own outbox: a message is written in the transaction that causes
-- it, under a unique key, and a dispatcher sends it), delivery reports, and
-- the messages citizens send back.

create table sms_settings (
  tenant_id uuid primary key references tenants(id),
  -- invitations after returned dossiers and finished visits
  invitations boolean not null default false,
  -- how a citizen answers: reply a digit (SMS instrument) or a one-time web link
  invitation_mode text not null default 'reply' check (invitation_mode in ('reply','link')),
  invitation_delay_minutes integer not null default 30 check (invitation_delay_minutes between 0 and 10080),
  -- a return older than this when it reaches us is not invited (old lists)
  invitation_max_age_hours integer not null default 72 check (invitation_max_age_hours between 1 and 720),
  -- null: no reminder
  reminder_after_hours integer check (reminder_after_hours between 1 and 168),
  status_notifications boolean not null default false,
  list_reminders boolean not null default false,
  -- sending hours, local time of the tenant: [from, to)
  send_from smallint not null default 7 check (send_from between 0 and 23),
  send_to smallint not null default 21 check (send_to between 1 and 24 and send_to > send_from),
  gateway text not null default 'recorder' check (gateway in ('recorder','smpp','http')),
  -- the gateway's settings (addresses, accounts, passwords), encrypted as one JSON text
  gateway_config_enc bytea,
  -- brandname, short code or long number the messages come from
  sender text check (length(sender) <= 20),
  -- keyed hash of the token a Kannel-style gateway puts in its calls back to us
  callback_token_hash bytea,
  max_attempts integer not null default 8 check (max_attempts between 1 and 50),
  updated_by text,
  updated_at timestamptz not null default now()
);
-- the tenant a gateway callback is for (tokens are derived from the tenant id: no two alike)
create index sms_settings_callback on sms_settings (callback_token_hash) where callback_token_hash is not null;

-- Texts per tenant and kind; absent kinds use the built-in texts.
create table sms_templates (
  tenant_id uuid not null references tenants(id),
  kind text not null check (kind in ('invitation','reminder','status','list_reminder','thanks','opt_out')),
  body text not null check (length(body) between 1 and 1000),
  updated_by text,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, kind)
);

-- Who at a unit receives its reminders (late monthly list).
create table sms_unit_contacts (
  tenant_id uuid not null references tenants(id),
  unit_id uuid not null references units(id),
  name text,
  phone_enc bytea not null,
  phone_hash bytea not null,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, unit_id)
);

create table sms_messages (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id),
  -- what the message is for, once: invite:<event>, remind:<event>, status:<event>:<status>,
  -- list:<unit>:<period>, thanks:<inbound>, optout:<inbound>
  message_key text not null,
  kind text not null check (kind in ('invitation','reminder','status','list_reminder','thanks','opt_out')),
  event_id uuid references service_events(id),
  unit_id uuid references units(id),
  -- the number, when it is not the event's (unit contacts, replies); encrypted
  phone_enc bytea,
  phone_hash bytea,
  -- filled when sent: the text as it left, its encoding and parts
  body text,
  encoding text check (encoding in ('gsm7','ucs2')),
  parts smallint,
  -- queued -> sending -> sent -> delivered | failed; skipped (not sent, see reason);
  -- uncertain (the gateway may have it: never resent by itself); dead (gave up retrying)
  status text not null default 'queued'
    check (status in ('queued','sending','sent','delivered','failed','skipped','uncertain','dead')),
  skip_reason text,
  not_before timestamptz not null default now(),
  attempts integer not null default 0,
  lease_until timestamptz,
  last_error text,
  gateway text,
  delivery_state text,
  delivery_error text,
  sent_at timestamptz,
  delivered_at timestamptz,
  replied_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, message_key)
);
create index sms_messages_due on sms_messages (not_before) where status = 'queued';
create index sms_messages_log on sms_messages (tenant_id, created_at desc);
create index sms_messages_event on sms_messages (tenant_id, event_id);
-- the latest invitation to a number is what a reply answers
create index sms_messages_reply on sms_messages (tenant_id, phone_hash, sent_at desc) where kind in ('invitation','reminder');
create index sms_messages_sending on sms_messages (lease_until) where status = 'sending';

-- The gateway's ids of a message (one per part over SMPP), for its delivery reports.
create table sms_gateway_ids (
  tenant_id uuid not null references tenants(id),
  gateway_message_id text not null,
  message_id uuid not null references sms_messages(id),
  part smallint not null,
  primary key (tenant_id, gateway_message_id)
);
create index sms_gateway_ids_message on sms_gateway_ids (message_id);

-- Every report as received (once per content): they come out of order, more
-- than once, and sometimes before we know the gateway's id.
create table sms_delivery_reports (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references tenants(id),
  message_id uuid references sms_messages(id),
  gateway_message_id text,
  state text not null,
  at timestamptz not null,
  error text,
  raw text,
  received_at timestamptz not null default now()
);
create unique index sms_delivery_reports_once on sms_delivery_reports
  (tenant_id, coalesce(message_id::text, ''), coalesce(gateway_message_id, ''), state, at);
create index sms_delivery_reports_message on sms_delivery_reports (message_id);
create index sms_delivery_reports_orphan on sms_delivery_reports (tenant_id, gateway_message_id) where message_id is null;

-- Messages from citizens: replies to a survey, opt-outs, anything else (kept for review).
create table sms_inbound (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id),
  from_enc bytea not null,
  from_hash bytea not null,
  to_addr text,
  text_enc bytea not null,
  received_at timestamptz not null,
  gateway_ref text,
  kind text not null check (kind in ('rating','comment','opt_out','feedback')),
  rating smallint,
  message_id uuid references sms_messages(id),
  event_id uuid references service_events(id),
  unit_id uuid references units(id),
  response_id uuid,
  reviewed_at timestamptz,
  reviewed_by text,
  created_at timestamptz not null default now()
);
create unique index sms_inbound_once on sms_inbound (tenant_id, gateway_ref) where gateway_ref is not null;
create index sms_inbound_log on sms_inbound (tenant_id, received_at desc);
create index sms_inbound_review on sms_inbound (tenant_id, received_at desc) where kind = 'feedback' and reviewed_at is null;

-- Whether each tenant's gateway is reachable, for the console and the outage alert.
create table sms_gateway_state (
  tenant_id uuid primary key references tenants(id),
  up boolean not null,
  since timestamptz not null,
  last_error text,
  alerted_at timestamptz,
  updated_at timestamptz not null default now()
);
