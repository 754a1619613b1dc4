/**
 * Exploration families: which checkers judge an exploration's runs, which faults its steps may
 * start, how many tenants each run gets and the parameters it is judged with. `all` is the union.
 * The hostile-input family (`input`) has its own driver (hostile-input.ts) and no steps.
 */
import type { Checker } from '../../core/checker.ts';
import type { Parameters } from '../../core/final-state.ts';
import { availabilityUnderCacheOutage } from '../../checkers/availability-under-cache-outage.ts';
import { availableAfterRecovery } from '../../checkers/available-after-recovery.ts';
import { boundedStaleness } from '../../checkers/bounded-staleness.ts';
import { effectsExactlyOnce } from '../../checkers/effects-exactly-once.ts';
import { idempotentReplay } from '../../checkers/idempotent-replay.ts';
import { noApprovalBypass } from '../../checkers/no-approval-bypass.ts';
import { noLostEvents } from '../../checkers/no-lost-events.ts';
import { noStaleSubmit } from '../../checkers/no-stale-submit.ts';
import { singleOrderPerQuote } from '../../checkers/single-order-per-quote.ts';
import { stampedeBound } from '../../checkers/stampede-bound.ts';
import { tenantIsolation } from '../../checkers/tenant-isolation.ts';
import {
  FAULT_CLASSES,
  faultCatalog,
  ON_FRESHNESS_PATH,
  type CatalogFault,
  type FaultFamily,
} from '../../faults/catalog.ts';
import { noopScenario } from '../../runner/scenario.ts';
import { unmetRequirements, type SystemUnderTest } from '../../system/system.ts';

export const FAMILIES = ['cache', 'messaging', 'input', 'all'] as const;
export type FamilyName = (typeof FAMILIES)[number];
export type StepFamilyName = Exclude<FamilyName, 'input'>;

export interface ExploreFamily {
  name: StepFamilyName;
  checkers: readonly Checker[];
  /** Names in the fault catalog (faults/catalog.ts). */
  faults: readonly string[];
  tenants: number;
  parameters: Parameters;
  /** How much more often than 1 a fault is drawn (absent: 1). */
  faultWeights: Readonly<Record<string, number>>;
  /**
   * Each acknowledged publish is read back through every instance this long after, in the
   * background (past the reference system's 4 s staleness budget): the read that shows a cache
   * still stale after it promised to have caught up, whatever the steps around it.
   */
  readBackMs?: number;
  /** The faults of the family the system cannot run (its own system's `--system`), never drawn. */
  leftOut: readonly LeftOutFault[];
}

/** A fault of a family that the system under test cannot run, and what it lacks for it. */
export interface LeftOutFault {
  fault: string;
  why: string;
}

/** What an exploration needs to know of the system to leave out the faults it cannot run. */
export type FaultSupport = Pick<SystemUnderTest, 'name' | 'failpoints' | 'plan' | 'promises'>;

/** What `system` lacks to run `entry` (a component, an ability, a failpoint, a budget); empty: nothing. */
function lacks(system: FaultSupport, entry: CatalogFault): string[] {
  const budgets = system.promises.retryBudgetsMs ?? {};
  const undeclared = (entry.budgets ?? []).filter((b) => budgets[b] === undefined);
  return [
    ...unmetRequirements(system, noopScenario.instances, entry.requires),
    ...(undeclared.length ? [`sized from the '${undeclared.join("', '")}' budget, which it does not declare`] : []),
  ];
}

const CHECKERS: Record<FaultFamily, readonly Checker[]> = {
  cache: [
    noStaleSubmit,
    noApprovalBypass,
    tenantIsolation,
    boundedStaleness,
    availabilityUnderCacheOutage,
    stampedeBound,
    availableAfterRecovery,
  ],
  messaging: [singleOrderPerQuote, idempotentReplay, noLostEvents, effectsExactlyOnce, availableAfterRecovery],
};

/**
 * In `all`, the messaging faults dilute the Redis outages that availability-under-cache-outage
 * needs to have anything to judge: with every fault drawn alike, 20 runs of seeds 4, 6 and 7 met no
 * command inside an outage and the exploration could not decide. There, outages come up twice as
 * often as their class's share alone would draw them.
 */
const CACHE_OUTAGES = ['redis-outage', 'redis-restart', 'redis-freeze', 'redis-blackhole'];

/**
 * A run is short: a handful of commands inside an outage is already something to judge. The
 * staleness budget is kept through every fault of the family off the path a publish takes to the
 * caches (catalog.ts, `ON_FRESHNESS_PATH`): a clock jump, an instance's lost event feed (its cached
 * pointers age out on their own), a slow source (the stampede step's 300 ms on api-postgres), a
 * Redis outage, freeze or black hole (read around, never trusted more), a crashed billing consumer.
 * Those windows excuse no stale read — a Redis outage or a refused billing write drawn next to a
 * clock jump must not hide what the jump did (issue 26: they hid wall-clock-ttl).
 */
function parametersOf(entries: readonly [string, CatalogFault][]): Parameters {
  const kept = entries.filter(([name]) => !ON_FRESHNESS_PATH.has(name));
  return {
    minOutageCommands: 1,
    stalenessKeptThrough: kept.map(([, entry]) => `${entry.fault.name}:${entry.fault.target}`),
  };
}

/** Each fault class gets the same share of the draws, split among the class's faults of the family. */
const CLASS_SHARE = 12;

/** How often each fault is drawn: its class's share over its class's size (× 2 for cache outages in `all`). */
function weightsOf(name: StepFamilyName, entries: readonly [string, CatalogFault][]): Record<string, number> {
  const sizes = new Map(FAULT_CLASSES.map((c) => [c, entries.filter(([, f]) => f.class === c).length]));
  return Object.fromEntries(
    entries.map(([fault, entry]) => [
      fault,
      Math.max(1, Math.round(CLASS_SHARE / (sizes.get(entry.class) ?? 1))) *
        (name === 'all' && CACHE_OUTAGES.includes(fault) ? 2 : 1),
    ]),
  );
}

/**
 * The family `name`; with `system`, without the faults it cannot run (`leftOut` says which and
 * why), so a system without, say, a relay is still explored with every fault it can take. The same
 * system gives the same family, so a replay line (which names `--system`) draws the same steps.
 */
export function familyOf(name: StepFamilyName, system?: FaultSupport): ExploreFamily {
  const parts: FaultFamily[] = name === 'all' ? ['cache', 'messaging'] : [name];
  const whole = [...faultCatalog()].filter(([, f]) => f.families.some((x) => parts.includes(x)));
  const leftOut = system
    ? whole.flatMap(([fault, entry]) => {
        const why = lacks(system, entry);
        return why.length ? [{ fault, why: why.join('; ') }] : [];
      })
    : [];
  const entries = whole.filter(([fault]) => !leftOut.some((l) => l.fault === fault));
  return {
    leftOut,
    name,
    checkers: [...new Set(parts.flatMap((p) => CHECKERS[p]))],
    faults: entries.map(([n]) => n),
    tenants: 2,
    parameters: parametersOf(entries),
    faultWeights: weightsOf(name, entries),
    ...(name !== 'messaging' ? { readBackMs: 5000 } : {}),
  };
}
