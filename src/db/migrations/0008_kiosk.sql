-- Rating tablets. The console issues a short pairing code for a unit; the
-- tablet trades it once for its own credential (only its hash is kept), which
-- an administrator can revoke. The last heartbeat is kept on the device row.
create table devices (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id),
  unit_id uuid not null references units(id),
  name text not null,
  credential_hash bytea not null,
  enrolled_at timestamptz not null default now(),
  enrolled_by uuid,
  revoked_at timestamptz,
  revoked_by uuid,
  last_seen_at timestamptz,
  app_version text,
  battery real,
  queue_length integer,
  -- the device's clock minus the server's at the last heartbeat
  clock_skew_ms bigint,
  -- the highest sequence number the device says it has given
  last_seq bigint,
  unique (tenant_id, credential_hash)
);
create index devices_unit on devices (tenant_id, unit_id);
-- A tablet is known by its credential alone (random, 256 bits): looked up across tenants.
create index devices_credential on devices (credential_hash);

create table device_pairings (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id),
  unit_id uuid not null references units(id),
  -- sha256 of the code: short codes are looked up, never stored
  code_hash bytea not null,
  created_by uuid not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  device_id uuid references devices(id),
  unique (tenant_id, code_hash)
);
create index device_pairings_code on device_pairings (code_hash);

-- The number each device gives its ratings in order: gaps and repeats show lost or replayed taps.
alter table responses add column device_seq bigint;
create index responses_device on responses (tenant_id, device_id, submitted_at) where device_id is not null;

-- When a unit serves (the silence alert and the misuse rules need it). ISO weekdays, 1 = Monday.
create table unit_opening_hours (
  tenant_id uuid not null references tenants(id),
  unit_id uuid not null references units(id),
  weekday smallint not null check (weekday between 1 and 7),
  opens time not null,
  closes time not null,
  check (closes > opens),
  primary key (tenant_id, unit_id, weekday, opens)
);

-- Days every unit of the tenant is closed (Tết, national holidays).
create table holidays (
  tenant_id uuid not null references tenants(id),
  day date not null,
  name text not null,
  primary key (tenant_id, day)
);

-- Recorded prompts the kiosk plays, per instrument, prompt and language
-- (Vietnamese and minority languages such as Vân Kiều and Pa Kô).
create table instrument_audio (
  tenant_id uuid not null references tenants(id),
  instrument_code text not null,
  -- an item code, a screen (intro, consent, thanks) or a reason option (list:code)
  prompt text not null,
  language text not null,
  content_type text not null,
  bytes bytea not null,
  sha256 text not null,
  uploaded_by uuid,
  uploaded_at timestamptz not null default now(),
  primary key (tenant_id, instrument_code, prompt, language)
);
