/**
 * A scenario is a plain typed object spread over `noopScenario`: its tenants, setup, workload
 * phases, fault packages, final reads, the checkers that judge it (objects, not names), the
 * components and abilities it needs of the system under test, its time limit, tags and parameters.
 * `run` (run.ts) owns the lifecycle; a scenario only says what to do at each step, through its
 * `ScenarioContext`.
 */
import type { Checker } from '../core/checker.ts';
import type { Parameters } from '../core/final-state.ts';
import type { Environment } from '../env/environment.ts';
import type { Fault } from '../faults/fault.ts';
import type { FaultPlan } from '../faults/schedule.ts';
import type { Requirement, StartedSystem } from '../system/system.ts';
import type { WorkloadContext } from '../workload/context.ts';
import type { Phase } from '../workload/generators.ts';

/** Everything a scenario's steps can use: the workload's context plus the environment and the started system. */
export interface ScenarioContext extends WorkloadContext {
  env: Environment;
  system: StartedSystem;
  /** Scratch directory for this scenario (snapshots). */
  dir: string;
}

export interface Scenario {
  name: string;
  /** e.g. `cache`, `messaging`. */
  family: string;
  /** One line: what it proves. */
  purpose: string;
  /** `gate` puts it in the pull-request gate. */
  tags: readonly string[];
  /** The invariants (contract section 6) that judge it. */
  checkers: readonly Checker[];
  /**
   * The faults it injects, for the catalog: each starts with the fault's name exactly as it is named
   * and recorded, then any detail (`failpoint-crash (relay: …) ×3`); a test holds these names to
   * `faults` and `workloadFaults`.
   */
  faultNames: readonly string[];
  /** Faults its workload starts and heals itself with `ctx.inject` (beyond the `faults` schedule). */
  workloadFaults?: readonly Fault[];
  /** Components and abilities it needs of the system (checked before anything starts: exit 64). */
  requires: readonly Requirement[];
  /** Tenants it creates (each with distinguishable data). */
  tenants: number;
  /** Default workload length in seconds (`--time-limit` overrides). */
  timeLimitS: number;
  /** Default workers (`--concurrency` overrides). */
  concurrency: number;
  /** API instances it needs (a run uses the largest of its scenarios'). */
  instances: number;
  /** Bounds its checkers judge with; written to `run.json` when the run starts. */
  parameters: Parameters;
  /** Seeds the tenants' data before the workload; recorded like any op. */
  setup(ctx: ScenarioContext): Promise<void>;
  /** The workload's phases (each bounded by its own time limit). */
  workload(ctx: ScenarioContext): Phase[];
  /**
   * The fault packages, with schedules drawn from the scenario's seed (and, on `needs`, the budgets
   * they are sized from and the shortest workload they fit in, checked before anything starts).
   */
  faults: FaultPlan;
  /** After heal and quiesce: reads whose answers must be fresh, and measurements for the final state. */
  finalReads(ctx: ScenarioContext): Promise<void>;
}

/** The scenario that does nothing: every scenario is spread over it. */
export const noopScenario: Scenario = {
  name: 'noop',
  family: 'none',
  purpose: 'does nothing (the base of every scenario)',
  tags: [],
  checkers: [],
  faultNames: [],
  requires: [],
  tenants: 1,
  timeLimitS: 10,
  concurrency: 4,
  instances: 2,
  parameters: {},
  setup: async () => undefined,
  workload: () => [],
  faults: () => [],
  finalReads: async () => undefined,
};

/** The parameters a scenario is judged with: the system's promises, overridden by the scenario's own. */
export function parametersFor(system: { promises: Parameters }, scenario: Pick<Scenario, 'parameters'>): Parameters {
  return { ...system.promises, ...scenario.parameters };
}
