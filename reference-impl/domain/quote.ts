/**
 * Quote and order decisions, pure: each takes the current state plus what it depends on (ids and
 * time passed in) and returns the new state and the events to emit, or throws a `DomainError`.
 *
 * DRAFT → PRICED → SUBMITTED | APPROVAL_PENDING → (APPROVED) → ACCEPTED → CONVERTED (+ an order).
 * Every change grows `revision` by one.
 */
import { DomainError } from './errors.ts';
import { TOPICS, type Decision, type DomainEvent } from './events.ts';
import { configurationHash, priceHash } from './hashes.ts';
import { approvalRequired, priceLines, totalOf } from './pricing.ts';
import type { ApprovalPolicy, Offering, Order, PricingBasis, Quote, QuoteItem, QuoteState } from './types.ts';

function quoteEvent(quote: Quote, type: string, payload: Record<string, unknown> = {}): DomainEvent {
  return {
    topic: TOPICS.quote,
    type,
    aggregateId: quote.quoteId,
    aggregateVersion: quote.revision,
    payload: { quoteId: quote.quoteId, state: quote.state, revision: quote.revision, ...payload },
  };
}

function invalidState(quote: Quote, action: string, allowed: QuoteState[]): DomainError {
  return new DomainError(
    'INVALID_STATE',
    `cannot ${action} quote ${quote.quoteId} in state ${quote.state} (allowed from ${allowed.join(', ')})`,
  );
}

function transition(quote: Quote, state: QuoteState, now: string, changes: Partial<Quote> = {}): Quote {
  return { ...quote, ...changes, state, revision: quote.revision + 1, updatedAt: now };
}

/** Every item must name an active offering of the catalog (`offerings`: id → offering). */
function requireActive(items: readonly QuoteItem[], offerings: ReadonlyMap<string, Offering>): void {
  for (const item of items) {
    const offering = offerings.get(item.offeringId);
    if (!offering?.active) {
      throw new DomainError(
        'OFFERING_INACTIVE',
        `offering ${item.offeringId} is ${offering ? 'inactive' : 'not in'} the active catalog`,
        'remove it from the quote or choose an active offering',
      );
    }
  }
}

export interface CreateQuote {
  quoteId: string;
  tenantId: string;
  customerId: string;
  currency: string;
  items: QuoteItem[];
}

/** A new DRAFT quote, revision 1; its offerings must be active. */
export function createQuote(
  command: CreateQuote,
  offerings: ReadonlyMap<string, Offering>,
  now: string,
): Decision<Quote> {
  requireActive(command.items, offerings);
  const quote: Quote = {
    ...command,
    state: 'DRAFT',
    revision: 1,
    configurationHash: configurationHash(command.items),
    createdAt: now,
    updatedAt: now,
  };
  return { state: quote, events: [quoteEvent(quote, 'QuoteCreated', { customerId: quote.customerId })] };
}

/** What pricing reads: the versions it prices against and their content. */
export interface PricingContext extends PricingBasis {
  offerings: ReadonlyMap<string, Offering>;
  unitPrices: ReadonlyMap<string, number>;
  policy: ApprovalPolicy;
}

/** Prices a DRAFT or PRICED quote against `context` → PRICED. */
export function priceQuote(quote: Quote, context: PricingContext, now: string): Decision<Quote> {
  if (quote.state !== 'DRAFT' && quote.state !== 'PRICED') throw invalidState(quote, 'price', ['DRAFT', 'PRICED']);
  requireActive(quote.items, context.offerings);
  const lines = priceLines(quote.items, context.unitPrices, quote.currency);
  const basis: PricingBasis = {
    catalogVersion: context.catalogVersion,
    priceListVersion: context.priceListVersion,
    policyVersion: context.policyVersion,
  };
  const pricing = {
    ...basis,
    lines,
    totalCents: totalOf(lines),
    priceHash: priceHash({ tenantId: quote.tenantId, currency: quote.currency, ...basis, lines }),
    approvalRequired: approvalRequired(quote.items, context.policy),
  };
  const priced = transition(quote, 'PRICED', now, { pricing });
  return {
    state: priced,
    events: [
      quoteEvent(priced, 'QuotePriced', { ...basis, totalCents: pricing.totalCents, priceHash: pricing.priceHash }),
    ],
  };
}

/** The authoritative state submit checks a quote against (read from the source of truth). */
export interface ActiveBasis extends PricingBasis {
  /** The price hash recomputed from the active price list for this quote's items. */
  recomputedPriceHash: string | undefined;
  policy: ApprovalPolicy;
}

/**
 * Submits a PRICED quote: its catalog, price-list and policy versions and its price hash must all
 * match `active`, or the submit is rejected as stale. → SUBMITTED, or APPROVAL_PENDING when the
 * active policy requires approval.
 */
export function submitQuote(quote: Quote, active: ActiveBasis, now: string): Decision<Quote> {
  if (quote.state !== 'PRICED' || !quote.pricing) throw invalidState(quote, 'submit', ['PRICED']);
  const { pricing } = quote;
  const reprice = 'price the quote again (POST …/price), review the new total, then submit';
  if (pricing.catalogVersion !== active.catalogVersion) {
    throw new DomainError(
      'CATALOG_VERSION_STALE',
      `quote was priced against catalog version ${pricing.catalogVersion}; the active version is ${active.catalogVersion}`,
      reprice,
      { pricedVersion: pricing.catalogVersion, activeVersion: active.catalogVersion },
    );
  }
  if (pricing.priceListVersion !== active.priceListVersion || pricing.priceHash !== active.recomputedPriceHash) {
    throw new DomainError(
      'QUOTE_PRICING_STALE',
      pricing.priceListVersion !== active.priceListVersion
        ? `quote was priced against price list version ${pricing.priceListVersion}; the active version is ${active.priceListVersion}`
        : "the quote's prices differ from the active price list",
      reprice,
      { pricedVersion: pricing.priceListVersion, activeVersion: active.priceListVersion },
    );
  }
  if (pricing.policyVersion !== active.policyVersion) {
    throw new DomainError(
      'APPROVAL_POLICY_STALE',
      `quote was priced under approval policy version ${pricing.policyVersion}; the active version is ${active.policyVersion}`,
      reprice,
      { pricedVersion: pricing.policyVersion, activeVersion: active.policyVersion },
    );
  }
  const needsApproval = approvalRequired(quote.items, active.policy);
  const submitted = transition(quote, needsApproval ? 'APPROVAL_PENDING' : 'SUBMITTED', now, {
    pricing: { ...pricing, approvalRequired: needsApproval },
  });
  return {
    state: submitted,
    events: [
      quoteEvent(submitted, 'QuoteSubmitted', { approvalRequired: needsApproval, policyVersion: active.policyVersion }),
    ],
  };
}

/** APPROVAL_PENDING → APPROVED. */
export function approveQuote(quote: Quote, now: string): Decision<Quote> {
  if (quote.state !== 'APPROVAL_PENDING') throw invalidState(quote, 'approve', ['APPROVAL_PENDING']);
  const approved = transition(quote, 'APPROVED', now);
  return { state: approved, events: [quoteEvent(approved, 'QuoteApproved')] };
}

/** SUBMITTED or APPROVED → ACCEPTED; a quote still waiting for approval cannot be accepted. */
export function acceptQuote(quote: Quote, now: string): Decision<Quote> {
  if (quote.state === 'APPROVAL_PENDING') {
    throw new DomainError(
      'APPROVAL_REQUIRED',
      `quote ${quote.quoteId} needs approval before it can be accepted`,
      'approve it first (POST …/approve)',
    );
  }
  if (quote.state !== 'SUBMITTED' && quote.state !== 'APPROVED')
    throw invalidState(quote, 'accept', ['SUBMITTED', 'APPROVED']);
  const accepted = transition(quote, 'ACCEPTED', now);
  return { state: accepted, events: [quoteEvent(accepted, 'QuoteAccepted')] };
}

/** ACCEPTED → CONVERTED, creating the order for the accepted revision. */
export function convertQuote(quote: Quote, orderId: string, now: string): Decision<{ quote: Quote; order: Order }> {
  if (quote.state !== 'ACCEPTED' || !quote.pricing) throw invalidState(quote, 'convert', ['ACCEPTED']);
  const order: Order = {
    orderId,
    tenantId: quote.tenantId,
    sourceQuoteId: quote.quoteId,
    sourceQuoteRevision: quote.revision,
    customerId: quote.customerId,
    currency: quote.currency,
    totalCents: quote.pricing.totalCents,
    state: 'SUBMITTED',
    createdAt: now,
  };
  const converted = transition(quote, 'CONVERTED', now);
  return {
    state: { quote: converted, order },
    events: [
      quoteEvent(converted, 'QuoteConverted', { orderId }),
      {
        topic: TOPICS.order,
        type: 'OrderCreated',
        aggregateId: orderId,
        aggregateVersion: 1,
        payload: { ...order },
      },
    ],
  };
}
