/**
 * What an exploration is given and what it finds (settings, result), and how a sequence that ran is
 * judged: failing (a checker or the model's rule broken) and by what.
 */
import type { ScenarioOutcome, SequenceOutcome } from '../../core/outcome.ts';
import { addPhases } from '../../runner/phase-clock.ts';
import type { FoundCounterexample } from './failure-db.ts';
import type { FaultSupport, StepFamilyName } from './family.ts';
import type { StepRunRecord } from './step-scenario.ts';

export interface ExploreSettings {
  family: StepFamilyName;
  runs: number;
  steps: number;
  seed: number;
  path?: string;
  bugs: string[];
  /**
   * Sequences run at once (1: one after another). Each runs on its own tenants with every fault in
   * effect recorded in its history; a failing one is re-run alone to shrink and replay.
   */
  atOnce?: number;
  /** The file `--system` described the system in (absent: the reference CPQ/OMS), for replay lines. */
  systemFile?: string;
  /** The system explored: the family's faults it cannot run are left out (absent: none are). */
  system?: FaultSupport;
  /**
   * Stops drawing new sequences after this long; a counterexample found gets as long again of its
   * own to shrink (a shrink step costs a live run, so a late find must not be cut short unshrunk).
   */
  timeLimitS: number;
  /** Where counterexamples are read from first and recorded to (the first file). */
  failureFiles: readonly string[];
  /** One line per run, shrink and regression. */
  onEvent?: (line: string) => void;
}

/** What the exploration found and how fast it went. */
export interface ExploreResult {
  counterexample?: FoundCounterexample;
  runs: number;
  shrinks: number;
  steps: number;
  elapsedMs: number;
  /** Cases each checker judged over all runs. */
  judged: Record<string, number>;
  interrupted: boolean;
  /** Every sequence run (recorded counterexamples, drawn runs, shrinks), in order. */
  sequences: SequenceOutcome[];
  /** Milliseconds per phase over every sequence (setup, workload, heal, quiesce, final reads, check). */
  phasesMs: Record<string, number>;
  /** Milliseconds faults were in effect, over every sequence (inside the workload). */
  faultsHeldMs: number;
  /** Fault starts passed over in rounds: what they act on was already under another sequence's fault. */
  passedOver?: number;
  /** Milliseconds two rounds ran at once (the next one's setup and steps during this one's quiesce). */
  overlappedMs?: number;
  /**
   * The first sequence that failed among others run at once but not alone (or was not re-run alone:
   * the time limit came first): what it broke, the round it ran in, and the line that re-runs the
   * exploration the same way (not a counterexample: not recorded).
   */
  interaction?: {
    name: string;
    checker: string;
    anomaly: string;
    round: string[];
    triedAlone: boolean;
    /** Interactions after the first, in later rounds. */
    others: number;
    replay: string;
  };
}

export const failing = (outcome: ScenarioOutcome, record: StepRunRecord) =>
  outcome.valid === false || record.violations.length > 0;

/**
 * Why a sequence that did not fail could not run, if it could not: an error stopped it before a
 * verdict (its set-up refused by a system that no longer answers). It passed nothing: said so, never
 * called a pass.
 */
export const couldNotRun = (outcome: ScenarioOutcome, record: StepRunRecord): string | undefined =>
  failing(outcome, record) ? undefined : outcome.error;

/** The checker and anomaly (or the model's rule) a failing run broke. */
export function brokenBy(outcome: ScenarioOutcome, record: StepRunRecord): { checker: string; anomaly: string } {
  const checker = outcome.checkers.find((c) => c.valid === false);
  const group = checker?.anomalies[0];
  if (checker && group) return { checker: checker.name, anomaly: `${group.kind}: ${group.first.message}` };
  const violation = record.violations[0];
  return { checker: 'model', anomaly: violation ? `step ${violation.step + 1}: ${violation.text}` : 'unknown' };
}

/** Milliseconds the run's own faults were in effect (not those carried from the round before), summed. */
export const faultsHeldMs = (outcome: ScenarioOutcome) =>
  outcome.faults.filter((f) => !f.carried).reduce((sum, f) => sum + Math.max(0, f.endMs - f.startMs), 0);

/** One sequence as the exploration's result lists it: the checker it broke, or why it could not run. */
export function sequenceEntry(
  name: string,
  shrink: boolean,
  run: { outcome: ScenarioOutcome; record: StepRunRecord },
  seconds: number,
): SequenceOutcome {
  const failed = failing(run.outcome, run.record);
  const checker = failed ? brokenBy(run.outcome, run.record).checker : undefined;
  const unrun = couldNotRun(run.outcome, run.record);
  return {
    name,
    shrink,
    steps: run.record.performed.length,
    failed,
    seconds,
    ...(checker ? { checker } : {}),
    ...(unrun !== undefined ? { couldNotRun: unrun } : {}),
  };
}

/**
 * Adds a sequence's steps and cases judged to `result` and, given the time per phase it stands for,
 * that time and its faults held (sequences run at once share their round's: only the round's first
 * brings them).
 */
export function tally(
  result: ExploreResult,
  outcome: ScenarioOutcome,
  record: StepRunRecord,
  phasesMs?: Readonly<Record<string, number>>,
): void {
  result.steps += record.performed.length;
  if (phasesMs) {
    addPhases(result.phasesMs, phasesMs);
    result.faultsHeldMs += faultsHeldMs(outcome);
  }
  for (const c of outcome.checkers) result.judged[c.name] = (result.judged[c.name] ?? 0) + c.opportunities;
}
