-- Published scores: a period's figures frozen with the index versions used and a
-- hash of their inputs. Before publication unit managers may reply (right of
-- reply) until reply_until; every recomputation during review is logged.
create table score_snapshots (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id),
  period text not null,
  sector text not null check (sector in ('administration','health')),
  status text not null check (status in ('review','published')),
  -- {"MSCORE_SATISFACTION": 1, ...}: the index versions the figures were computed with
  method jsonb not null,
  method_version text not null,
  inputs_hash text not null,
  -- [{index, version, channel, ranked, province, rows}]
  results jsonb not null,
  reply_until timestamptz not null,
  created_by text,
  created_at timestamptz not null default now(),
  published_at timestamptz,
  published_by text
);
create index score_snapshots_period on score_snapshots (tenant_id, sector, period, published_at desc);

-- A published snapshot is frozen: what the public saw can always be shown again.
create function score_snapshot_frozen() returns trigger language plpgsql as $$
begin
  if old.status = 'published' then
    raise exception 'snapshot % is published and cannot change', old.id
      using errcode = '55000', constraint = 'score_snapshot_frozen';
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end $$;
create trigger score_snapshots_frozen before update or delete on score_snapshots
  for each row execute function score_snapshot_frozen();

create table score_snapshot_replies (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id),
  snapshot_id uuid not null references score_snapshots(id),
  unit_id uuid not null references units(id),
  text text not null check (length(text) between 1 and 4000),
  author text not null,
  created_at timestamptz not null default now()
);
create index score_snapshot_replies_snapshot on score_snapshot_replies (snapshot_id, created_at);

create table score_snapshot_corrections (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references tenants(id),
  snapshot_id uuid not null references score_snapshots(id),
  reason text not null,
  old_hash text not null,
  new_hash text not null,
  changed_rows integer not null,
  by text not null,
  at timestamptz not null default now()
);
