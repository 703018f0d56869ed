-- Tenants, the versioned unit tree, the service catalogue, staff, access and audit.
-- Every tenant-owned table carries tenant_id and every unique key includes it.

create table tenants (
  id uuid primary key default gen_random_uuid(),
  code text not null unique,
  name text not null,
  time_zone text not null default 'Asia/Ho_Chi_Minh',
  settings jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now()
);

-- A unit version: mergers and splits close a unit (valid_to) and name its
-- successor, so history keeps pointing at the unit that existed then.
create table units (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id),
  code text not null,
  name text not null,
  kind text not null check (kind in ('province','council','department','service_centre','one_stop_office',
    'district','commune','hospital','health_centre','other')),
  sector text check (sector in ('administration','health')),
  parent_id uuid references units(id),
  valid_from date not null default date '2000-01-01',
  valid_to date,
  successor_id uuid references units(id),
  kiosks integer not null default 0 check (kiosks >= 0),
  search_key text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, code),
  check (valid_to is null or valid_to >= valid_from),
  check (parent_id is null or parent_id <> id)
);
create index units_parent on units (tenant_id, parent_id);

-- Administrative procedures (thủ tục hành chính) and health service types.
create table services (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id),
  code text not null,
  name text not null,
  kind text not null check (kind in ('procedure','health_service')),
  sector text not null check (sector in ('administration','health')),
  field text,
  search_key text not null,
  created_at timestamptz not null default now(),
  unique (tenant_id, code)
);

create table users (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id),
  username text not null,
  display_name text not null,
  password_hash text not null,
  phone_enc bytea,
  phone_hash bytea,
  language text not null default 'vi' check (language in ('vi','en')),
  disabled_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  password_changed_at timestamptz not null default now(),
  unique (tenant_id, username)
);
create index users_phone_hash on users (tenant_id, phone_hash);

-- A role granted on a unit subtree; unit_id null means the whole tenant.
create table role_grants (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id),
  user_id uuid not null references users(id),
  role text not null check (role in ('admin','board','analyst','unit_manager','data_clerk','interviewer','hotline_operator')),
  unit_id uuid references units(id),
  created_at timestamptz not null default now(),
  created_by uuid references users(id)
);
create unique index role_grants_unique on role_grants (tenant_id, user_id, role, coalesce(unit_id, '00000000-0000-0000-0000-000000000000'::uuid));

-- Server-side sessions: only a hash of the token is stored.
create table sessions (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id),
  user_id uuid not null references users(id),
  token_hash bytea not null,
  csrf_token text not null,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  idle_expires_at timestamptz not null,
  expires_at timestamptz not null,
  revoked_at timestamptz,
  ip text,
  user_agent text,
  unique (tenant_id, token_hash)
);
create index sessions_token on sessions (token_hash);
create index sessions_user on sessions (tenant_id, user_id);
create index sessions_expiry on sessions (expires_at);

-- Named, scoped, revocable API tokens for unit systems (stored hashed).
create table api_tokens (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id),
  name text not null,
  token_hash bytea not null,
  prefix text not null,
  role text not null check (role in ('admin','board','analyst','unit_manager','data_clerk','interviewer','hotline_operator')),
  unit_id uuid references units(id),
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  expires_at timestamptz,
  revoked_at timestamptz,
  unique (tenant_id, token_hash)
);
create index api_tokens_token on api_tokens (token_hash);
create unique index api_tokens_active_name on api_tokens (tenant_id, name) where revoked_at is null;

-- Failed and successful logins, for throttling per account and per address.
create table login_attempts (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references tenants(id),
  username text not null,
  ip text not null,
  success boolean not null,
  at timestamptz not null default now()
);
create index login_attempts_user on login_attempts (tenant_id, username, at);
create index login_attempts_ip on login_attempts (ip, at);

-- Append-only, hash-chained audit log. audit_head holds the chain's tip, so
-- deleting the newest rows is detected too; it also serialises writers.
create table audit_log (
  tenant_id uuid not null references tenants(id),
  seq bigint not null,
  at timestamptz not null,
  actor_type text not null,
  actor_id text,
  actor_name text,
  action text not null,
  object_type text,
  object_id text,
  details jsonb not null default '{}'::jsonb,
  request_id text,
  prev_hash text not null,
  hash text not null,
  primary key (tenant_id, seq)
);
create table audit_head (
  tenant_id uuid primary key references tenants(id),
  seq bigint not null,
  hash text not null
);
