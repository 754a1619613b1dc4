/**
 * Workload steps over the CPQ contract, shared by the scenarios: seeding each tenant with its
 * distinguishable data, publishers of new versions, the quote lifecycle (create → price → submit →
 * approve? → accept → convert?), browse reads, and the final reads after quiesce. Every request is
 * a recorded op; choices come from the worker's seeded stream.
 */
import type { Op } from '../core/op.ts';
import type { WorkloadContext } from './context.ts';
import { str, type Domain } from '../core/vocabulary.ts';
import {
  either,
  mix,
  onWorkers,
  repeat,
  sleep,
  stagger,
  timeLimit,
  type Phase,
  type Step,
  type Worker,
} from './generators.ts';
import { OFFERING_IDS, catalogContent, priceContent } from './tenant-data.ts';

/** Monotonic publish rounds per tenant and domain (content differs every round). */
function nextRound(ctx: WorkloadContext, tenant: string, domain: Domain): number {
  const key = `round:${tenant}:${domain}`;
  const round = ((ctx.state.get(key) as number | undefined) ?? -1) + 1;
  ctx.state.set(key, round);
  return round;
}

/**
 * Publishes the next round of `domain` for `tenant` (policy alternates between the given limits);
 * resolves with the publish's completion op.
 */
export async function publishNext(
  ctx: WorkloadContext,
  process: number | string,
  tenant: string,
  domain: Domain,
  policyLimits: readonly number[] = [30],
): Promise<Op> {
  const ops = ctx.ops(process);
  const round = nextRound(ctx, tenant, domain);
  const tenantIndex = ctx.tenants.indexOf(tenant);
  if (domain === 'catalog') return ops.publishCatalog(tenant, catalogContent(tenant, round));
  if (domain === 'pricing') return ops.publishPrices(tenant, priceContent(tenantIndex, round));
  return ops.publishPolicy(tenant, policyLimits[round % policyLimits.length] as number);
}

/**
 * Every tenant gets a catalog, a price list and a policy; then every API instance reads each
 * offering once, so the workload starts from a warm cache. A seed that fails stops the scenario.
 */
export async function seedTenants(ctx: WorkloadContext, policyLimits: readonly number[] = [30]): Promise<void> {
  for (const tenant of ctx.tenants) {
    for (const domain of ['catalog', 'pricing', 'policy'] as const) {
      const done = await publishNext(ctx, 'setup', tenant, domain, policyLimits);
      if (done.type !== 'ok') throw new Error(`seeding ${domain} of ${tenant} failed: ${done.error ?? 'no answer'}`);
    }
  }
  for (const [i] of ctx.apiUrls.entries()) {
    const ops = ctx.ops(i);
    for (const tenant of ctx.tenants)
      for (const id of OFFERING_IDS) {
        await ops.readPrice(tenant, id);
        await ops.readOffering(tenant, id);
      }
  }
}

/** A publisher: the next round of one of `domains` for a random tenant. */
export function publisher(ctx: WorkloadContext, domains: readonly Domain[], policyLimits?: readonly number[]): Step {
  return async (w) => {
    await publishNext(ctx, w.process, w.random.pick(ctx.tenants), w.random.pick(domains), policyLimits);
  };
}

/** A browse read of a random tenant's random offering (price or offering). */
export function browse(ctx: WorkloadContext, tenants: readonly string[] = ctx.tenants): Step {
  return async (w) => {
    const ops = ctx.ops(w.process);
    const tenant = w.random.pick(tenants);
    const id = w.random.pick(OFFERING_IDS);
    if (w.random.next() < 0.5) await ops.readPrice(tenant, id);
    else await ops.readOffering(tenant, id);
  };
}

export interface QuoteFlowOptions {
  /** Discounts to draw from (percent). */
  discounts?: readonly number[];
  /** Pause between price and submit (ms range): where a publish can slip in. */
  priceToSubmitMs?: readonly [number, number];
  /** Share of accepted quotes converted to orders. */
  convertShare?: number;
}

const STALE = new Set(['QUOTE_PRICING_STALE', 'CATALOG_VERSION_STALE', 'APPROVAL_POLICY_STALE']);

/**
 * A quote walked to ACCEPTED: create, price, wait, submit; a stale rejection re-prices and submits
 * once more; approval when pending; accept. Resolves with the quote, or undefined at the first step
 * that did not succeed.
 */
export async function acceptedQuote(
  ctx: WorkloadContext,
  w: Worker,
  options: QuoteFlowOptions = {},
): Promise<{ tenant: string; quoteId: string } | undefined> {
  const discounts = options.discounts ?? [0, 5, 10];
  const [minGap, maxGap] = options.priceToSubmitMs ?? [50, 400];
  const ops = ctx.ops(w.process);
  const tenant = w.random.pick(ctx.tenants);
  const items = Array.from({ length: w.random.int(1, 2) }, () => ({
    offeringId: w.random.pick(OFFERING_IDS),
    quantity: w.random.int(1, 5),
    discountPct: w.random.pick(discounts),
  }));
  const created = await ops.createQuote(tenant, items);
  const quoteId = str(created.value.quoteId);
  if (created.type !== 'ok' || !quoteId) return;
  let submitted;
  for (let attempt = 0; attempt < 2; attempt++) {
    if ((await ops.transition(tenant, quoteId, 'price')).type !== 'ok') return;
    await sleep(w.random.int(minGap, maxGap), w.signal);
    submitted = await ops.transition(tenant, quoteId, 'submit');
    if (submitted.type === 'ok' || !STALE.has(submitted.error ?? '')) break;
  }
  if (submitted?.type !== 'ok') return;
  if (submitted.value.state === 'APPROVAL_PENDING' && (await ops.transition(tenant, quoteId, 'approve')).type !== 'ok')
    return;
  if ((await ops.transition(tenant, quoteId, 'accept')).type !== 'ok') return;
  return { tenant, quoteId };
}

/** One quote's life (`acceptedQuote`), then sometimes a convert with an idempotency key. */
export function quoteFlow(ctx: WorkloadContext, options: QuoteFlowOptions = {}): Step {
  return async (w) => {
    const accepted = await acceptedQuote(ctx, w, options);
    if (accepted && w.random.next() < (options.convertShare ?? 0.3))
      await ctx.ops(w.process).convert(accepted.tenant, accepted.quoteId, `${accepted.quoteId}-order`);
  };
}

/** After quiesce: every tenant's every offering and price, from every API instance, marked `final`. */
export async function finalCacheReads(ctx: WorkloadContext): Promise<void> {
  for (const [i] of ctx.apiUrls.entries()) {
    const ops = ctx.ops(`final-${i}`, i);
    for (const tenant of ctx.tenants)
      for (const id of OFFERING_IDS) {
        await ops.readPrice(tenant, id, 'final');
        await ops.readOffering(tenant, id, 'final');
      }
  }
}

export interface MainPhaseOptions {
  /** Domains the publisher (worker 0) publishes, one every ~`publishEveryMs`. */
  publish: readonly Domain[];
  publishEveryMs: number;
  policyLimits?: readonly number[];
  /** Weights of the other workers' steps. */
  quotes: number;
  browse: number;
  flow?: QuoteFlowOptions;
  /** Mean pause between a worker's steps (ms). */
  staggerMs?: number;
}

/** The usual workload: worker 0 publishes; the others run quote lifecycles and browse reads, until the time limit. */
export function mainPhase(ctx: WorkloadContext, options: MainPhaseOptions): Phase {
  const steps: [number, Step][] = [];
  if (options.quotes > 0) steps.push([options.quotes, quoteFlow(ctx, options.flow)]);
  if (options.browse > 0) steps.push([options.browse, browse(ctx)]);
  return {
    name: 'main',
    gen: timeLimit(
      ctx.timeLimitMs,
      either(
        onWorkers(
          (p) => p === 0,
          stagger(options.publishEveryMs, repeat(publisher(ctx, options.publish, options.policyLimits))),
        ),
        onWorkers((p) => p !== 0, stagger(options.staggerMs ?? 20, mix(steps))),
      ),
    ),
  };
}
