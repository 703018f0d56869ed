-- An event's unit and tenant are checked as one pair: the unit must belong to
-- the event's tenant (it was two separate checks, which allowed another
-- tenant's unit), and a monthly list of a million rows pays for one reference
-- check per row instead of two.
alter table units add constraint units_tenant_id_key unique (tenant_id, id);
alter table service_events
  drop constraint service_events_tenant_id_fkey,
  drop constraint service_events_unit_id_fkey,
  add constraint service_events_unit_fkey foreign key (tenant_id, unit_id) references units (tenant_id, id);
