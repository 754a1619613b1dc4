/**
 * Ports of the source of truth: what the application needs from PostgreSQL, in a few methods per
 * role. Implemented by adapters/postgres; application code never writes SQL.
 */
import type { DomainEvent } from '../domain/events.ts';
import type { ApprovalPolicy, Offering, Order, PriceEntry, Quote, VersionedDomain } from '../domain/types.ts';

export type ActiveVersions = Partial<Record<VersionedDomain, number>>;

/** What submit revalidates against: the active versions and the content they point to. */
export interface SubmitBasis {
  versions: ActiveVersions;
  /** The policy at `versions.policy` (none published: undefined). */
  policy: ApprovalPolicy | undefined;
  /** Unit prices at `versions.pricing` of the offerings asked for that have one. */
  prices: Map<string, number>;
}

/** Active-version pointers of versioned reference data. */
export interface VersionPointers {
  /** Active version, locked FOR UPDATE for the rest of the transaction (a publisher moving it). */
  lockActive(tenantId: string, domain: VersionedDomain): Promise<number | undefined>;
  /** Active version without locking. */
  active(tenantId: string, domain: VersionedDomain): Promise<number | undefined>;
  /** Every domain's active version without locking, in one statement. */
  allActive(tenantId: string): Promise<ActiveVersions>;
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

/** What else a quote write checks or writes, in the same statement. */
export interface QuoteWriteOptions {
  /**
   * Write only while the tenant's active versions are exactly these — held FOR SHARE until the write
   * commits, so a publish in flight is waited for, then refuses the write.
   */
  pointers?: ActiveVersions;
  /** Store this response on the idempotency record `key` (claimed in the same transaction). */
  completes?: { key: string; status: number; body: unknown };
  /** Insert this order, only if the write matched (the unique order key still refuses a second one). */
  creates?: Order;
}

/**
 * Quotes. Each write appends its events to the outbox in the same statement — atomic on its own,
 * so a command that only writes needs no transaction around it.
 */
export interface Quotes {
  insert(quote: Quote, events: readonly DomainEvent[], now: Date): Promise<void>;
  get(tenantId: string, quoteId: string): Promise<Quote | undefined>;
  /**
   * The quote with what submit revalidates it against: every domain's active version, the active
   * policy and the active prices of its offerings in its currency — one statement, one snapshot, no
   * lock (a write that relies on them guards itself: `update` with `pointers`).
   */
  getWithBasis(tenantId: string, quoteId: string): Promise<{ quote: Quote; basis: SubmitBasis } | undefined>;
  /**
   * Writes `quote` and appends `events` if the stored revision is still `expectedRevision` (and what
   * `options` guard holds); false (nothing written) otherwise. `null` writes blindly — only the naive
   * conversion of the planted idempotency bugs does that.
   */
  update(
    quote: Quote,
    expectedRevision: number | null,
    events: readonly DomainEvent[],
    now: Date,
    options?: QuoteWriteOptions,
  ): Promise<boolean>;
}

/** Orders as read; one is created by its quote's conversion (`QuoteWriteOptions.creates`). */
export interface Orders {
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
  /**
   * Locks quote `quoteId` FOR UPDATE, then inserts a pending record under `key` — or, if one exists
   * (waiting for a concurrent holder), returns it as `existing` — in one round trip: what a
   * conversion needs before it decides. A quote write completes the record
   * (`QuoteWriteOptions.completes`). `quote` is undefined when there is no such quote (the claim is
   * still made; the caller's rollback removes it).
   */
  claimLockingQuote(
    tenantId: string,
    key: string,
    requestHash: string,
    quoteId: string,
  ): Promise<{ existing: IdempotencyRecord | undefined; quote: Quote | undefined }>;
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
