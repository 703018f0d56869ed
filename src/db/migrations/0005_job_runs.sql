-- One row per run of a background job: which process ran it, when, and how it ended.
-- Operators see what ran; the two-process test proves each queued job runs once.
create table job_runs (
  id bigint generated always as identity primary key,
  job_id text not null,
  name text not null,
  process text not null,
  attempt integer not null,
  started_at timestamptz not null,
  finished_at timestamptz not null,
  status text not null check (status in ('ok', 'failed')),
  error text
);
create index job_runs_name on job_runs (name, started_at desc);
create index job_runs_job on job_runs (job_id);
