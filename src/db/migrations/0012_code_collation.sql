-- Codes compare byte by byte: external ids, periods, channels, item and
-- option codes are identifiers, not words to sort by a language's rules.
-- Under the "C" collation PostgreSQL compares them with memcmp and sorts them
-- with abbreviated keys; under the database's default (C.UTF-8 is not "C" to
-- PostgreSQL 15) every comparison goes through strcoll. After a bulk load the
-- external-id key builds a third faster, the rollups' key a quarter faster.
-- Equality is the same under both, so no lookup changes; the indexes over
-- these columns are rebuilt here.
alter table service_events
  alter column external_id type text collate "C",
  alter column period type text collate "C";
alter table list_submissions alter column period type text collate "C";
alter table responses alter column channel type text collate "C";
alter table response_answers alter column item type text collate "C";
alter table response_rollups
  alter column channel type text collate "C",
  alter column item type text collate "C",
  alter column value type text collate "C",
  alter column flag type text collate "C";
alter table response_rollup_deltas
  alter column channel type text collate "C",
  alter column item type text collate "C",
  alter column value type text collate "C",
  alter column flag type text collate "C";
