// Unit: the quote state machine — every transition's new state, revision and events, and every
// rejection (invalid state, inactive offering, each kind of staleness at submit).
import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.ts';
import { priceHash } from './hashes.ts';
import {
  acceptQuote,
  approveQuote,
  convertQuote,
  createQuote,
  priceQuote,
  submitQuote,
  type ActiveBasis,
  type PricingContext,
} from './quote.ts';
import type { Offering, Quote } from './types.ts';

const NOW = '2026-01-01T00:00:00.000Z';
const offerings = new Map<string, Offering>([
  ['router', { offeringId: 'router', name: 'Router', family: 'network', active: true }],
  ['legacy', { offeringId: 'legacy', name: 'Legacy', family: 'network', active: false }],
]);
const context: PricingContext = {
  catalogVersion: 3,
  priceListVersion: 5,
  policyVersion: 2,
  offerings,
  unitPrices: new Map([['router', 10_000]]),
  policy: { maxDiscountPctWithoutApproval: 10 },
};

const rejection = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
};

const draft = (discountPct = 5): Quote =>
  createQuote(
    {
      quoteId: 'q1',
      tenantId: 't1',
      customerId: 'c1',
      currency: 'EUR',
      items: [{ offeringId: 'router', quantity: 2, discountPct }],
    },
    offerings,
    NOW,
  ).state;

const activeFor = (quote: Quote, overrides: Partial<ActiveBasis> = {}): ActiveBasis => ({
  catalogVersion: 3,
  priceListVersion: 5,
  policyVersion: 2,
  recomputedPriceHash: quote.pricing?.priceHash,
  policy: { maxDiscountPctWithoutApproval: 10 },
  ...overrides,
});

describe('createQuote', () => {
  it('makes a DRAFT at revision 1 and emits QuoteCreated', () => {
    const { state, events } = createQuote(
      {
        quoteId: 'q1',
        tenantId: 't1',
        customerId: 'c1',
        currency: 'EUR',
        items: [{ offeringId: 'router', quantity: 1, discountPct: 0 }],
      },
      offerings,
      NOW,
    );
    expect(state).toMatchObject({ state: 'DRAFT', revision: 1, createdAt: NOW });
    expect(events).toEqual([
      expect.objectContaining({
        type: 'QuoteCreated',
        topic: 'cpq.quote.events',
        aggregateId: 'q1',
        aggregateVersion: 1,
      }),
    ]);
  });

  it('rejects inactive and unknown offerings with OFFERING_INACTIVE (422)', () => {
    for (const offeringId of ['legacy', 'nope']) {
      const error = rejection(() =>
        createQuote(
          {
            quoteId: 'q',
            tenantId: 't',
            customerId: 'c',
            currency: 'EUR',
            items: [{ offeringId, quantity: 1, discountPct: 0 }],
          },
          offerings,
          NOW,
        ),
      );
      expect([error.code, error.status]).toEqual(['OFFERING_INACTIVE', 422]);
    }
  });
});

describe('priceQuote', () => {
  it('prices against the given versions → PRICED, revision 2, with hash and approval need', () => {
    const { state, events } = priceQuote(draft(20), context, NOW);
    expect(state.state).toBe('PRICED');
    expect(state.revision).toBe(2);
    expect(state.pricing).toMatchObject({
      catalogVersion: 3,
      priceListVersion: 5,
      policyVersion: 2,
      totalCents: 16_000,
      approvalRequired: true,
    });
    expect(state.pricing?.priceHash).toBe(
      priceHash({
        tenantId: 't1',
        currency: 'EUR',
        catalogVersion: 3,
        priceListVersion: 5,
        lines: state.pricing!.lines,
      }),
    );
    expect(events[0]).toMatchObject({ type: 'QuotePriced', aggregateVersion: 2 });
  });

  it('can re-price a PRICED quote but not a submitted one', () => {
    const priced = priceQuote(draft(), context, NOW).state;
    expect(priceQuote(priced, context, NOW).state.revision).toBe(3);
    const submitted = submitQuote(priced, activeFor(priced), NOW).state;
    expect(rejection(() => priceQuote(submitted, context, NOW)).code).toBe('INVALID_STATE');
  });
});

describe('submitQuote', () => {
  const priced = priceQuote(draft(), context, NOW).state;

  it('accepts a fresh quote → SUBMITTED', () => {
    const { state, events } = submitQuote(priced, activeFor(priced), NOW);
    expect(state).toMatchObject({ state: 'SUBMITTED', revision: 3 });
    expect(events[0]).toMatchObject({ type: 'QuoteSubmitted' });
  });

  it('sends a quote whose discount the active policy does not allow to APPROVAL_PENDING', () => {
    const big = priceQuote(draft(20), context, NOW).state;
    expect(submitQuote(big, activeFor(big), NOW).state.state).toBe('APPROVAL_PENDING');
  });

  it.each([
    [{ catalogVersion: 4 }, 'CATALOG_VERSION_STALE'],
    [{ priceListVersion: 6 }, 'QUOTE_PRICING_STALE'],
    [{ recomputedPriceHash: 'sha256:other' }, 'QUOTE_PRICING_STALE'],
    [{ policyVersion: 3 }, 'APPROVAL_POLICY_STALE'],
  ] as const)('rejects %j as %s (409, with remediation)', (overrides, code) => {
    const error = rejection(() => submitQuote(priced, activeFor(priced, overrides), NOW));
    expect([error.code, error.status]).toEqual([code, 409]);
    expect(error.remediation).toContain('price the quote again');
  });

  it('rejects a DRAFT with INVALID_STATE', () => {
    expect(rejection(() => submitQuote(draft(), activeFor(draft()), NOW)).code).toBe('INVALID_STATE');
  });
});

describe('approve, accept, convert', () => {
  const priced = priceQuote(draft(20), context, NOW).state;
  const pending = submitQuote(priced, activeFor(priced), NOW).state;

  it('a pending quote cannot be accepted before approval', () => {
    expect(rejection(() => acceptQuote(pending, NOW)).code).toBe('APPROVAL_REQUIRED');
    const approved = approveQuote(pending, NOW).state;
    expect(acceptQuote(approved, NOW).state.state).toBe('ACCEPTED');
  });

  it('converting an accepted quote creates an order for its revision and emits OrderCreated', () => {
    const accepted = acceptQuote(approveQuote(pending, NOW).state, NOW).state;
    const { state, events } = convertQuote(accepted, 'o1', NOW);
    expect(state.quote).toMatchObject({ state: 'CONVERTED', revision: accepted.revision + 1 });
    expect(state.order).toMatchObject({
      orderId: 'o1',
      sourceQuoteId: 'q1',
      sourceQuoteRevision: accepted.revision,
      totalCents: 16_000,
      state: 'SUBMITTED',
    });
    expect(events.map((e) => [e.topic, e.type])).toEqual([
      ['cpq.quote.events', 'QuoteConverted'],
      ['cpq.order.events', 'OrderCreated'],
    ]);
  });

  it('rejects out-of-order transitions with INVALID_STATE', () => {
    expect(rejection(() => approveQuote(priced, NOW)).code).toBe('INVALID_STATE');
    expect(rejection(() => convertQuote(pending, 'o', NOW)).code).toBe('INVALID_STATE');
  });
});
