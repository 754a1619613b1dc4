/**
 * Quote rows and the outbox. A quote write and its events go in one statement (a data-modifying
 * WITH): as atomic as a transaction of two, at one round trip instead of four when nothing else
 * shares the transaction, one fewer when something does.
 */
import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '../../domain/events.ts';
import type { Quote } from '../../domain/types.ts';
import type { Outbox, QuoteWriteOptions, Quotes } from '../../ports/store.ts';
import type { Prepared } from './prepared.ts';
import { quoteParams, toQuote, toSubmitBasis, type BasisColumns, type QuoteRow } from './rows.ts';

const QUOTE_COLUMNS = `customer_id = $3, currency = $4, state = $5, revision = $6, items = $7, configuration_hash = $8,
  catalog_version = $9, price_list_version = $10, policy_version = $11, lines = $12, total_cents = $13,
  price_hash = $14, approval_required = $15, created_at = $16, updated_at = $17`;

/**
 * An insert of `events` into the outbox, in their order, from a jsonb parameter (`outboxRows`);
 * `$tenant`, `$now` and `$rows` name its parameters, `where` guards it.
 */
function outboxInsert(tenant: string, now: string, rows: string, where = ''): string {
  return `insert into outbox_event (event_id, tenant_id, aggregate_id, aggregate_version, event_type, topic, payload, created_at)
    select e.event_id, ${tenant}, e.aggregate_id, e.aggregate_version, e.event_type, e.topic, e.payload, ${now}
    from jsonb_to_recordset(${rows}::jsonb) as e(ord integer, event_id uuid, aggregate_id text, aggregate_version integer, event_type text, topic text, payload jsonb)
    ${where} order by e.ord`;
}

/** `events` as the jsonb parameter of `outboxInsert`, each with a new event id (returned too). */
function outboxRows(events: readonly DomainEvent[]): { ids: string[]; json: string } {
  const ids = events.map(() => randomUUID());
  const json = JSON.stringify(
    events.map((e, i) => ({
      ord: i,
      event_id: ids[i],
      aggregate_id: e.aggregateId,
      aggregate_version: e.aggregateVersion,
      event_type: e.type,
      topic: e.topic,
      payload: e.payload,
    })),
  );
  return { ids, json };
}

export function outboxOn(db: Prepared): Outbox {
  return {
    async append(tenantId: string, events: readonly DomainEvent[], now: Date) {
      const { ids, json } = outboxRows(events);
      if (events.length > 0) await db.query(outboxInsert('$1', '$2', '$3'), [tenantId, now, json]);
      return ids;
    },
  };
}

export function quotesOn(db: Prepared): Quotes {
  return {
    async insert(quote: Quote, events: readonly DomainEvent[], now: Date) {
      await db.query(
        `with created as (
           insert into quote (quote_id, tenant_id, customer_id, currency, state, revision, items, configuration_hash,
             catalog_version, price_list_version, policy_version, lines, total_cents, price_hash, approval_required, created_at, updated_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17))
         ${outboxInsert('$2', '$18', '$19')}`,
        [...quoteParams(quote), now, outboxRows(events).json],
      );
    },
    async get(tenantId: string, quoteId: string) {
      const { rows } = await db.query<QuoteRow>('select * from quote where tenant_id = $1 and quote_id = $2', [
        tenantId,
        quoteId,
      ]);
      return rows[0] ? toQuote(rows[0]) : undefined;
    },
    async getWithBasis(tenantId: string, quoteId: string) {
      // The pointers read once, and what they point to with them: the policy, and the prices of the
      // quote's offerings (from its items) in its currency.
      const { rows } = await db.query<QuoteRow & BasisColumns>(
        `with q as materialized (select * from quote where tenant_id = $1 and quote_id = $2),
           v as materialized (select domain, active_version from domain_version where tenant_id = $1)
         select q.*, (select jsonb_object_agg(domain, active_version) from v) as basis_versions,
           (select max_discount_pct_without_approval from approval_policy
            where tenant_id = $1 and policy_version = (select active_version from v where domain = 'policy')) as basis_max,
           (select jsonb_object_agg(offering_id, unit_price_cents) from price_entry
            where tenant_id = $1 and price_list_version = (select active_version from v where domain = 'pricing')
              and currency = q.currency
              and offering_id in (select item->>'offeringId' from jsonb_array_elements(q.items) as item)) as basis_prices
         from q`,
        [tenantId, quoteId],
      );
      const row = rows[0];
      return row ? { quote: toQuote(row), basis: toSubmitBasis(row) } : undefined;
    },
    async update(
      quote: Quote,
      expectedRevision: number | null,
      events: readonly DomainEvent[],
      now: Date,
      { pointers, completes, creates }: QuoteWriteOptions = {},
    ) {
      // Every part of a WITH runs to completion; the outbox insert (and the idempotency record, and
      // the order a conversion creates) see whether the update matched. Guarded, the pointers are locked FOR SHARE in domain order (as
      // every reader of several does) before the quote row: a publish in flight is waited for, then
      // seen (and the write refused).
      const params: unknown[] = [...quoteParams(quote), expectedRevision, now, outboxRows(events).json];
      const param = (value: unknown) => `$${params.push(value)}`;
      const parts = [];
      let guard = 'and ($18::integer is null or revision = $18)';
      if (pointers) {
        parts.push(
          `pointers as materialized (select domain, active_version from domain_version where tenant_id = $2 order by domain for share)`,
        );
        guard = `and revision = $18 and coalesce((select jsonb_object_agg(domain, active_version) from pointers), '{}'::jsonb) = ${param(JSON.stringify(pointers))}::jsonb`;
      }
      parts.push(
        `changed as (update quote set ${QUOTE_COLUMNS} where quote_id = $1 and tenant_id = $2 ${guard} returning 1)`,
        `appended as (${outboxInsert('$2', '$19', '$20', 'where exists (select from changed)')})`,
      );
      if (completes)
        parts.push(`completed as (update idempotency_record set response_status = ${param(completes.status)},
           response_body = ${param(JSON.stringify(completes.body))}
           where tenant_id = $2 and idempotency_key = ${param(completes.key)} and exists (select from changed))`);
      if (creates) {
        const values = [
          creates.orderId,
          creates.tenantId,
          creates.sourceQuoteId,
          creates.sourceQuoteRevision,
          creates.customerId,
          creates.currency,
          creates.totalCents,
          creates.state,
          creates.createdAt,
        ].map(param);
        parts.push(`created as (insert into customer_order (order_id, tenant_id, source_quote_id, source_quote_revision,
           customer_id, currency, total_cents, state, created_at)
           select ${values.join(', ')} where exists (select from changed))`);
      }
      const { rows } = await db.query<{ changed: number }>(
        `with ${parts.join(',\n')} select count(*)::int as changed from changed`,
        params,
      );
      return rows[0]?.changed === 1;
    },
  };
}
