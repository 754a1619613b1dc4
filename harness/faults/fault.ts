/**
 * The fault contract. A fault is set up once, invoked to `start` (in effect when it resolves) and to
 * `stop` (healed: the target works again when it resolves), and torn down at the end. A package
 * pairs a fault with its schedule and a final schedule that always heals. Faults act on the wire
 * (Toxiproxy), on processes (signals) or on the cache's data — never inside domain logic.
 */
import type { Environment } from '../env/environment.ts';
import type { Random } from '../core/random.ts';
import type { StartedSystem } from '../system/system.ts';

/** What faults can reach. */
export interface FaultContext {
  env: Environment;
  /** The system under test, when one runs (faults on its components need it). */
  system?: StartedSystem;
  /** This fault's own random stream (every choice comes from the run's seed). */
  random: Random;
  /** Scratch directory for the run (snapshots). */
  dir: string;
  /** The system's retry and timeout budgets by name (its promises), for faults sized from them. */
  budgetsMs?: Readonly<Record<string, number>>;
}

export type FaultAction = 'start' | 'stop';

export interface Fault {
  /** e.g. `redis-kill`, `proxy-latency`. */
  readonly name: string;
  /** What it hits, e.g. `redis`, `api-redis`, `invalidation`. */
  readonly target: string;
  setup?(ctx: FaultContext): Promise<void>;
  /** Starts or heals the fault; resolves with details worth recording in the history. */
  invoke(ctx: FaultContext, action: FaultAction): Promise<Record<string, unknown>>;
  teardown?(ctx: FaultContext): Promise<void>;
}

/** One scheduled action, in ms from the start of the workload. */
export interface FaultStep {
  atMs: number;
  action: FaultAction;
}

/** A fault with its schedule; `finalSchedule` heals whatever is still in effect at the end. */
export interface FaultPackage {
  fault: Fault;
  schedule: FaultStep[];
  finalSchedule: FaultStep[];
}

/**
 * One fault made of several that start together (in order) and heal together (in reverse order),
 * e.g. the invalidation consumer paused while the API instances are cut off from Kafka.
 */
export function allOf(name: string, target: string, faults: readonly Fault[]): Fault {
  return {
    name,
    target,
    async setup(ctx) {
      for (const fault of faults) await fault.setup?.(ctx);
    },
    async invoke(ctx, action) {
      const details: Record<string, unknown> = {};
      for (const fault of action === 'start' ? faults : [...faults].reverse())
        details[`${fault.name}:${fault.target}`] = await fault.invoke(ctx, action);
      return details;
    },
    async teardown(ctx) {
      for (const fault of faults) await fault.teardown?.(ctx);
    },
  };
}
