-- An outbox row an operator set aside ('failed': a dead letter) is neither pending nor published:
-- reconcile reports it as stuck, and no relay claims it again until someone sets it back to pending.
alter table outbox_event drop constraint if exists outbox_event_status_check;
alter table outbox_event add constraint outbox_event_status_check
  check (status in ('pending', 'claimed', 'published', 'failed'));
