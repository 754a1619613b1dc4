/**
 * A scenario is a plain typed object spread over `noopScenario`: its tenants, setup, workload
 * phases, fault packages, final reads, checkers, time limit, tags and parameters. `run` (run.ts)
 * owns the lifecycle; a scenario only says what to do at each step, through its `ScenarioContext`.
 */
import type pg from 'pg';
import type { Environment } from '../env/environment.ts';
import type { Fault, FaultAction, FaultPackage } from '../faults/fault.ts';
import type { ReferenceSystem } from '../system/reference-system.ts';
import type { Phase } from '../workload/generators.ts';
import type { Operations } from '../workload/operations.ts';
import type { FinalState } from './checker.ts';
import type { HistoryWriter } from './history.ts';
import type { Random } from './random.ts';

/** Everything a scenario's steps can use. Built by `run`, one per scenario. */
export interface ScenarioContext {
  scenario: string;
  seed: number;
  /** This scenario's random stream (fork it per purpose). */
  random: Random;
  history: HistoryWriter;
  env: Environment;
  system: ReferenceSystem;
  /** A direct (unproxied) PostgreSQL pool, for authoritative final reads only. */
  db: pg.Pool;
  /** The scenario's tenants, unique to this run. */
  tenants: string[];
  apiUrls: string[];
  concurrency: number;
  /** How long the workload (and the fault schedule) runs, in ms. */
  timeLimitMs: number;
  /** Aborted when the run is interrupted. */
  signal: AbortSignal;
  /** Recorded operations for `process`, against API instance `instance` (default: `process` mod instances). */
  ops(process: number | string, instance?: number): Operations;
  /** Starts or heals a fault now (recorded as a nemesis op; healed at the end if still active). */
  inject(fault: Fault, action: FaultAction): Promise<void>;
  /** Scratch directory for this scenario (snapshots). */
  dir: string;
  /** What the final reads add for the checkers (e.g. `stampedes`). */
  finalState: FinalState;
  /** Shared between setup, workload and final reads. */
  state: Map<string, unknown>;
}

export interface Scenario {
  name: string;
  /** e.g. `cache`, `ordering`. */
  family: string;
  /** One line: what it proves. */
  purpose: string;
  /** `gate` puts it in the pull-request gate. */
  tags: readonly string[];
  /** Names of the checkers (contract section 6) that judge it. */
  checkers: readonly string[];
  /** Names of the faults it injects (for the catalog). */
  faultNames: readonly string[];
  /** Tenants it creates (each with distinguishable data). */
  tenants: number;
  /** Default workload length in seconds (`--time-limit` overrides). */
  timeLimitS: number;
  /** Default workers (`--concurrency` overrides). */
  concurrency: number;
  /** API instances it needs (a run uses the largest of its scenarios'). */
  instances: number;
  /** Parameters the checkers read (e.g. `stalenessBudgetMs`). */
  parameters: FinalState;
  /** Seeds the tenants' data before the workload; recorded like any op. */
  setup(ctx: ScenarioContext): Promise<void>;
  /** The workload's phases (each bounded by its own time limit). */
  workload(ctx: ScenarioContext): Phase[];
  /** The fault packages, with schedules drawn from the scenario's seed. */
  faults(ctx: ScenarioContext): FaultPackage[];
  /** After heal and quiesce: reads whose answers must be fresh, and measurements for `finalState`. */
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
