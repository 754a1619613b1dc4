-- The outbox is a queue: each row is inserted, claimed and marked published within moments, and every
-- claim walks the unpublished index (001) past the entries those updates left, until a vacuum removes
-- them; with the default threshold (a fifth of the table) that vacuum came seldom, and late. So the
-- outbox is vacuumed once a thousand of its rows are dead, at full speed (no cost delay).
alter table outbox_event set (
  autovacuum_vacuum_scale_factor = 0,
  autovacuum_vacuum_threshold = 1000,
  autovacuum_vacuum_cost_delay = 0
);
