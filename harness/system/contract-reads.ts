/**
 * Authoritative reads of contract section 4, for any system that keeps the contract's tables and
 * keys: `quote`, `customer_order` and `outbox_event` rows in PostgreSQL and the version pointers
 * in Redis, all through their direct URLs (never the proxies, never the system's own API). Source loads are
 * counted by PostgreSQL itself (pg_stat_statements), from statement patterns the system names —
 * the one thing that differs between systems under test.
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import { InfraError } from '../core/errors.ts';
import type { FinalOrder, FinalQuote, Ledger } from '../core/final-state.ts';
import type { EnvironmentEndpoints } from '../env/endpoints.ts';
import { projectionVersions, readLedger, undeliveredEvents, type DeliverySpec } from './ledger-reads.ts';
import type { AuthoritativeReads, SourceEntity } from './system.ts';

/** A system's own SQL for a read, over the tenants (`$1`), returning the contract table's columns. */
export interface ReadStatements {
  quotes?: string | undefined;
  orders?: string | undefined;
  pendingOutbox?: string | undefined;
}

/**
 * Reads over the direct URLs; `sourceStatements` are SQL LIKE patterns per entity (absent: the
 * system cannot count source loads), `delivery` what the consumers owe (effects exactly once,
 * projections in step) for the delivery ledger, `statements` a system's own SQL where its schema
 * differs from the contract's tables.
 */
export class ContractReads implements AuthoritativeReads {
  private readonly db: pg.Pool;

  constructor(
    private readonly endpoints: EnvironmentEndpoints,
    private readonly sourceStatements: Readonly<Record<SourceEntity, string>> | undefined,
    private readonly delivery: DeliverySpec = { effects: [], projections: [] },
    private readonly statements: ReadStatements = {},
  ) {
    this.db = new pg.Pool({ connectionString: endpoints.services.postgres.directUrl, max: 4 });
    this.db.on('error', () => undefined);
  }

  async quotes(tenants: readonly string[]): Promise<FinalQuote[]> {
    const { rows } = await this.db.query<FinalQuote>(
      this.statements.quotes ??
        `select tenant_id, quote_id, state, catalog_version, price_list_version, policy_version
         from quote where tenant_id = any($1) order by tenant_id, quote_id`,
      [tenants],
    );
    return rows;
  }

  async orders(tenants: readonly string[]): Promise<FinalOrder[]> {
    const { rows } = await this.db.query<FinalOrder>(
      this.statements.orders ??
        `select tenant_id, order_id, source_quote_id, source_quote_revision
         from customer_order where tenant_id = any($1) order by tenant_id, order_id`,
      [tenants],
    );
    return rows;
  }

  async footprint(tenants: readonly string[]): Promise<Record<string, number>> {
    const count = (table: string, what = 'count(*)') =>
      `(select ${what} from ${table} where tenant_id = any($1))::bigint::text`;
    const { rows } = await this.db.query<Record<string, string>>(
      `select ${count('quote')} as quotes, ${count('quote', 'coalesce(sum(revision), 0)')} as "quoteRevisions",
              ${count('customer_order')} as orders, ${count('outbox_event')} as events,
              ${count('idempotency_record')} as "idempotencyRecords", ${count('billing_trigger')} as "billingTriggers"`,
      [tenants],
    );
    return Object.fromEntries(Object.entries(rows[0] ?? {}).map(([k, v]) => [k, Number(v)]));
  }

  async pendingOutbox(tenants: readonly string[]): Promise<number> {
    // A system that names its own outbox statement and no count: the count from its rows.
    if (!this.statements.pendingOutbox && this.delivery.outbox) {
      const outbox = await this.db.query<{ status: string }>(this.delivery.outbox, [tenants]);
      return outbox.rows.filter((r) => r.status !== 'published').length;
    }
    const { rows } = await this.db.query<{ n: number }>(
      this.statements.pendingOutbox ??
        "select count(*)::int as n from outbox_event where tenant_id = any($1) and status <> 'published'",
      [tenants],
    );
    return rows[0]?.n ?? 0;
  }

  undelivered(tenants: readonly string[]): Promise<number> {
    return undeliveredEvents(this.db, tenants, this.delivery);
  }

  projectionVersions(tenants: readonly string[]): Promise<Record<string, Record<string, number>>> {
    return projectionVersions(this.db, tenants, this.delivery.projections);
  }

  ledger(tenants: readonly string[]): Promise<Ledger> {
    const broker = this.endpoints.services.kafka.directBrokers[0];
    if (!broker) throw new Error('the environment names no direct Kafka broker');
    return readLedger(this.db, broker, tenants, this.delivery);
  }

  async sourceLoads(entity: SourceEntity): Promise<number> {
    const pattern = this.sourceStatements?.[entity];
    if (!pattern)
      throw new InfraError(
        `the system names no statement that loads a${entity === 'offering' ? 'n' : ''} ${entity} (reads.sourceStatements)`,
      );
    const { rows } = await this.db.query<{ n: number }>(
      'select coalesce(sum(calls), 0)::int as n from pg_stat_statements where query like $1',
      [pattern],
    );
    return rows[0]?.n ?? 0;
  }

  async versionPointers(keys: readonly string[]): Promise<(number | null)[]> {
    if (keys.length === 0) return [];
    const redis = new Redis(this.endpoints.services.redis.directUrl, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      connectTimeout: 1000,
      commandTimeout: 1000,
    });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      return (await redis.mget(...keys)).map((v) => (v === null ? null : Number(v)));
    } finally {
      redis.disconnect();
    }
  }

  async close(): Promise<void> {
    await this.db.end().catch(() => undefined);
  }
}
