// Unit: pricing arithmetic, the approval rule and the hashes, on hand-picked inputs.
import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.ts';
import { canonicalJson, configurationHash, priceHash } from './hashes.ts';
import { approvalRequired, lineTotal, priceLines, totalOf } from './pricing.ts';

describe('lineTotal', () => {
  it('applies the discount once per line and rounds half up to a cent', () => {
    expect(lineTotal(3, 1000, 0)).toBe(3000);
    expect(lineTotal(3, 1000, 10)).toBe(2700);
    expect(lineTotal(1, 999, 12.5)).toBe(874); // 874.125
    expect(lineTotal(1, 1, 50)).toBe(1); // 0.5 rounds up
    expect(lineTotal(7, 333, 33.33)).toBe(1554); // 2331 × 0.6667 = 1554.08
    expect(lineTotal(2, 500, 100)).toBe(0);
  });

  it('stays exact beyond 2^53 intermediate values', () => {
    // 10^6 × 10^9 × 9999 basis points is far past 2^53; the line itself (≈ 10^15) is still exact.
    expect(lineTotal(1_000_000, 1_000_000_000, 0.01)).toBe(999_900_000_000_000);
  });
});

describe('priceLines', () => {
  it('prices every item and totals them', () => {
    const lines = priceLines(
      [
        { offeringId: 'a', quantity: 2, discountPct: 0 },
        { offeringId: 'b', quantity: 1, discountPct: 10 },
      ],
      new Map([
        ['a', 500],
        ['b', 2000],
      ]),
      'EUR',
    );
    expect(lines.map((l) => l.lineTotalCents)).toEqual([1000, 1800]);
    expect(totalOf(lines)).toBe(2800);
  });

  it('rejects an item without a price as PRICE_NOT_FOUND (422)', () => {
    const error = (() => {
      try {
        priceLines([{ offeringId: 'missing', quantity: 1, discountPct: 0 }], new Map(), 'USD');
      } catch (e) {
        return e as DomainError;
      }
    })();
    expect(error?.code).toBe('PRICE_NOT_FOUND');
    expect(error?.status).toBe(422);
  });
});

describe('approvalRequired', () => {
  it('is true only when some discount exceeds the policy maximum', () => {
    const items = [{ offeringId: 'a', quantity: 1, discountPct: 15 }];
    expect(approvalRequired(items, { maxDiscountPctWithoutApproval: 20 })).toBe(false);
    expect(approvalRequired(items, { maxDiscountPctWithoutApproval: 15 })).toBe(false);
    expect(approvalRequired(items, { maxDiscountPctWithoutApproval: 10 })).toBe(true);
  });
});

describe('hashes', () => {
  it('canonical JSON ignores key order and undefined members', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }] })).toBe('{"a":[{"d":2}],"b":1}');
  });

  it('the price hash changes with any price input and with the tenant', () => {
    const base = {
      tenantId: 't1',
      currency: 'EUR',
      catalogVersion: 1,
      priceListVersion: 1,
      lines: [{ offeringId: 'a', quantity: 1, discountPct: 0, unitPriceCents: 100, lineTotalCents: 100 }],
    };
    const hash = priceHash(base);
    expect(priceHash({ ...base })).toBe(hash);
    expect(priceHash({ ...base, tenantId: 't2' })).not.toBe(hash);
    expect(priceHash({ ...base, priceListVersion: 2 })).not.toBe(hash);
    expect(priceHash({ ...base, lines: [{ ...base.lines[0]!, unitPriceCents: 101 }] })).not.toBe(hash);
    expect(hash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('the configuration hash covers offerings and quantities, not discounts', () => {
    const a = configurationHash([{ offeringId: 'x', quantity: 1, discountPct: 0 }]);
    expect(configurationHash([{ offeringId: 'x', quantity: 1, discountPct: 50 }])).toBe(a);
    expect(configurationHash([{ offeringId: 'x', quantity: 2, discountPct: 0 }])).not.toBe(a);
  });
});

describe('totals beyond exact integers', () => {
  it('refuses a line or a total past Number.MAX_SAFE_INTEGER with 422 TOTAL_OUT_OF_RANGE', () => {
    expect(() => lineTotal(1_000_000, 1_000_000_000_000, 0)).toThrow(
      expect.objectContaining({ code: 'TOTAL_OUT_OF_RANGE', status: 422 }),
    );
    const line = {
      offeringId: 'o',
      quantity: 1,
      discountPct: 0,
      unitPriceCents: 0,
      lineTotalCents: Number.MAX_SAFE_INTEGER,
    };
    expect(() => totalOf([line, { ...line, lineTotalCents: 1 }])).toThrow(
      expect.objectContaining({ code: 'TOTAL_OUT_OF_RANGE' }),
    );
    expect(totalOf([line])).toBe(Number.MAX_SAFE_INTEGER);
  });
});
