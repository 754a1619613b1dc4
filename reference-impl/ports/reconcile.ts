/**
 * The port reconciliation reads PostgreSQL through: the truth to compare caches and asynchronous
 * effects with. Read-only; implemented by adapters/postgres (the application writes no SQL).
 */
import type { VersionedDomain } from '../domain/types.ts';

/** An outbox row not published past its age. */
export interface StuckOutboxRow {
  eventId: string;
  status: string;
  eventType: string;
}

/** An order whose billing effects are not exactly one. */
export interface BillingCount {
  orderId: string;
  effects: number;
}

/** A quote whose projection differs from it (or is missing). */
export interface ProjectionDrift {
  quoteId: string;
  state: string;
  revision: number;
  projected: { state: string; revision: number | null } | null;
}

export interface ReconcileSource {
  activeVersion(tenantId: string, domain: VersionedDomain): Promise<number | undefined>;
  /** The offering as stored at `version` (what its cached detail payload must equal). */
  offeringAt(tenantId: string, version: number, offeringId: string): Promise<Record<string, unknown> | undefined>;
  /** The unit price stored at `version` (what its cached price payload must equal). */
  priceAt(tenantId: string, version: number, currency: string, offeringId: string): Promise<number | undefined>;
  stuckOutbox(tenantId: string, olderThanSec: number): Promise<StuckOutboxRow[]>;
  billingNotExactlyOnce(tenantId: string, olderThanSec: number): Promise<BillingCount[]>;
  projectionDrift(tenantId: string, olderThanSec: number): Promise<ProjectionDrift[]>;
}
