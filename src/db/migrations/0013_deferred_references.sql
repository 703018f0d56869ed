-- A bulk load may set aside a primary key that other tables' foreign keys
-- reference. Those foreign keys are set aside with it and recorded here too,
-- to be put back once every key they may need has been rebuilt.
alter table deferred_indexes add column after_keys boolean not null default false;
