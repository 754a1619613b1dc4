/**
 * Rows of the `quote` and `customer_order` tables and their mapping to and from the domain's
 * types — the one place that knows the column names of both — and the submit basis read with a quote.
 */
import type { Order, Quote } from '../../domain/types.ts';
import type { ActiveVersions, SubmitBasis } from '../../ports/store.ts';

export interface QuoteRow {
  quote_id: string;
  tenant_id: string;
  customer_id: string;
  currency: string;
  state: Quote['state'];
  revision: number;
  items: Quote['items'];
  configuration_hash: string;
  catalog_version: number | null;
  price_list_version: number | null;
  policy_version: number | null;
  lines: NonNullable<Quote['pricing']>['lines'] | null;
  total_cents: number | null;
  price_hash: string | null;
  approval_required: boolean | null;
  created_at: Date;
  updated_at: Date;
}

export function toQuote(row: QuoteRow): Quote {
  return {
    quoteId: row.quote_id,
    tenantId: row.tenant_id,
    customerId: row.customer_id,
    currency: row.currency,
    state: row.state,
    revision: row.revision,
    items: row.items,
    configurationHash: row.configuration_hash,
    ...(row.lines && row.price_hash
      ? {
          pricing: {
            catalogVersion: row.catalog_version as number,
            priceListVersion: row.price_list_version as number,
            policyVersion: row.policy_version as number,
            lines: row.lines,
            totalCents: row.total_cents as number,
            priceHash: row.price_hash,
            approvalRequired: row.approval_required as boolean,
          },
        }
      : {}),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function quoteParams(q: Quote): unknown[] {
  return [
    q.quoteId,
    q.tenantId,
    q.customerId,
    q.currency,
    q.state,
    q.revision,
    JSON.stringify(q.items),
    q.configurationHash,
    q.pricing?.catalogVersion ?? null,
    q.pricing?.priceListVersion ?? null,
    q.pricing?.policyVersion ?? null,
    q.pricing ? JSON.stringify(q.pricing.lines) : null,
    q.pricing?.totalCents ?? null,
    q.pricing?.priceHash ?? null,
    q.pricing?.approvalRequired ?? null,
    q.createdAt,
    q.updatedAt,
  ];
}

export interface OrderRow {
  order_id: string;
  tenant_id: string;
  source_quote_id: string;
  source_quote_revision: number;
  customer_id: string;
  currency: string;
  total_cents: number;
  state: Order['state'];
  created_at: Date;
}

export const toOrder = (row: OrderRow): Order => ({
  orderId: row.order_id,
  tenantId: row.tenant_id,
  sourceQuoteId: row.source_quote_id,
  sourceQuoteRevision: row.source_quote_revision,
  customerId: row.customer_id,
  currency: row.currency,
  totalCents: row.total_cents,
  state: row.state,
  createdAt: row.created_at.toISOString(),
});

/** The submit basis columns a quote is read with (`basis_*`: no quote column has such a name). */
export interface BasisColumns {
  basis_versions: ActiveVersions | null;
  basis_max: number | null;
  basis_prices: Record<string, number> | null;
}

export const toSubmitBasis = (row: BasisColumns): SubmitBasis => ({
  versions: row.basis_versions ?? {},
  policy: row.basis_max == null ? undefined : { maxDiscountPctWithoutApproval: Number(row.basis_max) },
  prices: new Map(Object.entries(row.basis_prices ?? {}).map(([id, cents]) => [id, Number(cents)])),
});
