-- Indexes and keys a bulk load dropped so that it can rebuild each in one
-- sorted pass at the end instead of updating it row by row. Their definitions
-- wait here until they are rebuilt: a load that stops cannot lose them.
create table deferred_indexes (
  name text primary key,
  table_name text not null,
  definition text not null,
  deferred_at timestamptz not null default now()
);
