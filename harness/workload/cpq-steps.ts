/**
 * Workload steps over the CPQ contract, shared by the scenarios: seeding each tenant with its
 * distinguishable data, publishers of new versions, the quote lifecycle (create → price → submit →
 * approve? → accept → convert?), browse reads, and the final reads after quiesce. Every request is
 * a recorded op; choices come from the worker's seeded stream. Publishes, reads and quote steps are
 * drawn as the step values of steps.ts and run by the same interpreter as an exploration's.
 */
import type { Fault } from '../faults/fault.ts';
import type { WorkloadContext } from './context.ts';
import { systemError, type Domain } from '../core/vocabulary.ts';
import {
  either,
  mix,
  onWorkers,
  repeat,
  stagger,
  timeLimit,
  type Phase,
  type Step,
  type Worker,
} from './generators.ts';
import { nextPolicyLimit, publishNext } from './publish-rounds.ts';
import { runStep, type StepTarget } from './step-interpreter.ts';
import { ExploreModel } from './step-model.ts';
import type { Step as StepValue } from './steps.ts';
import type { Operations } from './operations.ts';
import { CURRENCIES, OFFERING_IDS } from './tenant-data.ts';

const NO_FAULTS: ReadonlyMap<string, Fault> = new Map();

/** A worker's steps: recorded under its process, a `wait` ended by its signal. */
const workerTarget = (ctx: WorkloadContext, w: Worker): StepTarget => ({
  ctx,
  faults: NO_FAULTS,
  process: w.process,
  signal: w.signal,
});

/**
 * Every tenant gets a catalog, a price list and a policy; then every API instance reads each
 * offering once, so the workload starts from a warm cache. A seed that fails stops the scenario.
 */
export async function seedTenants(ctx: WorkloadContext, policyLimits: readonly number[] = [30]): Promise<void> {
  const seeds = [
    ['catalog', undefined],
    ...CURRENCIES.map((currency) => ['pricing', currency] as const),
    ['policy', undefined],
  ] as const;
  for (const tenant of ctx.tenants) {
    for (const [domain, currency] of seeds) {
      const done = await publishNext(ctx, 'setup', tenant, domain, { policyLimits, ...(currency ? { currency } : {}) });
      if (done.type !== 'ok') throw new Error(`seeding ${domain} of ${tenant} failed: ${done.error ?? 'no answer'}`);
    }
  }
  for (const [i] of ctx.apiUrls.entries()) await readEverything(ctx.ops(i), ctx.tenants);
}

/** A publisher: the next round of one of `domains` for a random tenant. */
export function publisher(
  ctx: WorkloadContext,
  domains: readonly Domain[],
  policyLimits: readonly number[] = [30],
): Step {
  return async (w) => {
    const tenant = w.random.pick(ctx.tenants);
    const domain = w.random.pick(domains);
    const position = ctx.tenants.indexOf(tenant);
    const step: StepValue =
      domain === 'policy'
        ? { kind: 'publish-policy', tenant: position, maxDiscountPct: nextPolicyLimit(ctx, tenant, policyLimits) }
        : {
            kind: 'publish',
            tenant: position,
            domain,
            ...(domain === 'pricing' ? { currency: w.random.pick(CURRENCIES) } : {}),
          };
    await runStep(workerTarget(ctx, w), undefined, step);
  };
}

/** A browse read of a random tenant's random offering (price in a random currency, or offering), through the worker's API instance. */
export function browse(ctx: WorkloadContext, tenants: readonly string[] = ctx.tenants): Step {
  return async (w) => {
    const tenant = ctx.tenants.indexOf(w.random.pick(tenants));
    const offering = w.random.pick(OFFERING_IDS);
    const what = w.random.next() < 0.5 ? 'price' : 'offering';
    const instance = w.process % ctx.apiUrls.length;
    const currency = w.random.pick(CURRENCIES);
    await runStep(workerTarget(ctx, w), undefined, { kind: 'read', tenant, what, offering, instance, currency });
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
  return (await walkToAccepted(ctx, w, options)).accepted;
}

/** `acceptedQuote`'s steps, on a walk that names the quote `q0` (for a convert that follows). */
async function walkToAccepted(
  ctx: WorkloadContext,
  w: Worker,
  options: QuoteFlowOptions,
): Promise<{ walk: QuoteWalk; accepted?: { tenant: string; quoteId: string } }> {
  const walk = quoteWalk(ctx, w);
  const stopped = { walk };
  const discounts = options.discounts ?? [0, 5, 10];
  const [minGap, maxGap] = options.priceToSubmitMs ?? [50, 400];
  const tenant = ctx.tenants.indexOf(w.random.pick(ctx.tenants));
  const lines = Array.from({ length: w.random.int(1, 2) }, () => ({
    offering: w.random.pick(OFFERING_IDS),
    quantity: w.random.int(1, 5),
    discountPct: w.random.pick(discounts),
  }));
  const [first, ...more] = lines as [(typeof lines)[number], ...typeof lines];
  const created = await walk.run({
    kind: 'create-quote',
    tenant,
    ...first,
    upTo: 'draft',
    ...(more.length ? { more } : {}),
  });
  const quote = walk.model.quotes[0];
  if (created?.type !== 'ok' || !quote) return stopped;
  let submitted;
  for (let attempt = 0; attempt < 2; attempt++) {
    if ((await walk.run({ kind: 'quote', quote: 0, action: 'price' }))?.type !== 'ok') return stopped;
    await walk.run({ kind: 'wait', ms: w.random.int(minGap, maxGap) });
    submitted = await walk.run({ kind: 'quote', quote: 0, action: 'submit' });
    if (submitted?.type === 'ok' || !STALE.has(submitted?.error ?? '')) break;
  }
  if (submitted?.type !== 'ok') return stopped;
  if (
    submitted.value.state === 'APPROVAL_PENDING' &&
    (await walk.run({ kind: 'quote', quote: 0, action: 'approve' }))?.type !== 'ok'
  )
    return stopped;
  if ((await walk.run({ kind: 'quote', quote: 0, action: 'accept' }))?.type !== 'ok') return stopped;
  return { walk, accepted: { tenant: ctx.tenants[tenant] as string, quoteId: quote.quoteId } };
}

type QuoteWalk = ReturnType<typeof quoteWalk>;

/** One quote's steps on a worker: a model of its own names the quote `q0`; `run` resolves with the last completion. */
function quoteWalk(ctx: WorkloadContext, w: Worker) {
  const model = new ExploreModel(new Set(), ctx.tenants);
  const target = workerTarget(ctx, w);
  return {
    model,
    async run(step: StepValue) {
      const done = await runStep(target, model, step);
      model.observe(step, done);
      return done[done.length - 1];
    },
  };
}

/** One quote's life (`acceptedQuote`), then sometimes a convert with an idempotency key. */
export function quoteFlow(ctx: WorkloadContext, options: QuoteFlowOptions = {}): Step {
  return async (w) => {
    const { walk, accepted } = await walkToAccepted(ctx, w, options);
    // The key is `<quoteId>-order`: one key per quote, so a retried flow replays rather than re-converts.
    if (accepted && w.random.next() < (options.convertShare ?? 0.3))
      await walk.run({ kind: 'convert', quote: 0, key: 'order', copies: 1 });
  };
}

/**
 * Final reads in a row an instance left unanswered (a 5xx or no answer) after which an exploration
 * reads no further through it. Each waits out its client timeout: an instance that stopped answering
 * (a pool exhausted by a leak) held an exploration's replay 187 s of 226 in its final reads, every
 * tenant, offering and currency, when the first unanswered one had already failed the run
 * (`available-after-recovery`, which every exploration judges). Not the first: one transient 503
 * must not cost the reads after it.
 */
export const FINAL_UNANSWERED_LIMIT = 3;

/**
 * After quiesce: every tenant's every offering and price, from every API instance, marked `final`.
 * Given `giveUpAfter` (only where `available-after-recovery` judges the run: an unanswered final
 * read fails it), an instance that leaves that many in a row unanswered is read no further, and the
 * reads left unmade are counted in the quiesce report (`finalReadsLeft`).
 */
export async function finalCacheReads(ctx: WorkloadContext, giveUpAfter?: number): Promise<void> {
  for (const [i] of ctx.apiUrls.entries()) {
    const left = await readEverything(ctx.ops(`final-${i}`, i), ctx.tenants, 'final', giveUpAfter);
    const quiesce = ctx.finalState.observations.quiesce;
    if (left > 0 && quiesce) quiesce.finalReadsLeft = [...(quiesce.finalReadsLeft ?? []), { instance: i, reads: left }];
  }
}

/**
 * Every tenant's every offering, and its price in every currency, one at a time (marked `phase` when
 * given), until `giveUpAfter` in a row are unanswered; resolves with how many were left unmade.
 */
export async function readEverything(
  ops: Operations,
  tenants: readonly string[],
  phase?: string,
  giveUpAfter = Number.POSITIVE_INFINITY,
): Promise<number> {
  const reads = tenants.flatMap((tenant) =>
    OFFERING_IDS.flatMap((id) => [
      ...CURRENCIES.map((currency) => () => ops.readPrice(tenant, id, phase, currency)),
      () => ops.readOffering(tenant, id, phase),
    ]),
  );
  let unanswered = 0;
  for (const [n, read] of reads.entries()) {
    unanswered = systemError(await read()) ? unanswered + 1 : 0;
    if (unanswered >= giveUpAfter) return reads.length - n - 1;
  }
  return 0;
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
