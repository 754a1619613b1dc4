// Unit: tenant-isolation — own data is fine, another tenant's data is a violation, a publish that
// may have happened counts as written.
import { describe, expect, it } from 'vitest';
import { tenantIsolation } from './tenant-isolation.ts';
import { HistoryBuilder, final } from './testing/history-builder.ts';

const seed = (h: HistoryBuilder) => {
  h.publish(0, 'a', 'catalog', 1, { offerings: { router: 'Router of a' } });
  h.publish(0, 'a', 'pricing', 1, { currency: 'EUR', prices: { router: 1001 } });
  h.publish(0, 'b', 'catalog', 1, { offerings: { router: 'Router of b' } });
  return h.publish(0, 'b', 'pricing', 1, { currency: 'EUR', prices: { router: 2002 } });
};

describe('tenant-isolation', () => {
  it('is valid when every tenant reads its own data', () => {
    const h = new HistoryBuilder();
    seed(h);
    h.call(1, 'read-price', { tenant: 'a', offeringId: 'router' }, { unitPriceCents: 1001, priceListVersion: 1 });
    h.call(
      2,
      'read-offering',
      { tenant: 'b', offeringId: 'router' },
      { name: 'Router of b', catalogVersion: 1, tenantId: 'b' },
    );
    expect(tenantIsolation.check(h.ops, final())).toMatchObject({
      valid: true,
      stats: { tenants: 2, readsChecked: 2 },
    });
  });

  it('is violated when a tenant is served another tenant’s price, naming the read and the publish', () => {
    const h = new HistoryBuilder();
    const bPrices = seed(h);
    h.invoke(1, 'read-price', { tenant: 'a', offeringId: 'router' });
    const leaked = h.ok(1, 'read-price', {
      tenant: 'a',
      offeringId: 'router',
      unitPriceCents: 2002,
      priceListVersion: 1,
    });
    const result = tenantIsolation.check(h.ops, final());
    expect(result.valid).toBe(false);
    expect(result.anomalies[0]).toMatchObject({ kind: 'foreign-data', count: 1 });
    expect(result.anomalies[0]?.ops).toEqual(expect.arrayContaining([leaked, bPrices - 1]));
  });

  it('flags a response carrying another tenantId', () => {
    const h = new HistoryBuilder();
    seed(h);
    h.call(1, 'read-offering', { tenant: 'a', offeringId: 'router' }, { name: 'Router of a', tenantId: 'b' });
    expect(tenantIsolation.check(h.ops, final()).anomalies.map((a) => a.kind)).toEqual(['foreign-tenant-id']);
  });

  it('counts data from a publish that may have happened (info) as written for its tenant', () => {
    const h = new HistoryBuilder();
    seed(h);
    h.invoke(3, 'publish', { tenant: 'b', domain: 'pricing', content: { currency: 'EUR', prices: { router: 2003 } } });
    h.info(3, 'publish', { tenant: 'b', domain: 'pricing' });
    h.call(1, 'read-price', { tenant: 'a', offeringId: 'router' }, { unitPriceCents: 2003, priceListVersion: 2 });
    expect(tenantIsolation.check(h.ops, final()).valid).toBe(false);
  });

  it('is unknown with a single tenant', () => {
    const h = new HistoryBuilder();
    h.publish(0, 'a', 'pricing', 1, { prices: { router: 1 } });
    expect(tenantIsolation.check(h.ops, final()).valid).toBe('unknown');
  });
});
