/**
 * Distinguishable data per tenant: every offering name and every unit price a tenant publishes is
 * unique to that tenant (and to the version), so any response that carries another tenant's data —
 * or an older version's — shows it in the value itself. Ids are shared across tenants on purpose:
 * the same offering id in every tenant is where a tenantless cache key would collide.
 */

/** Offering ids every tenant has. */
export const OFFERING_IDS = ['router', 'switch', 'firewall', 'license', 'support'] as const;

/** The currency quotes are in, and the first of a tenant's price lists. */
export const CURRENCY = 'EUR';

/** The currencies a tenant keeps price lists in: each publish replaces one, the others carry over. */
export const CURRENCIES = [CURRENCY, 'USD'] as const;

/** Up to this many tenants per scenario keep prices unique. */
export const MAX_TENANTS = 16;

/** The name `tenant` publishes for `offeringId` in catalog version slot `round`. */
export function offeringName(tenant: string, offeringId: string, round: number): string {
  return `${offeringId} r${round} of ${tenant}`;
}

/** A unit price unique to (tenant index, round, offering): tenants differ in the last digits. */
export function unitPrice(tenantIndex: number, offeringIndex: number, round: number): number {
  if (tenantIndex < 0 || tenantIndex >= MAX_TENANTS) throw new Error(`tenant index ${tenantIndex} out of range`);
  return 10_000 + (round * OFFERING_IDS.length + offeringIndex) * MAX_TENANTS + tenantIndex;
}

/** Catalog content for a publish: `{offeringId: name}`. */
export function catalogContent(tenant: string, round: number): Record<string, string> {
  return Object.fromEntries(OFFERING_IDS.map((id) => [id, offeringName(tenant, id, round)]));
}

/** Price-list content for a publish: `{offeringId: cents}`. */
export function priceContent(tenantIndex: number, round: number): Record<string, number> {
  return Object.fromEntries(OFFERING_IDS.map((id, i) => [id, unitPrice(tenantIndex, i, round)]));
}
