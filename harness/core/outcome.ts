/**
 * What a run produced, in the shapes the reports are written from (contract section 7): per
 * scenario its validity, op counts, faults and checker results; for the run the composed verdict,
 * whether it was interrupted, and the one line that replays it.
 */
import { composeValidity, runChecker, type Checker, type CheckResult, type Validity } from './checker.ts';
import type { FinalState, LoadObservation } from './final-state.ts';
import type { DrillObservation, Scorecard } from './gameday.ts';
import { NEMESIS, type Op } from './op.ts';
import { faultWindows } from './vocabulary.ts';

export interface CheckerOutcome extends CheckResult {
  name: string;
}

export interface ScenarioOutcome {
  name: string;
  valid: Validity;
  seed: number;
  durationMs: number;
  ops: { invoke: number; ok: number; fail: number; info: number };
  /** Its fault windows; `carried` ones were the round before's (explore), over before its own ops. */
  faults: { fault: string; target?: string; startMs: number; endMs: number; carried?: true }[];
  checkers: CheckerOutcome[];
  replay: string;
  /** Fault actions that failed (did not start, or did not heal): the scenario did not test what it meant to. */
  faultProblems?: string[];
  /** Interrupted or broken before it could finish: its verdict cannot be trusted. */
  incomplete?: boolean;
  /** A harness or infrastructure error that stopped it. */
  error?: string;
  /** Milliseconds spent in each phase of its lifecycle (setup, workload, heal, quiesce, final reads, check). */
  phasesMs?: Record<string, number>;
  /** A load run's k6 thresholds and phased figures. */
  load?: LoadOutcome;
  /** A game-day drill: what it recorded and its scorecard. */
  gameday?: { drill: DrillObservation; scorecard: Scorecard };
}

/** Figures of one op in one phase of a load run (before the faults, during one, after it). */
export interface LoadPhaseRow {
  phase: string;
  op: string;
  requests: number;
  /** No answer, or a 5xx. */
  errors: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  perSecond: number;
}

/** Where a load run broke: the first few seconds in which an op's p95 or the error rate crossed k6's threshold. */
export interface BreakPoint {
  /** Seconds into the load when it broke. */
  atS: number;
  /** Requests per second in the seconds that broke. */
  requestsPerSecond: number;
  /** The highest rate of earlier seconds that held everything. */
  bestHeldPerSecond: number;
  /** What crossed first, e.g. `read-price p95 212 ms ≥ 50 ms`. */
  what: string;
}

/** What a load run adds to its scenario's outcome: k6's word, the phased figures, where it broke. */
export interface LoadOutcome extends LoadObservation {
  phases: LoadPhaseRow[];
  /** Absent when every limit held in every window. */
  breakpoint?: BreakPoint;
  /** When every limit held: the highest rate of any window (a breakpoint run that never broke stopped there). */
  heldPerSecond?: number;
}

/** One sequence an exploration ran (a drawn run or a shrink attempt), for the report's picture. */
export interface SequenceOutcome {
  name: string;
  shrink: boolean;
  steps: number;
  failed: boolean;
  seconds: number;
  /** The checker it broke, when it failed. */
  checker?: string;
  /** Why it could not run, when an error stopped it before any verdict (it passed nothing). */
  couldNotRun?: string;
}

/** How a sequence ended, as its line and its bar's tooltip say it: fails (checker), could not run (why) or passes. */
export function sequenceEnding(s: SequenceOutcome): string {
  if (s.failed) return `fails (${s.checker ?? '?'})`;
  return s.couldNotRun === undefined ? 'passes' : `could not run (${s.couldNotRun})`;
}

export interface RunOutcome {
  runId: string;
  dir: string;
  valid: Validity;
  seed: number;
  bugs: string[];
  startedAt: string;
  finishedAt: string;
  incomplete: boolean;
  scenarios: ScenarioOutcome[];
  replay: string;
  /** A harness or infrastructure error that ended the run (exit 255). */
  error?: string;
  /** History lines `analyze` could not use (reported, skipped). */
  historyProblems?: { line: number; message: string }[];
  /** An exploration's sequences, in the order they ran. */
  sequences?: SequenceOutcome[];
}

/** Counts of each op type. */
export function countOps(history: readonly Op[]): ScenarioOutcome['ops'] {
  const counts = { invoke: 0, ok: 0, fail: 0, info: 0 };
  for (const op of history) counts[op.type] += 1;
  return counts;
}

/** Fault windows in ms from the scenario's first op. */
export function faultsOf(history: readonly Op[]): ScenarioOutcome['faults'] {
  const origin = history[0]?.time ?? 0;
  return faultWindows(history).map((w) => ({
    fault: w.fault,
    ...(w.target ? { target: w.target } : {}),
    startMs: Math.round((w.start - origin) / 1e6),
    endMs: Math.round((w.end - origin) / 1e6),
    ...(w.carried ? { carried: w.carried } : {}),
  }));
}

/** A scenario's validity: its checkers composed; `unknown` when it did not complete. */
export function scenarioValidity(checkers: readonly CheckerOutcome[], incomplete: boolean): Validity {
  if (checkers.some((c) => c.valid === false)) return false;
  if (incomplete || checkers.length === 0 || checkers.some((c) => c.valid === 'unknown')) return 'unknown';
  return true;
}

/** The final state stored per scenario (`final-state.json`), what `analyze` re-checks with. */
export type StoredFinalState = Record<string, FinalState>;

/**
 * Nemesis actions that ended `info` — a fault that did not start (or may have half-started), or did
 * not heal. A scenario whose faults did not happen as planned proves less than it claims.
 */
export function faultProblems(history: readonly Op[]): string[] {
  return history
    .filter((op) => op.process === NEMESIS && op.type === 'info')
    .map(
      (op) =>
        `${String(op.value.fault)} (${String(op.value.target)}) ${op.f === 'start-fault' ? 'did not start' : 'did not heal'}: ${op.error ?? 'unknown error'}`,
    );
}

/**
 * Runs a scenario's checkers on its history and final state (pure: `run` and `analyze` alike). A
 * scenario whose faults did not start or heal is `unknown` unless a checker found a violation.
 */
export function checkScenario(
  scenario: { name: string; checkers: readonly Checker[] },
  ops: readonly Op[],
  finalState: FinalState,
  incomplete: boolean,
): Pick<ScenarioOutcome, 'name' | 'valid' | 'ops' | 'faults' | 'checkers' | 'faultProblems'> {
  const checkers = scenario.checkers.map((checker) => ({
    name: checker.name,
    ...runChecker(checker, ops, finalState),
  }));
  const problems = faultProblems(ops);
  return {
    name: scenario.name,
    valid: scenarioValidity(checkers, incomplete || problems.length > 0),
    ops: countOps(ops),
    faults: faultsOf(ops),
    checkers,
    ...(problems.length ? { faultProblems: problems } : {}),
  };
}

/** A run's validity: its scenarios composed; an incomplete run without a violation is `unknown`. */
export function runValidity(scenarios: readonly ScenarioOutcome[], incomplete: boolean): Validity {
  const composed = composeValidity(scenarios.map((s) => s.valid));
  return incomplete && composed !== false ? 'unknown' : composed;
}
