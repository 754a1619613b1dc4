/** The hostile request generator: paths into bodies, and every drawn request aimed at the targets and named. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BODY_TEMPLATES, leaves, setAt } from './hostile-bodies.ts';
import { hostileRequest } from './hostile-requests.ts';

const targets = {
  tenant: 'tenant-1',
  draftQuote: '11111111-1111-4111-8111-111111111111',
  acceptedQuote: '22222222-2222-4222-8222-222222222222',
  overflowQuote: '33333333-3333-4333-8333-333333333333',
};

describe('hostile requests', () => {
  it('finds and replaces leaves by dotted path', () => {
    const body = { items: [{ offeringId: 'a', quantity: 1 }], currency: 'EUR' };
    expect(leaves(body)).toEqual(['items[0].offeringId', 'items[0].quantity', 'currency']);
    expect(setAt(body, 'items[0].quantity', null)).toEqual({
      items: [{ offeringId: 'a', quantity: null }],
      currency: 'EUR',
    });
    expect(setAt(body, 'currency', undefined)).toEqual({ items: [{ offeringId: 'a', quantity: 1 }] });
    expect(body.currency).toBe('EUR'); // a copy, never the template
  });

  it('draws named requests on the tenant, never a template body unchanged, the same for the same seed', () => {
    const drawn = fc.sample(hostileRequest(), { seed: 7, numRuns: 500 }).map((make) => make(targets));
    const templates = new Set(BODY_TEMPLATES.map((t) => JSON.stringify(t.body)));
    for (const request of drawn) {
      expect(request.mutation.length).toBeGreaterThan(0);
      expect(request.path.startsWith('/v1/tenants/')).toBe(true);
      // Only the content type can make a template body invalid.
      if (request.body !== undefined && request.headers['content-type'] === 'application/json')
        expect(templates.has(request.body), request.mutation).toBe(false);
    }
    expect(new Set(drawn.map((r) => r.endpoint)).size).toBeGreaterThanOrEqual(12);
    const again = fc.sample(hostileRequest(), { seed: 7, numRuns: 500 }).map((make) => make(targets));
    expect(again.map((r) => r.mutation)).toEqual(drawn.map((r) => r.mutation));
  });
});
