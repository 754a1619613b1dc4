/**
 * fast-check arbitraries of steps per family, and the command that wraps a step for fast-check's
 * model-based runs (`check` = the model says it is applicable, `run` = the interpreter performs it,
 * `toString` = the step's description). Weights favour what leads somewhere: quotes that get
 * priced and submitted, converts of accepted quotes, faults started and healed.
 */
import fc from 'fast-check';
import { CURRENCIES, OFFERING_IDS } from '../../workload/tenant-data.ts';
import type { ExploreModel } from '../../workload/step-model.ts';
import { describeStep, type QuoteAction, type QuoteStage, type Step } from '../../workload/steps.ts';
import type { ExploreFamily } from './family.ts';

type Perform = (step: Step) => Promise<void>;

/** A step as a fast-check async command. */
export class StepCommand implements fc.AsyncCommand<ExploreModel, Perform> {
  constructor(readonly step: Step) {}
  check(model: Readonly<ExploreModel>): boolean {
    return model.applicable(this.step);
  }
  async run(_model: ExploreModel, perform: Perform): Promise<void> {
    await perform(this.step);
  }
  toString(): string {
    return describeStep(this.step);
  }
}

const OFFERINGS = OFFERING_IDS.slice(0, 3);

function weighted(entries: [number, fc.Arbitrary<Step>][]): fc.Arbitrary<Step> {
  return fc.oneof(...entries.filter(([w]) => w > 0).map(([weight, arbitrary]) => ({ weight, arbitrary })));
}

/** Steps of `family`'s explorations, over `tenants` tenants. */
export function stepArbitrary(family: ExploreFamily): fc.Arbitrary<Step> {
  // Mostly the first tenant, so a quote, a publish and a submit often meet; the others are for isolation.
  const tenant = fc.oneof(
    { weight: 3, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.nat({ max: family.tenants - 1 }) },
  );
  // Mostly the first quotes: a step naming a quote the run has not created is skipped.
  const quote = fc.oneof(
    { weight: 4, arbitrary: fc.constant(0) },
    { weight: 2, arbitrary: fc.constant(1) },
    { weight: 1, arbitrary: fc.nat({ max: 3 }) },
  );
  const offering = fc.constantFrom(...OFFERINGS);
  const cache = family.name !== 'messaging';
  const messaging = family.name !== 'cache';
  // Price lists in several currencies: a publish replaces one, reads of the others must carry over.
  const currency = fc.constantFrom(...CURRENCIES);
  const publish = fc
    .record({
      kind: fc.constant('publish' as const),
      tenant,
      domain: fc.constantFrom('pricing' as const, 'catalog' as const),
      reads: cache ? fc.constantFrom(0, 0, 10) : fc.constant(0),
      currency,
      // One publish in four a storm: a dozen versions back to back (tenants reach dozens of versions).
      times: cache ? fc.constantFrom(1, 1, 1, 12) : fc.constant(1),
    })
    .map(({ currency, times, ...publish }) => ({
      ...publish,
      ...(publish.domain === 'pricing' ? { currency } : {}),
      ...(times > 1 ? { times } : {}),
    }));
  // Three in four policy publishes are met by a submit the moment they are acknowledged: the window in
  // which only the caches hold the old policy lasts as long as invalidation takes (tens of ms), and
  // separate steps met it in about 4% of runs (a simulation of this draw; found once in 300 s on seed 1).
  const policy = fc
    .record({
      kind: fc.constant('publish-policy' as const),
      tenant,
      maxDiscountPct: fc.constantFrom(5, 30),
      submit: fc.option(quote, { nil: undefined, freq: 4 }),
    })
    .map(({ submit, ...policy }) => (submit === undefined ? policy : { ...policy, submit }));
  const create = fc.record({
    kind: fc.constant('create-quote' as const),
    tenant,
    offering,
    quantity: fc.integer({ min: 1, max: 5 }),
    discountPct: fc.constantFrom(0, 10, 20),
    // Orders keep coming where messaging is judged: a quote taken straight to an order is an event
    // for the consumers (and a unit of work through every seam on its path) whatever else is drawn.
    upTo: cache
      ? messaging
        ? fc.constantFrom<QuoteStage>('priced', 'priced', 'draft', 'accepted', 'ordered')
        : fc.constantFrom<QuoteStage>('priced', 'priced', 'draft', 'accepted')
      : fc.constantFrom<QuoteStage>('accepted', 'accepted', 'ordered'),
  });
  const action = fc.record({
    kind: fc.constant('quote' as const),
    quote,
    // Submit most: it is the command that must revalidate what the caches say.
    action: fc.constantFrom<QuoteAction>('submit', 'submit', 'submit', 'submit', 'price', 'approve', 'accept'),
  });
  const convert = fc
    .record({
      kind: fc.constant('convert' as const),
      quote,
      key: fc.constantFrom('a', 'b'),
      copies: fc.constantFrom(1, 1, 2, 4),
      // Sometimes the first request gives up early and is retried under the same key.
      timeoutMs: fc.constantFrom(undefined, undefined, 30),
    })
    .map(({ timeoutMs, ...convert }) => (timeoutMs === undefined ? convert : { ...convert, timeoutMs }));
  const read = fc
    .record({
      kind: fc.constant('read' as const),
      tenant,
      what: fc.constantFrom('price' as const, 'offering' as const),
      offering,
      instance: fc.nat({ max: 1 }),
      currency,
    })
    .map(({ currency, ...read }) => (read.what === 'price' ? { ...read, currency } : read));
  const stampede = fc.record({ kind: fc.constant('stampede' as const), tenant, requests: fc.constant(60) });
  // Enough at once to use up an instance's connection pool when its connections are being cut.
  const burst = fc.record({ kind: fc.constant('burst' as const), tenant, requests: fc.constant(20) });
  // A system that can take none of the family's faults (`leftOut`) is explored without fault steps.
  const fault = family.faults.length
    ? fc.record({
        kind: fc.constant('fault' as const),
        fault: fc.oneof(
          ...family.faults.map((f) => ({ weight: family.faultWeights[f] ?? 1, arbitrary: fc.constant(f) })),
        ),
        action: fc.constantFrom('start' as const, 'start' as const, 'stop' as const),
      })
    : undefined;
  const wait = fc.record({ kind: fc.constant('wait' as const), ms: fc.constantFrom(200, 800, 2000) });
  return weighted([
    [cache ? 4 : 1, publish],
    // Policy publishes are rare in production but each opens an approval window: drawn often enough to meet one.
    [cache ? 3 : 0, policy],
    [3, create],
    [cache ? 6 : 1, action],
    [messaging ? 3 : 0, convert],
    [cache ? 2 : 0, read],
    [cache ? 1 : 0, stampede],
    [1, burst],
    // Both families' faults share the draws in `all`: fault steps come more often there.
    ...(fault ? ([[cache && messaging ? 8 : 3, fault]] as [number, fc.Arbitrary<Step>][]) : []),
    [1, wait],
  ]);
}

/**
 * Sequences of up to `maxSteps` commands. `replayPath` is fast-check's record of which commands ran
 * at each shrink (a shrink keeps only those): replaying a shrunk counterexample needs it, since
 * fast-check walks the path without running the sequences on the way.
 */
export function commandsArbitrary(family: ExploreFamily, maxSteps: number, replayPath?: string) {
  // 'max': sequences as long as allowed (a run's fixed cost — seeding, quiesce — is paid per sequence).
  return fc.commands([fc.noShrink(stepArbitrary(family)).map((step) => new StepCommand(step))], {
    maxCommands: maxSteps,
    size: 'max',
    ...(replayPath !== undefined ? { replayPath } : {}),
  });
}

/** `3:1:0@AB:cd` → fast-check's path and the commands' replay path (after `@`, when there is one). */
export function splitReplayPath(path: string): { path: string; replayPath?: string } {
  const at = path.indexOf('@');
  return at === -1 ? { path } : { path: path.slice(0, at), replayPath: path.slice(at + 1) };
}

/** The counterexample's full path: fast-check's, plus `@` and the commands' replay path it reports. */
export function fullReplayPath(counterexamplePath: string, counterexample: unknown): string {
  const replayPath = /replayPath="([^"]*)"/.exec(String(counterexample))?.[1];
  return replayPath ? `${counterexamplePath}@${replayPath}` : counterexamplePath;
}

/** Whether a drawn sequence has steps: an empty one is passed over unrun (nothing to run, nothing to learn). */
export const hasSteps = (commands: Iterable<unknown>): boolean => !commands[Symbol.iterator]().next().done;

/**
 * The draws an exploration asks fast-check for: the seed's first ones, as many as it takes for `runs`
 * of them to have steps (at most `limit`). Without this `--runs 60` ran 54 sequences on seed 3 — and,
 * 12 at once, a last round of 6 that took as long as a full one. The i-th draw is the same whatever
 * the count, so a sequence keeps its path (`--path i:…`), run alone or among others.
 */
export function drawsFor<T extends Iterable<unknown>>(
  arbitrary: fc.Arbitrary<T>,
  seed: number,
  runs: number,
  limit = 4 * runs,
): T[] {
  const drawn = fc.sample(arbitrary, { seed, numRuns: limit });
  let withSteps = 0;
  const end = drawn.findIndex((commands) => hasSteps(commands) && ++withSteps === runs);
  return end === -1 ? drawn : drawn.slice(0, end + 1);
}
