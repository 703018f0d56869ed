-- Service events (dossiers and hospital visits): the sampling frame of the scorecard.

create table import_batches (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id),
  unit_id uuid references units(id),
  kind text check (kind in ('dossier','outpatient','inpatient')),
  filename text not null,
  sha256 text not null,
  bytes bigint not null,
  status text not null default 'running' check (status in ('running','done','failed')),
  header_row integer,
  mapping jsonb,
  rows integer not null default 0,
  accepted integer not null default 0,
  updated integer not null default 0,
  unchanged integer not null default 0,
  rejected integer not null default 0,
  errors jsonb not null default '[]'::jsonb,
  error_count integer not null default 0,
  quality jsonb not null default '{}'::jsonb,
  failure text,
  created_by_type text not null,
  created_by text,
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
create index import_batches_tenant on import_batches (tenant_id, created_at desc);

create table service_events (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id),
  unit_id uuid not null references units(id),
  kind text not null check (kind in ('dossier','outpatient','inpatient')),
  external_id text not null,
  service text,
  department text,
  received_at timestamptz,
  due_at timestamptz,
  returned_at timestamptz,
  promised_at timestamptz,
  -- Month (tenant time zone) of the return, or of reception while not returned.
  period text not null check (period ~ '^\d{4}-\d{2}$'),
  status text not null check (status in ('received','processing','more_documents','returned','cancelled')),
  -- The status before the last write: lets that write record a change without reading the row first.
  prev_status text,
  channel text check (channel in ('counter','online')),
  -- Name and phone, encrypted together by the vault (key outside the database).
  citizen_enc bytea,
  has_name boolean not null default false,
  citizen_phone_hash bytea,
  phone_kind text check (phone_kind in ('mobile','landline')),
  gender text check (gender in ('female','male','other')),
  ethnic_minority boolean,
  source text not null check (source in ('api','import')),
  import_batch_id uuid references import_batches(id),
  -- Hash of the normalised content: a replay with the same content changes nothing.
  content_hash bytea not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- external_id before unit_id: the same index serves the citizens' lookup by code alone.
  unique (tenant_id, external_id, unit_id)
);
-- Few indexes on purpose: monthly lists arrive by the million and every index slows them.
create index service_events_period on service_events (tenant_id, period, unit_id);

create table service_event_status_history (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references tenants(id),
  event_id uuid not null references service_events(id) on delete cascade,
  status text not null,
  at timestamptz not null,
  promised_at timestamptz,
  source text not null,
  recorded_at timestamptz not null default now()
);
create index service_event_status_history_event on service_event_status_history (tenant_id, event_id, at);

-- First arrival of each unit's monthly list (list compliance: due by the 5th by default).
create table list_submissions (
  tenant_id uuid not null references tenants(id),
  unit_id uuid not null references units(id),
  period text not null check (period ~ '^\d{4}-\d{2}$'),
  first_received_at timestamptz not null,
  last_received_at timestamptz not null,
  batches integer not null default 1,
  primary key (tenant_id, unit_id, period)
);

-- Reminders recorded for units whose list is late (sent by SMS once that channel exists).
create table list_reminders (
  tenant_id uuid not null references tenants(id),
  unit_id uuid not null references units(id),
  period text not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, unit_id, period)
);

-- Fixed-window counters shared by every app process (public endpoints).
create table rate_limits (
  key text not null,
  window_start timestamptz not null,
  hits integer not null,
  primary key (key, window_start)
);

-- Column mappings confirmed in the console, reused when the same layout comes again.
create table import_profiles (
  tenant_id uuid not null references tenants(id),
  unit_id uuid not null references units(id),
  -- search keys of the header cells, joined: identifies a file layout
  signature text not null,
  header_row integer not null,
  mapping jsonb not null,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, unit_id, signature)
);
