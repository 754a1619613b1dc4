/**
 * The CPQ/OMS domain's data: offerings, price lists, approval policy, quotes and orders. Plain
 * immutable data; money is integer minor units (`…Cents`), versions are integers that only grow per
 * tenant and domain.
 */

/** Versioned reference-data domains, each with its own active-version pointer per tenant. */
export type VersionedDomain = 'catalog' | 'pricing' | 'policy';

export interface Offering {
  offeringId: string;
  name: string;
  family: string;
  active: boolean;
}

export interface PriceEntry {
  offeringId: string;
  unitPriceCents: number;
}

export interface ApprovalPolicy {
  maxDiscountPctWithoutApproval: number;
}

export type QuoteState = 'DRAFT' | 'PRICED' | 'SUBMITTED' | 'APPROVAL_PENDING' | 'APPROVED' | 'ACCEPTED' | 'CONVERTED';

export interface QuoteItem {
  offeringId: string;
  quantity: number;
  /** 0–100, at most two decimals. */
  discountPct: number;
}

export interface PricedLine extends QuoteItem {
  unitPriceCents: number;
  lineTotalCents: number;
}

/** What a quote was priced against. */
export interface PricingBasis {
  catalogVersion: number;
  priceListVersion: number;
  policyVersion: number;
}

export interface Quote {
  quoteId: string;
  tenantId: string;
  customerId: string;
  currency: string;
  state: QuoteState;
  /** Grows by one at every change; the optimistic-lock token. */
  revision: number;
  items: QuoteItem[];
  configurationHash: string;
  /** Set once priced. */
  pricing?: PricingBasis & {
    lines: PricedLine[];
    totalCents: number;
    priceHash: string;
    approvalRequired: boolean;
  };
  createdAt: string;
  updatedAt: string;
}

export type OrderState = 'SUBMITTED';

export interface Order {
  orderId: string;
  tenantId: string;
  sourceQuoteId: string;
  sourceQuoteRevision: number;
  customerId: string;
  currency: string;
  totalCents: number;
  state: OrderState;
  createdAt: string;
}
