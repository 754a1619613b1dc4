/**
 * The types a run is made of, in one file so the runner has no import cycle: what a run is asked
 * to do (`RunOptions`), what its progress line shows, and what every scenario of a run shares.
 */
import type { HistoryWriter } from '../core/history.ts';
import type { RunOutcome, ScenarioOutcome, SequenceOutcome, StoredFinalState } from '../core/outcome.ts';
import type { Backend } from '../env/endpoints.ts';
import type { Environment } from '../env/environment.ts';
import type { RunInfo } from '../report/run-dir.ts';
import type { ReportSection } from '../report/section.ts';
import type { StartedSystem, SystemUnderTest } from '../system/system.ts';
import type { Scenario } from './scenario.ts';

export interface RunOptions {
  scenarios: Scenario[];
  /** The system under test (before it starts). */
  system: SystemUnderTest;
  seed: number;
  bugs: string[];
  /** Overrides each scenario's workload length (s). */
  timeLimitS?: number;
  /** Overrides each scenario's workers. */
  concurrency?: number;
  /** Where run directories go (`reports` by default). */
  outRoot: string;
  /** `run`, `gate` or `explore` (recorded, and used in the replay line). */
  command: RunInfo['command'];
  /**
   * Replaces step 3 for drivers other than `run` (explore): given the shared run, it runs scenarios
   * itself (`runScenario`) and pushes the outcomes to report. `scenarios` then only say what the
   * system must offer (preflight, instances, failpoints).
   */
  drive?: (shared: Shared, outcomes: ScenarioOutcome[]) => Promise<void>;
  /** A driver's own verdict over its outcomes (default: the scenarios composed, `runValidity`). */
  judge?: (outcomes: readonly ScenarioOutcome[], incomplete: boolean) => RunOutcome['valid'];
  /** A driver's sequences for the report (explore's runs and shrinks), read when the run ends. */
  sequences?: () => readonly SequenceOutcome[];
  /** A mode's own parts of the reports (load figures, a drill's scorecard), after each scenario's. */
  sections?: readonly ReportSection[];
  /** More options to record in `run.json` (a driver's own). */
  recorded?: Record<string, unknown>;
  /**
   * Keep the history's ops in memory while the run goes (default). A load run says no: its soak can
   * record millions, which are read back from `history.jsonl` for the checkers once it is over.
   */
  retainHistory?: boolean;
  /** An environment already up (from `env up`); without it the run starts and stops its own. */
  env?: Environment;
  /** The backend of the environment the run starts (native unless it says otherwise). */
  backend?: Backend;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

/** What the progress line shows. */
export interface Progress {
  scenario: string;
  step: string;
  elapsedMs: number;
  ops: number;
  faults: string[];
  /** What the workload says of itself (a load run: VUs, requests/s, errors). */
  detail?: string;
}

/** What every scenario of a run shares. */
export interface Shared {
  options: RunOptions;
  runId: string;
  dir: string;
  history: HistoryWriter;
  env: Environment;
  system: StartedSystem;
  finalStates: StoredFinalState;
}
