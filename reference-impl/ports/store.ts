/**
 * Ports of the source of truth: what the application needs from PostgreSQL, in a few methods per
 * role. Implemented by adapters/postgres; application code never writes SQL.
 */
import type { DomainEvent } from '../domain/events.ts';
import type { ApprovalPolicy, Offering, Order, PriceEntry, Quote, VersionedDomain } from '../domain/types.ts';

/** Active-version pointers of versioned reference data. */
export interface VersionPointers {
  /** Active version, locked FOR UPDATE for the rest of the transaction (a publisher moving it). */
  lockActive(tenantId: string, domain: VersionedDomain): Promise<number | undefined>;
  /** Every domain's active version in one statement, each locked FOR SHARE for the rest of the transaction. */
  shareActive(tenantId: string): Promise<Partial<Record<VersionedDomain, number>>>;
  /** Active version without locking. */
  active(tenantId: string, domain: VersionedDomain): Promise<number | undefined>;
  setActive(tenantId: string, domain: VersionedDomain, version: number): Promise<void>;
}

/** Versioned reference data: immutable once written. */
export interface ReferenceData {
  insertOfferings(tenantId: string, version: number, offerings: readonly Offering[]): Promise<void>;
  offerings(tenantId: string, version: number, offeringIds: readonly string[]): Promise<Map<string, Offering>>;
  /** Writes `entries` for `currency` at `version`, carrying other currencies over from `previous`. */
  insertPrices(
    tenantId: string,
    version: number,
    currency: string,
    entries: readonly PriceEntry[],
    previous: number | undefined,
  ): Promise<void>;
  prices(
    tenantId: string,
    version: number,
    currency: string,
    offeringIds: readonly string[],
  ): Promise<Map<string, number>>;
  insertPolicy(tenantId: string, version: number, policy: ApprovalPolicy): Promise<void>;
  policy(tenantId: string, version: number): Promise<ApprovalPolicy | undefined>;
}

export interface Quotes {
  insert(quote: Quote): Promise<void>;
  get(tenantId: string, quoteId: string, lock?: 'for update'): Promise<Quote | undefined>;
  /**
   * Writes `quote` if the stored revision is still `expectedRevision`; false otherwise. `null`
   * writes blindly — only the naive conversion of the planted idempotency bugs does that.
   */
  update(quote: Quote, expectedRevision: number | null): Promise<boolean>;
}

export interface Orders {
  insert(order: Order): Promise<void>;
  get(tenantId: string, orderId: string): Promise<Order | undefined>;
  byQuote(tenantId: string, quoteId: string): Promise<Order[]>;
}

/** Events to publish, written in the same transaction as the change they describe. */
export interface Outbox {
  append(tenantId: string, events: readonly DomainEvent[], now: Date): Promise<string[]>;
}

/** Stored outcome of a request under an idempotency key. */
export interface IdempotencyRecord {
  requestHash: string;
  responseStatus: number | undefined;
  responseBody: unknown;
}

export interface IdempotencyRecords {
  /** Inserts a pending record; if one exists (waiting for a concurrent holder), returns it. */
  claim(tenantId: string, key: string, requestHash: string): Promise<IdempotencyRecord | undefined>;
  complete(tenantId: string, key: string, status: number, body: unknown): Promise<void>;
}

/** Everything available inside one transaction. */
export interface TxStore {
  pointers: VersionPointers;
  reference: ReferenceData;
  quotes: Quotes;
  orders: Orders;
  outbox: Outbox;
  idempotency: IdempotencyRecords;
}

/** The unit of work: one transaction around `fn`, rolled back if it throws. */
export interface Store extends TxStore {
  transaction<T>(fn: (tx: TxStore) => Promise<T>): Promise<T>;
}
