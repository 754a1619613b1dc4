-- The reference CPQ/OMS schema: PostgreSQL is the source of truth. Tables of contract section 4
-- plus the versioned reference data and the quote projection maintained by a consumer.

create table domain_version (
  tenant_id      text not null,
  domain         text not null check (domain in ('catalog', 'pricing', 'policy')),
  active_version integer not null check (active_version > 0),
  updated_at     timestamptz not null default now(),
  primary key (tenant_id, domain)
);

create table catalog_offering (
  tenant_id       text not null,
  catalog_version integer not null,
  offering_id     text not null,
  name            text not null,
  family          text not null,
  active          boolean not null,
  primary key (tenant_id, catalog_version, offering_id)
);

create table price_entry (
  tenant_id          text not null,
  price_list_version integer not null,
  currency           char(3) not null,
  offering_id        text not null,
  unit_price_cents   bigint not null check (unit_price_cents >= 0),
  primary key (tenant_id, price_list_version, currency, offering_id)
);

create table approval_policy (
  tenant_id                          text not null,
  policy_version                     integer not null,
  max_discount_pct_without_approval  numeric(5, 2) not null,
  primary key (tenant_id, policy_version)
);

create table quote (
  quote_id            uuid primary key,
  tenant_id           text not null,
  customer_id         text not null,
  currency            char(3) not null,
  state               text not null,
  revision            integer not null,
  items               jsonb not null,
  configuration_hash  text not null,
  catalog_version     integer,
  price_list_version  integer,
  policy_version      integer,
  lines               jsonb,
  total_cents         bigint,
  price_hash          text,
  approval_required   boolean,
  created_at          timestamptz not null,
  updated_at          timestamptz not null
);
create index quote_tenant on quote (tenant_id);

create table customer_order (
  order_id               uuid primary key,
  tenant_id              text not null,
  source_quote_id        uuid not null,
  source_quote_revision  integer not null,
  customer_id            text not null,
  currency               char(3) not null,
  total_cents            bigint not null,
  state                  text not null,
  created_at             timestamptz not null
);
-- The unique order key (created by the migration runner, so the planted bug
-- `convert-not-idempotent` can run without it): see migrate.ts.
create index customer_order_by_quote on customer_order (tenant_id, source_quote_id);

create table outbox_event (
  event_id           uuid primary key,
  seq                bigserial not null,
  tenant_id          text not null,
  aggregate_id       text not null,
  aggregate_version  integer not null,
  event_type         text not null,
  topic              text not null,
  payload            jsonb not null,
  status             text not null default 'pending' check (status in ('pending', 'claimed', 'published')),
  claimed_by         text,
  claimed_at         timestamptz,
  attempts           integer not null default 0,
  created_at         timestamptz not null,
  published_at       timestamptz
);
create index outbox_unpublished on outbox_event (seq) where status <> 'published';

create table inbox_message (
  consumer_name  text not null,
  event_id       uuid not null,
  processed_at   timestamptz not null default now(),
  primary key (consumer_name, event_id)
);

create table idempotency_record (
  tenant_id        text not null,
  idempotency_key  text not null,
  request_hash     text not null,
  response_status  integer,
  response_body    json,        -- json, not jsonb: a replay must be byte-identical (key order kept)
  created_at       timestamptz not null default now(),
  primary key (tenant_id, idempotency_key)
);

create table billing_trigger (
  billing_trigger_id  bigserial primary key,
  tenant_id           text not null,
  order_id            uuid not null,
  event_id            uuid not null,
  created_at          timestamptz not null default now()
);
create index billing_trigger_by_order on billing_trigger (tenant_id, order_id);

create table quote_projection (
  tenant_id   text not null,
  quote_id    uuid not null,
  state       text not null,
  revision    integer not null,
  order_id    uuid,
  updated_at  timestamptz not null,
  primary key (tenant_id, quote_id)
);
