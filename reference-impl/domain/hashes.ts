/**
 * Content hashes over the exact inputs of a decision: canonical JSON (keys sorted, no whitespace)
 * then SHA-256. Equal inputs give equal hashes on every instance, so submit can recompute and compare.
 */
import { createHash } from 'node:crypto';
import type { PricedLine, QuoteItem } from './types.ts';

/** JSON with object keys sorted at every level. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** `sha256:<hex>` of the canonical JSON of `value`. */
export function sha256Of(value: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(value)).digest('hex')}`;
}

/** Hash of what was configured: offerings and quantities, in order. */
export function configurationHash(items: readonly QuoteItem[]): string {
  return sha256Of({ items: items.map(({ offeringId, quantity }) => ({ offeringId, quantity })) });
}

/** Hash of everything the price depends on: currency, versions, unit prices, discounts. */
export function priceHash(input: {
  tenantId: string;
  currency: string;
  catalogVersion: number;
  priceListVersion: number;
  lines: readonly PricedLine[];
}): string {
  return sha256Of({
    tenantId: input.tenantId,
    currency: input.currency,
    catalogVersion: input.catalogVersion,
    priceListVersion: input.priceListVersion,
    lines: input.lines.map(({ offeringId, quantity, discountPct, unitPriceCents }) => ({
      offeringId,
      quantity,
      discountPct,
      unitPriceCents,
    })),
  });
}
