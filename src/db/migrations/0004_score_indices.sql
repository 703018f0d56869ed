-- Score indices: versioned definitions per tenant (src/modules/scoring/definition.ts).
-- Each version is frozen once written: a score names the version it was computed with.
create table score_indices (
  tenant_id uuid not null references tenants(id),
  code text not null check (code ~ '^[A-Z][A-Z0-9_]{1,39}$'),
  builtin boolean not null default false,
  current_version integer not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, code)
);

create table score_index_versions (
  tenant_id uuid not null,
  code text not null,
  version integer not null check (version >= 1),
  definition jsonb not null,
  note text,
  created_by text,
  created_at timestamptz not null default now(),
  primary key (tenant_id, code, version),
  foreign key (tenant_id, code) references score_indices (tenant_id, code)
);

create function score_index_version_frozen() returns trigger language plpgsql as $$
begin
  raise exception 'index version %/% is frozen', old.code, old.version
    using errcode = '55000', constraint = 'score_index_version_frozen';
end $$;
create trigger score_index_versions_frozen before update or delete on score_index_versions
  for each row execute function score_index_version_frozen();

-- Scores read the counts of one instrument and channel over a range of days,
-- per-respondent formulas read the raw answers the same way, and on-time
-- indices read the events returned in a period.
create index response_rollups_period on response_rollups (tenant_id, instrument_id, channel, day);
create index responses_scores on responses (tenant_id, instrument_id, channel, day) where status = 'complete';
create index service_events_returned on service_events (tenant_id, returned_at) where returned_at is not null;
create index service_events_due on service_events (tenant_id, due_at) where returned_at is null;
