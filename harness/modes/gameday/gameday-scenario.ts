/**
 * A drill as a scenario, so it has every scenario's lifecycle (seed → workload with faults → heal →
 * quiesce → final reads → every checker): its workload is background traffic (a publisher of
 * catalog, price lists and policies; converters under every idempotency outcome; workers walking
 * quotes and browsing) that flows until the conductor (conductor.ts) has run the baseline, the
 * method and the recovery. After the final reads, the reconcile endpoint is asked for anything
 * still inconsistent. The drill's record goes into the final state (`observations.gameday`).
 */
import { availabilityUnderCacheOutage } from '../../checkers/availability-under-cache-outage.ts';
import { boundedStaleness } from '../../checkers/bounded-staleness.ts';
import { effectsExactlyOnce } from '../../checkers/effects-exactly-once.ts';
import { idempotentReplay } from '../../checkers/idempotent-replay.ts';
import { noApprovalBypass } from '../../checkers/no-approval-bypass.ts';
import { noLostEvents } from '../../checkers/no-lost-events.ts';
import { noStaleSubmit } from '../../checkers/no-stale-submit.ts';
import { singleOrderPerQuote } from '../../checkers/single-order-per-quote.ts';
import { tenantIsolation } from '../../checkers/tenant-isolation.ts';
import type { Checker } from '../../core/checker.ts';
import { emptyFinalState } from '../../core/final-state.ts';
import { systemError } from '../../core/vocabulary.ts';
import { faultCatalog } from '../../faults/catalog.ts';
import type { Fault } from '../../faults/fault.ts';
import { faultPackage } from '../../faults/schedule.ts';
import { convertStorm, prepareAcceptedQuotes } from '../../workload/convert-steps.ts';
import { browse, finalCacheReads, publisher, quoteFlow, seedTenants } from '../../workload/cpq-steps.ts';
import { either, mix, once, onWorkers, repeat, stagger, until } from '../../workload/generators.ts';
import { noopScenario, type Scenario, type ScenarioContext } from '../../runner/scenario.ts';
import { conduct } from './conductor.ts';
import { appendMark, type LiveGameday } from './live.ts';
import type { GamedayPlan } from './plan-types.ts';
import { runAction } from './actions.ts';
import { readTick, reconcileKinds, type TickSources } from './probe-reader.ts';
import { liveViolations } from './live-checks.ts';
import { startControl } from './control.ts';

const POLICY_LIMITS = [10, 30];
const CACHE_OUTAGES = new Set(['redis-outage', 'redis-restart']);
const CHECKERS: Record<GamedayPlan['checkers'][number], readonly Checker[]> = {
  cache: [noStaleSubmit, noApprovalBypass, tenantIsolation, boundedStaleness],
  messaging: [singleOrderPerQuote, idempotentReplay, noLostEvents, effectsExactlyOnce],
};

export interface DrillHooks {
  speed: number;
  /** Called once the system runs: the live file other terminals and the actions read. */
  live(ctx: ScenarioContext, control: string): LiveGameday;
  say(line: string): void;
  /** Runbook steps naming metrics the system does not export (a gap, found when the plan was read). */
  unexportedMetrics: { step: string; metric: string }[];
}

/** The checkers a drill runs: its families', plus availability when the method takes the cache out. */
function checkersOf(plan: GamedayPlan): Checker[] {
  const outage = plan.method.some((m) => CACHE_OUTAGES.has(m.fault));
  return [
    ...new Set([...plan.checkers.flatMap((c) => CHECKERS[c]), ...(outage ? [availabilityUnderCacheOutage] : [])]),
  ];
}

/** The scenario of `plan` (already at its speed). */
export function gamedayScenario(plan: GamedayPlan, hooks: DrillHooks): Scenario {
  const catalog = faultCatalog();
  const entries = plan.method.map((m) => catalog.get(m.fault)).filter((e) => e !== undefined);
  const workers = 1 + plan.traffic.converters + plan.traffic.workers + 1;
  return {
    ...noopScenario,
    name: `gameday-${plan.name}`,
    family: 'gameday',
    purpose: plan.title,
    tags: ['gameday'],
    checkers: checkersOf(plan),
    faultNames: plan.method.map((m) => m.fault),
    requires: entries.flatMap((e) => e.requires),
    tenants: 2,
    instances: 2,
    concurrency: workers,
    timeLimitS: 3600,
    setup: async (ctx) => {
      await seedTenants(ctx, POLICY_LIMITS);
      if (plan.traffic.converters > 0) await prepareAcceptedQuotes(ctx, 40, { parallel: 4 });
    },
    workload: (ctx) => {
      let done = false;
      const converter = (p: number) => p >= 1 && p <= plan.traffic.converters;
      const conductor = workers - 1;
      // Judged by no-stale-submit, a drill needs submits that race a publish: a quote then waits up
      // to 1.2 s between price and submit, as a user reviewing it would (with 0–200 ms, seed 13's
      // lock-contention drill had 119 submits, none raced, and the checker could not decide).
      const gap = plan.checkers.includes('cache') ? ([200, 1200] as const) : ([0, 200] as const);
      const steps = mix([
        [2, quoteFlow(ctx, { discounts: [0, 5, 20], priceToSubmitMs: gap })],
        [3, browse(ctx)],
      ]);
      return [
        {
          name: 'drill',
          gen: either(
            onWorkers(
              (p) => p === conductor,
              once(async () => {
                try {
                  await drill(
                    ctx,
                    plan,
                    hooks,
                    entries.map((e) => e.fault),
                  );
                } finally {
                  done = true;
                }
              }),
            ),
            until(
              () => done,
              either(
                onWorkers(
                  (p) => p === 0,
                  stagger(
                    plan.traffic.publishEveryMs,
                    repeat(publisher(ctx, ['pricing', 'catalog', 'policy'], POLICY_LIMITS)),
                  ),
                ),
                onWorkers(converter, stagger(1500, repeat(convertStorm(ctx)))),
                onWorkers((p) => p !== conductor, stagger(150, steps)),
              ),
            ),
          ),
        },
      ];
    },
    // Set up with the run (a stale snapshot is taken before the traffic); started and healed by the conductor.
    faults: () => entries.map((e) => faultPackage(e.fault, [])),
    finalReads: async (ctx) => {
      if (plan.checkers.includes('cache')) await finalCacheReads(ctx);
      const drillObs = ctx.finalState.observations.gameday;
      const kinds = await reconcileKinds(ctx.apiUrls, ctx.tenants, 1, 10_000);
      if (drillObs && kinds) {
        const counts: Record<string, number> = {};
        for (const k of kinds) counts[k] = (counts[k] ?? 0) + 1;
        drillObs.reconcileAfter = counts;
      }
    },
  };
}

/** Runs the conductor with the context's faults, probes and traffic, and stores what it saw. */
async function drill(ctx: ScenarioContext, plan: GamedayPlan, hooks: DrillHooks, faults: Fault[]) {
  let marks: string | undefined;
  const control = await startControl(ctx.system, (line) => {
    hooks.say(line);
    if (marks) appendMark(marks, line, 'control');
  });
  try {
    const live = hooks.live(ctx, control.url);
    marks = live.marks;
    await conductDrill(ctx, plan, hooks, faults, live);
  } finally {
    await control.close();
  }
}

async function conductDrill(
  ctx: ScenarioContext,
  plan: GamedayPlan,
  hooks: DrillHooks,
  faults: Fault[],
  live: LiveGameday,
) {
  const probes = [...plan.steadyState, ...plan.signals, ...plan.stopConditions];
  const sources: TickSources = {
    metricsUrls: ctx.system.describe().metrics,
    apiUrls: ctx.apiUrls,
    tenants: ctx.tenants,
    reconcile: probes.some((p) => p.kind === 'reconcile'),
    failedRequests: failedSince(ctx),
    ...(probes.some((p) => p.kind === 'checkers')
      ? {
          violations: liveViolations(
            checkersOf(plan),
            { length: () => ctx.history.countOf(ctx.scenario), ops: () => ctx.history.opsOf(ctx.scenario) },
            emptyFinalState(ctx.finalState.parameters),
          ),
        }
      : {}),
  };
  const observation = await conduct({
    plan,
    speed: hooks.speed,
    faults,
    inject: (fault, action) => ctx.inject(fault, action),
    read: (atMs) => readTick(sources, atMs),
    live,
    runAction: (name, atMs) => runAction(plan, name, live, atMs),
    historyOffsetMs: () => Date.now() - ctx.history.epochMs,
    signal: ctx.signal,
    say: hooks.say,
    status: (text) => ctx.status(text),
  });
  observation.unexportedMetrics = hooks.unexportedMetrics;
  ctx.finalState.observations.gameday = observation;
}

/** Counts the drill traffic's requests with no answer or a 5xx since the first call (incrementally). */
function failedSince(ctx: ScenarioContext): () => number {
  let seen: number | undefined;
  let failed = 0;
  return () => {
    // Nothing recorded since the last tick: no need to filter the whole history again.
    if (seen !== undefined && ctx.history.countOf(ctx.scenario) === seen) return failed;
    const ops = ctx.history.opsOf(ctx.scenario);
    for (const op of ops.slice(seen ?? ops.length))
      if (op.type !== 'invoke' && typeof op.process === 'number' && systemError(op)) failed++;
    seen = ops.length;
    return failed;
  };
}
