/**
 * The PostgreSQL implementation of the store ports. Every method runs on the given client, so the
 * same code serves plain reads (pool) and transactions (one client between begin and commit).
 */
import type pg from 'pg';
import type { ApprovalPolicy, Offering, PriceEntry, VersionedDomain } from '../../domain/types.ts';
import type { ActiveVersions, IdempotencyRecord, Store, TxStore } from '../../ports/store.ts';
import { inTransaction, type TransactionOptions } from './pool.ts';
import { prepared, type Queryable } from './prepared.ts';
import { outboxOn, quotesOn } from './quote-store.ts';
import { toOrder, toQuote, type OrderRow, type QuoteRow } from './rows.ts';

/** The store ports bound to one client (or the pool). */
export function storeOn(client: Queryable): TxStore {
  const db = prepared(client);
  /** The record under `key` as it stands now (a new statement: a new snapshot). */
  const existingRecord = async (tenantId: string, key: string): Promise<IdempotencyRecord | undefined> => {
    const { rows } = await db.query<{ request_hash: string; response_status: number | null; response_body: unknown }>(
      'select request_hash, response_status, response_body from idempotency_record where tenant_id = $1 and idempotency_key = $2',
      [tenantId, key],
    );
    const row = rows[0];
    return row
      ? {
          requestHash: row.request_hash,
          responseStatus: row.response_status ?? undefined,
          responseBody: row.response_body,
        }
      : undefined;
  };
  return {
    pointers: {
      async lockActive(tenantId: string, domain: VersionedDomain) {
        // Publishers also serialize on an advisory lock: the first publish has no row to lock yet.
        await db.query("select pg_advisory_xact_lock(hashtextextended($1 || ':' || $2, 0))", [tenantId, domain]);
        const { rows } = await db.query<{ active_version: number }>(
          'select active_version from domain_version where tenant_id = $1 and domain = $2 for update',
          [tenantId, domain],
        );
        return rows[0]?.active_version;
      },
      async allActive(tenantId: string) {
        const { rows } = await db.query<{ domain: VersionedDomain; active_version: number }>(
          'select domain, active_version from domain_version where tenant_id = $1',
          [tenantId],
        );
        return Object.fromEntries(rows.map((r) => [r.domain, r.active_version])) as ActiveVersions;
      },
      async active(tenantId: string, domain: VersionedDomain) {
        const { rows } = await db.query<{ active_version: number }>(
          'select active_version from domain_version where tenant_id = $1 and domain = $2',
          [tenantId, domain],
        );
        return rows[0]?.active_version;
      },
      async setActive(tenantId: string, domain: VersionedDomain, version: number) {
        await db.query(
          `insert into domain_version (tenant_id, domain, active_version) values ($1, $2, $3)
           on conflict (tenant_id, domain) do update set active_version = excluded.active_version, updated_at = now()`,
          [tenantId, domain, version],
        );
      },
    },
    reference: {
      async insertOfferings(tenantId: string, version: number, offerings: readonly Offering[]) {
        await db.query(
          `insert into catalog_offering (tenant_id, catalog_version, offering_id, name, family, active)
           select $1, $2, o.offering_id, o.name, o.family, o.active
           from jsonb_to_recordset($3::jsonb) as o(offering_id text, name text, family text, active boolean)`,
          [
            tenantId,
            version,
            JSON.stringify(
              offerings.map((o) => ({ offering_id: o.offeringId, name: o.name, family: o.family, active: o.active })),
            ),
          ],
        );
      },
      async offerings(tenantId: string, version: number, offeringIds: readonly string[]) {
        const { rows } = await db.query<{ offering_id: string; name: string; family: string; active: boolean }>(
          'select offering_id, name, family, active from catalog_offering where tenant_id = $1 and catalog_version = $2 and offering_id = any($3)',
          [tenantId, version, offeringIds],
        );
        return new Map(
          rows.map((r) => [
            r.offering_id,
            { offeringId: r.offering_id, name: r.name, family: r.family, active: r.active },
          ]),
        );
      },
      async insertPrices(
        tenantId: string,
        version: number,
        currency: string,
        entries: readonly PriceEntry[],
        previous: number | undefined,
      ) {
        await db.query(
          `insert into price_entry (tenant_id, price_list_version, currency, offering_id, unit_price_cents)
           select $1, $2, $3, e.offering_id, e.unit_price_cents
           from jsonb_to_recordset($4::jsonb) as e(offering_id text, unit_price_cents bigint)`,
          [
            tenantId,
            version,
            currency,
            JSON.stringify(entries.map((e) => ({ offering_id: e.offeringId, unit_price_cents: e.unitPriceCents }))),
          ],
        );
        if (previous !== undefined) {
          await db.query(
            `insert into price_entry (tenant_id, price_list_version, currency, offering_id, unit_price_cents)
             select tenant_id, $2, currency, offering_id, unit_price_cents from price_entry
             where tenant_id = $1 and price_list_version = $3 and currency <> $4`,
            [tenantId, version, previous, currency],
          );
        }
      },
      async prices(tenantId: string, version: number, currency: string, offeringIds: readonly string[]) {
        const { rows } = await db.query<{ offering_id: string; unit_price_cents: number }>(
          `select offering_id, unit_price_cents from price_entry
           where tenant_id = $1 and price_list_version = $2 and currency = $3 and offering_id = any($4)`,
          [tenantId, version, currency, offeringIds],
        );
        return new Map(rows.map((r) => [r.offering_id, r.unit_price_cents]));
      },
      async insertPolicy(tenantId: string, version: number, policy: ApprovalPolicy) {
        await db.query(
          'insert into approval_policy (tenant_id, policy_version, max_discount_pct_without_approval) values ($1, $2, $3)',
          [tenantId, version, policy.maxDiscountPctWithoutApproval],
        );
      },
      async policy(tenantId: string, version: number) {
        const { rows } = await db.query<{ max: number }>(
          'select max_discount_pct_without_approval as max from approval_policy where tenant_id = $1 and policy_version = $2',
          [tenantId, version],
        );
        return rows[0] ? { maxDiscountPctWithoutApproval: rows[0].max } : undefined;
      },
    },
    quotes: quotesOn(db),
    orders: {
      async get(tenantId: string, orderId: string) {
        const { rows } = await db.query<OrderRow>(
          'select * from customer_order where tenant_id = $1 and order_id = $2',
          [tenantId, orderId],
        );
        return rows[0] ? toOrder(rows[0]) : undefined;
      },
      async byQuote(tenantId: string, quoteId: string) {
        const { rows } = await db.query<OrderRow>(
          'select * from customer_order where tenant_id = $1 and source_quote_id = $2 order by created_at',
          [tenantId, quoteId],
        );
        return rows.map(toOrder);
      },
    },
    outbox: outboxOn(db),
    idempotency: {
      async claimLockingQuote(tenantId: string, key: string, requestHash: string, quoteId: string) {
        // The quote row is locked (its CTE is scanned first), then the key claimed: a request with
        // the same key waits at one lock or the other for this one's outcome. A claim that meets a
        // record reads it in a statement of its own: this statement's snapshot predates a holder
        // it waited for, and would not show its response.
        const { rows } = await db.query<QuoteRow & { claimed_now: number }>(
          `with locked as materialized (select * from quote where tenant_id = $1 and quote_id = $2 for update),
             claimed as (insert into idempotency_record (tenant_id, idempotency_key, request_hash) values ($1, $3, $4)
               on conflict (tenant_id, idempotency_key) do nothing returning 1)
           select l.*, (select count(*) from claimed)::int as claimed_now from (select) as one left join locked l on true`,
          [tenantId, quoteId, key, requestHash],
        );
        const row = rows[0];
        const quote = row?.quote_id == null ? undefined : toQuote(row);
        return { existing: row?.claimed_now === 1 ? undefined : await existingRecord(tenantId, key), quote };
      },
    },
  };
}

/** The store on a pool: plain calls use the pool, `transaction` one client. */
export function postgresStore(pool: pg.Pool, options: TransactionOptions = {}): Store {
  return {
    ...storeOn(pool),
    transaction: (fn) => inTransaction(pool, (client) => fn(storeOn(client)), options),
  };
}
