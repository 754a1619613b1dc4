/**
 * Price calculation and the approval rule. Integer arithmetic only: a line is
 * quantity × unit price × (1 − discount), rounded half up to a cent once per line.
 */
import { DomainError } from './errors.ts';
import type { ApprovalPolicy, PricedLine, QuoteItem } from './types.ts';

/** Prices every item from `unitPrices` (offering id → cents); a missing price is a 422. */
export function priceLines(
  items: readonly QuoteItem[],
  unitPrices: ReadonlyMap<string, number>,
  currency: string,
): PricedLine[] {
  return items.map((item) => {
    const unitPriceCents = unitPrices.get(item.offeringId);
    if (unitPriceCents === undefined) {
      throw new DomainError(
        'PRICE_NOT_FOUND',
        `offering ${item.offeringId} has no ${currency} price in the active price list`,
        'publish a price list that prices it, then price the quote again',
      );
    }
    return { ...item, unitPriceCents, lineTotalCents: lineTotal(item.quantity, unitPriceCents, item.discountPct) };
  });
}

/** quantity × unit × (100 − discount%) / 100, rounded half up, exact for any safe inputs. */
export function lineTotal(quantity: number, unitPriceCents: number, discountPct: number): number {
  const basisPoints = BigInt(Math.round(discountPct * 100));
  const gross = BigInt(quantity) * BigInt(unitPriceCents) * (10_000n - basisPoints);
  return exactCents((gross + 5_000n) / 10_000n);
}

/** The quote's total; a total no client can represent exactly is refused (422), never rounded. */
export function totalOf(lines: readonly PricedLine[]): number {
  return exactCents(lines.reduce((sum, line) => sum + BigInt(line.lineTotalCents), 0n));
}

function exactCents(cents: bigint): number {
  if (cents > BigInt(Number.MAX_SAFE_INTEGER))
    throw new DomainError(
      'TOTAL_OUT_OF_RANGE',
      `the quote's total would be ${cents} cents, beyond ${Number.MAX_SAFE_INTEGER}`,
      'lower the quantities or split the quote',
    );
  return Number(cents);
}

/** A quote needs approval when any item's discount exceeds what the policy allows without one. */
export function approvalRequired(items: readonly QuoteItem[], policy: ApprovalPolicy): boolean {
  return items.some((item) => item.discountPct > policy.maxDiscountPctWithoutApproval);
}
