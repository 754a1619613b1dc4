/**
 * What workload steps may use: the scenario's tenants, seeded random stream, recorded operations
 * per process, a way to inject a fault at a moment of the workload's choosing, the system's
 * authoritative readers, and where to put measurements. The runner builds one per scenario (its
 * `ScenarioContext` is this plus the environment and the started system); steps never see more.
 */
import type { FinalState } from '../core/final-state.ts';
import type { ScenarioLog } from '../core/history.ts';
import type { Random } from '../core/random.ts';
import type { Fault, FaultAction } from '../faults/fault.ts';
import type { AuthoritativeReads } from '../system/system.ts';
import type { Operations } from './operations.ts';

export interface WorkloadContext {
  scenario: string;
  seed: number;
  /** This scenario's random stream (fork it per purpose). */
  random: Random;
  history: ScenarioLog;
  /** The scenario's tenants, unique to this run. */
  tenants: string[];
  apiUrls: readonly string[];
  concurrency: number;
  /** How long the workload (and the fault schedule) runs, in ms. */
  timeLimitMs: number;
  /** Aborted when the run is interrupted. */
  signal: AbortSignal;
  /**
   * Recorded operations for `process`, against API instance `instance` (default: `process` mod
   * instances), with a client timeout of `timeoutMs` (default 5000; a timed-out command is `info`).
   */
  ops(process: number | string, instance?: number, timeoutMs?: number): Operations;
  /**
   * Among scenarios running at once, runs `work` in its turn (runner/turns.ts): every request takes
   * an ordinary one (`ops` does it), and work `alone` (a measurement of a counter every tenant moves)
   * runs only while no other request does. Absent: the scenario runs by itself, and work simply runs.
   */
  turn?: <T>(alone: boolean, work: () => Promise<T>) => Promise<T>;
  /** Starts or heals a fault now (recorded as a nemesis op; healed at the end if still active). */
  inject(fault: Fault, action: FaultAction): Promise<void>;
  /** Authoritative reads (PostgreSQL and Redis direct), for measurements and final reads. */
  reads: AuthoritativeReads;
  /** The scenario's parameters and what the final reads and measurements observe. */
  finalState: FinalState;
  /** Shared between setup, workload and final reads. */
  state: Map<string, unknown>;
  /** Shows a line about the workload in the progress line (a load run: VUs, requests/s, errors). */
  status(detail: string | undefined): void;
}
