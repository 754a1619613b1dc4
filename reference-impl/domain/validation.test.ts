// Unit: malformed input is a 400 VALIDATION_FAILED naming every problem; good input parses.
import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.ts';
import {
  parseCatalogPublish,
  parseCreateQuote,
  parseIdempotencyKey,
  parsePolicyPublish,
  parseOlderThanSec,
  parsePriceListPublish,
  parseUuid,
} from './validation.ts';

const problems = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).status).toBe(400);
    return ((error as DomainError).extra.errors as string[] | undefined) ?? [(error as DomainError).detail];
  }
  throw new Error('expected VALIDATION_FAILED');
};

describe('parseCreateQuote', () => {
  it('parses a good body and defaults a missing discount to 0', () => {
    expect(
      parseCreateQuote({ customerId: 'c-1', currency: 'EUR', items: [{ offeringId: 'o1', quantity: 2 }] }),
    ).toEqual({
      customerId: 'c-1',
      currency: 'EUR',
      items: [{ offeringId: 'o1', quantity: 2, discountPct: 0 }],
    });
  });

  it('names every problem by path', () => {
    const list = problems(() =>
      parseCreateQuote({
        customerId: '',
        currency: 'eur',
        items: [{ offeringId: 'o1', quantity: 0, discountPct: 100.001 }, 'x'],
      }),
    );
    expect(list).toEqual([
      expect.stringMatching(/^customerId:/),
      expect.stringMatching(/^currency:/),
      expect.stringMatching(/^items\[0\]\.quantity:/),
      expect.stringMatching(/^items\[0\]\.discountPct:/),
      'items[1]: must be an object',
    ]);
  });

  it('gives each field one problem, a missing list its own, and ignores unknown members', () => {
    expect(
      problems(() =>
        parseCreateQuote({ customerId: 'c', currency: 'EUR', items: [{ offeringId: 'o', quantity: -1.5 }] }),
      ),
    ).toEqual(['items[0].quantity: must be an integer from 1 to 1000000']);
    expect(problems(() => parseCreateQuote({ customerId: 'c', currency: 'EUR' }))).toEqual([
      'items: must be a non-empty array of at most 100 entries',
    ]);
    expect(
      parseCreateQuote({ customerId: 'c', currency: 'EUR', items: [{ offeringId: 'o', quantity: 1, x: 1 }], y: 2 }),
    ).toEqual({
      customerId: 'c',
      currency: 'EUR',
      items: [{ offeringId: 'o', quantity: 1, discountPct: 0 }],
    });
  });

  it.each([null, [], 'text', 42])('rejects a non-object body %j', (body) => {
    expect(problems(() => parseCreateQuote(body))[0]).toContain('JSON object');
  });
});

describe('publish bodies', () => {
  it('rejects duplicate offering ids and empty lists', () => {
    expect(problems(() => parseCatalogPublish({ offerings: [] }))[0]).toMatch(/^offerings:/);
    const dup = { offeringId: 'a', name: 'A', family: 'f', active: true };
    expect(problems(() => parseCatalogPublish({ offerings: [dup, dup] }))).toEqual(['offerings[1]: duplicate a']);
    expect(problems(() => parseCatalogPublish({ offerings: [{ ...dup, active: 'yes' }] }))).toEqual([
      'offerings[0].active: must be true or false',
    ]);
  });

  it('rejects negative and fractional prices and bad currencies', () => {
    expect(
      problems(() =>
        parsePriceListPublish({
          currency: 'EURO',
          entries: [
            { offeringId: 'a', unitPriceCents: -1 },
            { offeringId: 'b', unitPriceCents: 1.5 },
          ],
        }),
      ),
    ).toHaveLength(3);
    expect(
      parsePriceListPublish({ currency: 'USD', entries: [{ offeringId: 'a', unitPriceCents: 0 }] }).entries[0],
    ).toEqual({ offeringId: 'a', unitPriceCents: 0 });
  });

  it('bounds the policy to 0–100', () => {
    expect(parsePolicyPublish({ maxDiscountPctWithoutApproval: 12.5 })).toEqual({
      maxDiscountPctWithoutApproval: 12.5,
    });
    expect(problems(() => parsePolicyPublish({ maxDiscountPctWithoutApproval: 101 }))).toHaveLength(1);
  });
});

describe('headers and path ids', () => {
  it('requires an Idempotency-Key', () => {
    expect(problems(() => parseIdempotencyKey(undefined))[0]).toContain('Idempotency-Key');
    expect(parseIdempotencyKey('k-1')).toBe('k-1');
  });

  it('treats a malformed quote id as not found', () => {
    expect(() => parseUuid('quote', 'nope')).toThrow(/NOT_FOUND/);
  });
});

describe('strings the database cannot hold', () => {
  const catalog = (name: string) => ({ offerings: [{ offeringId: 'o1', name, family: 'f', active: true }] });
  it('refuses a NUL byte and a lone surrogate in a name, accepts a well-formed pair', () => {
    expect(problems(() => parseCatalogPublish(catalog('a\u0000b')))).toEqual([
      'offerings[0].name: must be well-formed Unicode without NUL characters',
    ]);
    expect(problems(() => parseCatalogPublish(catalog('x\uD800')))).toHaveLength(1);
    expect(problems(() => parseCatalogPublish(catalog('\uDC00x')))).toHaveLength(1);
    expect(parseCatalogPublish(catalog('router \uD83D\uDE80')).offerings[0]?.name).toBe('router \uD83D\uDE80');
  });
});

describe('parseOlderThanSec', () => {
  it('takes whole seconds up to a year, 30 when absent, and refuses the rest', () => {
    expect([parseOlderThanSec(undefined), parseOlderThanSec('0'), parseOlderThanSec('31536000')]).toEqual([
      30, 0, 31_536_000,
    ]);
    for (const bad of ['1e308', '31536001', '-1', '1.5', 'NaN', '', ['1', '2']])
      expect(problems(() => parseOlderThanSec(bad))).toHaveLength(1);
  });
});
