/**
 * The interpreter of steps (steps.ts) over the live system: each step becomes recorded ops through
 * the workload's context — business steps through the contract client, fault steps through the
 * run's nemesis (so they are recorded, and healed at the end if still in effect). The model sees
 * every step with its completions and says what broke.
 */
import type { Op } from '../core/op.ts';
import { systemError } from '../core/vocabulary.ts';
import type { Fault } from '../faults/fault.ts';
import type { WorkloadContext } from './context.ts';
import { publishNext } from './publish-rounds.ts';
import { sleep } from './generators.ts';
import { hotKeyBurst } from './stampede.ts';
import { acceptedEverywhere, convertAll } from './crossing-orders.ts';
import { createQuote } from './quote-lifecycle.ts';
import { CURRENCY, OFFERING_IDS } from './tenant-data.ts';
import type { ExploreModel, ModelViolation } from './step-model.ts';
import type { Step } from './steps.ts';

/** What steps run against: the workload's context, and the run's faults by name (set up by the nemesis). */
export interface StepTarget {
  ctx: WorkloadContext;
  faults: ReadonlyMap<string, Fault>;
  /** The process its ops are recorded under (default `explore`; a scenario's worker passes its own). */
  process?: number | string;
  /** What ends a `wait` early (default the run's signal; a worker passes its own). */
  signal?: AbortSignal;
  /**
   * After each acknowledged publish, read what it published back through every API instance this
   * long later, in the background (a storefront refreshing): the read a staleness budget judges.
   * Its promises collect in `pending`; the driver awaits them before the run heals.
   */
  readBack?: { afterMs: number; pending: Promise<unknown>[] };
  /**
   * Faults whose start is met by orders through every API instance (crossing-orders.ts: accepted
   * just before it, converted all at once just after): a crash between two writes happens only
   * where a unit of work crosses the seam, and otherwise waits on whatever steps happen to follow.
   */
  crossing?: ReadonlySet<string>;
  /**
   * Faults whose start is spanned by cached state: just before it every instance reads each tenant's
   * catalog and prices (state that then ages across the fault), just after it each tenant publishes
   * both (read back through every instance later), and its heal waits for those read-backs. A clock
   * jump changes nothing a workload sees until something cached before it has to age out after it;
   * drawn steps rarely line those three up.
   */
  spanning?: ReadonlySet<string>;
}

/** Reads `domain`'s first offering of `tenant` through every instance, `afterMs` from now, as processes `read-back-<n>-<i>`. */
function readBack(target: StepTarget, tenant: string, domain: 'catalog' | 'pricing', currency?: string): void {
  const { ctx, readBack: spec } = target;
  if (!spec) return;
  const offering = OFFERING_IDS[0] as string;
  const n = spec.pending.length;
  const read = () =>
    Promise.all(
      ctx.apiUrls.map((_, i) => {
        const reader = ctx.ops(`read-back-${n}-${i}`, i);
        return domain === 'pricing'
          ? reader.readPrice(tenant, offering, undefined, currency)
          : reader.readOffering(tenant, offering);
      }),
    );
  spec.pending.push(sleep(spec.afterMs, ctx.signal).then(read));
}

/** Performs `step` (which must be applicable to `model`) and lets the model judge it. */
export async function performStep(target: StepTarget, model: ExploreModel, step: Step): Promise<ModelViolation[]> {
  // Among sequences run at once, every request takes its turn, and a stampede's measurement its turn
  // alone (runner/turns.ts, stampede.ts): a step holds no turn of its own.
  return model.observe(step, await runStep(target, model, step));
}

/**
 * Performs `step` and resolves with the completions it recorded; `model` names the quotes (needed
 * by quote and convert steps only) — the caller lets it observe the completions.
 */
export async function runStep(target: StepTarget, model: ExploreModel | undefined, step: Step): Promise<Op[]> {
  const { ctx } = target;
  const who = target.process ?? 'explore';
  const ops = ctx.ops(who);
  const quoteOf = (position: number) => {
    if (!model) throw new Error(`${step.kind} steps need the model that names the quotes`);
    return model.quotes[position];
  };
  const tenantOf = (position: number) => ctx.tenants[position % ctx.tenants.length] as string;
  switch (step.kind) {
    case 'publish': {
      const tenant = tenantOf(step.tenant);
      // A storm (`times` > 1): versions back to back, each sent when the last is acknowledged. It
      // ends at the first one the system did not answer (a timeout, a 5xx): under a frozen database
      // each of the rest would wait out the same budget (seed 1 at 12 at once: one storm of ten held
      // a black hole for 29 s). A business refusal (4xx) goes on.
      const published = untilUnanswered(
        Array.from(
          { length: step.times ?? 1 },
          () => () => publishNext(ctx, who, tenant, step.domain, { currency: step.currency ?? CURRENCY }),
        ),
      );
      const racing = Array.from({ length: step.reads ?? 0 }, (_, i) => {
        const reader = ctx.ops(`${who}-race-${i}`, i);
        const offering = OFFERING_IDS[i % OFFERING_IDS.length] as string;
        return step.domain === 'pricing'
          ? reader.readPrice(tenant, offering, undefined, step.currency)
          : reader.readOffering(tenant, offering);
      });
      const [versions, ...reads] = await Promise.all([published, ...racing]);
      if ((versions as Op[]).some((op) => op.type === 'ok')) readBack(target, tenant, step.domain, step.currency);
      return [...(versions as Op[]), ...(reads as Op[])];
    }
    case 'publish-policy': {
      const published = await ops.publishPolicy(tenantOf(step.tenant), step.maxDiscountPct);
      const quote = step.submit === undefined ? undefined : quoteOf(step.submit);
      if (!quote || published.type !== 'ok') return [published];
      return [published, await ops.transition(tenantOf(quote.tenant), quote.quoteId, 'submit')];
    }
    case 'create-quote':
      return createQuote(ctx, step, ops);
    case 'quote': {
      const quote = quoteOf(step.quote);
      if (!quote) return [];
      return [await ops.transition(tenantOf(quote.tenant), quote.quoteId, step.action)];
    }
    case 'convert': {
      const quote = quoteOf(step.quote);
      if (!quote) return [];
      const key = `${quote.quoteId}-${step.key}`;
      // One copy from a scenario's worker is that worker's request; a storm is a process per copy.
      if (step.copies === 1 && target.process !== undefined && step.timeoutMs === undefined)
        return [await ops.convert(tenantOf(quote.tenant), quote.quoteId, key)];
      const done = await Promise.all(
        Array.from({ length: step.copies }, (_, i) =>
          ctx
            .ops(`${who}-convert-${i}`, i, i === 0 ? step.timeoutMs : undefined)
            .convert(tenantOf(quote.tenant), quote.quoteId, key),
        ),
      );
      // The first copy's answer was lost (timed out, 5xx): the client retries with the same key.
      if (step.timeoutMs !== undefined && done[0]?.type === 'info')
        done.push(await ctx.ops(`${who}-convert-0`, 0).convert(tenantOf(quote.tenant), quote.quoteId, key));
      return done;
    }
    case 'read': {
      // An exploration reads as a process per instance; a scenario's worker reads as itself.
      const reader = ctx.ops(target.process ?? `${who}-read-${step.instance}`, step.instance);
      const tenant = tenantOf(step.tenant);
      return [
        step.what === 'price'
          ? await reader.readPrice(tenant, step.offering, undefined, step.currency)
          : await reader.readOffering(tenant, step.offering),
      ];
    }
    case 'stampede':
      // A burst whose publish failed (a fault in effect) measured nothing; its ops are recorded all the same.
      await hotKeyBurst(ctx, { tenant: tenantOf(step.tenant), requests: step.requests, slowSourceMs: 300 }).catch(
        () => undefined,
      );
      return [];
    case 'burst': {
      // Every other request converts one of the tenant's quotes, newest first, under a key of its
      // own: a transaction of several statements, which a cut connection can break half-way (a
      // create is one statement). Twenty at once can use up an instance's pool if broken ones leak.
      const tenant = tenantOf(step.tenant);
      const quotes = (model?.quotes ?? []).filter((q) => tenantOf(q.tenant) === tenant).reverse();
      return Promise.all(
        Array.from({ length: step.requests }, (_, i) => {
          const by = ctx.ops(`${who}-burst-${i}`, 0);
          const quote = i % 2 === 1 ? quotes[(i >> 1) % quotes.length] : undefined;
          if (quote) return by.convert(tenant, quote.quoteId, `${quote.quoteId}-s${model?.steps ?? 0}-${i}`);
          const offeringId = OFFERING_IDS[i % OFFERING_IDS.length] as string;
          return by.createQuote(tenant, [{ offeringId, quantity: 1, discountPct: 0 }]);
        }),
      );
    }
    case 'fault':
      return faultStep(target, step, who);
    case 'wait':
      await sleep(step.ms, target.signal ?? ctx.signal);
      return [];
  }
}

/** Starts or heals the step's fault, met by the traffic its class needs (`crossing`, `spanning`). */
async function faultStep(target: StepTarget, step: Extract<Step, { kind: 'fault' }>, who: number | string) {
  const { ctx } = target;
  const fault = target.faults.get(step.fault);
  if (!fault) throw new Error(`no fault ${step.fault} in this run`);
  const spanning = target.spanning?.has(step.fault) === true;
  const spanned = spanning && step.action === 'start';
  const crossing = step.action === 'start' && target.crossing?.has(step.fault) === true;
  const before = spanned ? await readEverywhere(ctx, `${who}-cached`) : [];
  const orders = crossing ? await acceptedEverywhere(ctx, who) : [];
  // Healed only once what it spanned was read back: a heal drawn right after the jump must not
  // hide what the jump did to the reads the staleness budget judges.
  if (spanning && step.action === 'stop') await Promise.all(target.readBack?.pending ?? []);
  await ctx.inject(fault, step.action);
  if (spanned) {
    // Like a storm, the publishes end at the first one the system did not answer.
    const after = await untilUnanswered(
      ctx.tenants.flatMap((tenant) =>
        (['catalog', 'pricing'] as const).map((domain) => async () => {
          const published = await publishNext(ctx, `${who}-spanned`, tenant, domain);
          if (published.type === 'ok') readBack(target, tenant, domain);
          return published;
        }),
      ),
    );
    return [...before, ...after];
  }
  return convertAll(orders);
}

/**
 * Sends `requests` one after another, up to the first the system did not answer (a timeout, a 5xx)
 * included: under a frozen dependency each of the rest would wait out the same budget. A business
 * refusal (4xx) is an answer.
 */
async function untilUnanswered(requests: readonly (() => Promise<Op>)[]): Promise<Op[]> {
  const done: Op[] = [];
  for (const request of requests) {
    const op = await request();
    done.push(op);
    if (systemError(op)) break;
  }
  return done;
}

/**
 * Every tenant's first offering and its price read through every instance, as processes `<as>-<i>`;
 * an instance's reads end at the first it did not answer (each of the rest would wait as long).
 */
async function readEverywhere(ctx: WorkloadContext, as: string): Promise<Op[]> {
  const offering = OFFERING_IDS[0] as string;
  const reads = ctx.apiUrls.map(async (_, i) => {
    const reader = ctx.ops(`${as}-${i}`, i);
    return untilUnanswered(
      ctx.tenants.flatMap((tenant) => [
        () => reader.readOffering(tenant, offering),
        () => reader.readPrice(tenant, offering),
      ]),
    );
  });
  return (await Promise.all(reads)).flat();
}
