/**
 * Browse reads — offering detail and unit price — served from the cache (stale-while-revalidate on
 * the version pointer), answering with the version they were read at.
 */
import { DomainError } from '../domain/errors.ts';
import type { AppContext } from './context.ts';

export async function getOffering(
  ctx: AppContext,
  tenantId: string,
  offeringId: string,
): Promise<Record<string, unknown>> {
  const catalogVersion = await ctx.reader.activeVersion(tenantId, 'catalog', 'browse');
  const offering =
    catalogVersion === undefined ? undefined : await ctx.reader.offering(tenantId, catalogVersion, offeringId);
  if (!offering) throw new DomainError('NOT_FOUND', `no offering ${offeringId} in the active catalog`);
  return { ...offering, catalogVersion };
}

export async function getPrice(
  ctx: AppContext,
  tenantId: string,
  offeringId: string,
  currency: string,
): Promise<Record<string, unknown>> {
  const priceListVersion = await ctx.reader.activeVersion(tenantId, 'pricing', 'browse');
  const unitPriceCents =
    priceListVersion === undefined
      ? undefined
      : await ctx.reader.unitPrice(tenantId, priceListVersion, currency, offeringId);
  if (unitPriceCents === undefined)
    throw new DomainError('NOT_FOUND', `no ${currency} price for offering ${offeringId} in the active price list`);
  return { offeringId, currency, unitPriceCents, priceListVersion };
}
