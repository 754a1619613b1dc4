// Unit: distinguishable data — no two tenants, rounds or offerings share a price or a name, so a
// leaked or stale value always shows in the response.
import { describe, expect, it } from 'vitest';
import { MAX_TENANTS, OFFERING_IDS, catalogContent, priceContent, unitPrice } from './tenant-data.ts';

describe('tenant data', () => {
  it('gives every (tenant, round, offering) its own price', () => {
    const seen = new Set<number>();
    for (let t = 0; t < MAX_TENANTS; t++)
      for (let round = 0; round < 40; round++)
        for (const cents of Object.values(priceContent(t, round))) {
          expect(seen.has(cents)).toBe(false);
          seen.add(cents);
        }
    expect(seen.size).toBe(MAX_TENANTS * 40 * OFFERING_IDS.length);
  });

  it('names carry the tenant and the round', () => {
    const a = catalogContent('acme', 3);
    const b = catalogContent('globex', 3);
    expect(Object.keys(a)).toEqual([...OFFERING_IDS]);
    for (const id of OFFERING_IDS) {
      expect(a[id]).not.toEqual(b[id]);
      expect(a[id]).not.toEqual(catalogContent('acme', 4)[id]);
    }
  });

  it('refuses a tenant index that would break uniqueness', () => {
    expect(() => unitPrice(MAX_TENANTS, 0, 0)).toThrow(/out of range/);
  });
});
