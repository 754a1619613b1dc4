/**
 * Publish rounds: each publish of a tenant's catalog, price list or policy is the next round of
 * distinguishable content (a counter per tenant and domain, shared by a run's workers and steps), so
 * every version's content differs from the last and reads show which version they came from.
 */
import type { Op } from '../core/op.ts';
import type { Domain } from '../core/vocabulary.ts';
import type { WorkloadContext } from './context.ts';
import { catalogContent, priceContent } from './tenant-data.ts';

/** Monotonic publish rounds per tenant and domain (content differs every round). */
function nextRound(ctx: WorkloadContext, tenant: string, domain: Domain): number {
  const key = `round:${tenant}:${domain}`;
  const round = ((ctx.state.get(key) as number | undefined) ?? -1) + 1;
  ctx.state.set(key, round);
  return round;
}

/**
 * Publishes the next round of `domain` for `tenant` (policy alternates between the given limits; a
 * price list is in `currency`, and its round counts every currency's, so its prices are new too);
 * resolves with the publish's completion op.
 */
export async function publishNext(
  ctx: WorkloadContext,
  process: number | string,
  tenant: string,
  domain: Domain,
  options: { policyLimits?: readonly number[]; currency?: string } = {},
): Promise<Op> {
  const ops = ctx.ops(process);
  if (domain === 'policy') return ops.publishPolicy(tenant, nextPolicyLimit(ctx, tenant, options.policyLimits ?? [30]));
  const round = nextRound(ctx, tenant, domain);
  if (domain === 'catalog') return ops.publishCatalog(tenant, catalogContent(tenant, round));
  return ops.publishPrices(tenant, priceContent(ctx.tenants.indexOf(tenant), round), options.currency);
}

/** The approval limit of `tenant`'s next policy round: the given limits in turn. */
export function nextPolicyLimit(ctx: WorkloadContext, tenant: string, policyLimits: readonly number[]): number {
  return policyLimits[nextRound(ctx, tenant, 'policy') % policyLimits.length] as number;
}
