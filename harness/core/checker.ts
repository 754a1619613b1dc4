/**
 * The checker contract: a pure function of the history and the authoritative final state that says
 * `true`, `false` or `"unknown"` and proves every `false` with anomalies that name the ops behind
 * them. A checker that throws is `unknown`; results compose as false > unknown > true.
 */
import type { FinalState } from './final-state.ts';
import type { Op } from './op.ts';

export type { FinalState } from './final-state.ts';

export type Validity = true | false | 'unknown';

/** One violation and the op indexes that prove it. */
export interface Anomaly {
  kind: string;
  message: string;
  ops: number[];
}

/** Anomalies of one kind. */
export interface AnomalyGroup {
  kind: string;
  count: number;
  first: Anomaly;
  last: Anomaly;
  /** Every op index involved, ascending. */
  ops: number[];
}

export interface CheckResult {
  valid: Validity;
  /**
   * How many cases the checker actually judged (submits that raced a newer publish, reads during
   * an outage, …). A checker that judged none and found nothing is `unknown`: nothing to judge —
   * never a silent pass.
   */
  opportunities: number;
  /** What one case is, in words (e.g. `submits that raced a newer publish`). */
  judges?: string;
  anomalies: AnomalyGroup[];
  stats: Record<string, unknown>;
  /** Why the result is `unknown`, when it is. */
  reason?: string;
}

/**
 * One invariant. `check` must be pure: no I/O, no clock, no randomness — a function of the history
 * (in which `info` means "may or may not have happened") and the final state.
 */
export interface Checker {
  /** The invariant's name (contract section 6). */
  readonly name: string;
  check(history: readonly Op[], finalState: FinalState): CheckResult;
  /**
   * How long the system must be left alone after the heal before the final reads this checker
   * judges (e.g. a staleness budget to run out); the runner waits for the longest its scenario's
   * checkers need. None: no wait.
   */
  settleMs?(finalState: FinalState): number;
  /**
   * How long after the last heal the final reads may come at the earliest (e.g. a recovery budget):
   * measured from the heal itself, not from the quiesce, so a fault healed early costs no wait.
   */
  settleAfterHealMs?(finalState: FinalState): number;
  /**
   * Observations beyond the default final reads this checker judges (e.g. `ledger`): the runner
   * waits for what they need (delivery, for a ledger) and reads them only for scenarios that judge them.
   */
  readonly observes?: readonly 'ledger'[];
  /**
   * Sound on a history still being written, with no final reads (an op not yet completed counts as
   * undecided): a game day's `checkers` probe runs it live, every tick.
   */
  readonly live?: boolean;
}

/** Groups anomalies by kind, keeping count, first, last and all op indexes. */
export function groupAnomalies(anomalies: readonly Anomaly[]): AnomalyGroup[] {
  const groups = new Map<string, AnomalyGroup>();
  for (const anomaly of anomalies) {
    const group = groups.get(anomaly.kind);
    if (!group)
      groups.set(anomaly.kind, { kind: anomaly.kind, count: 1, first: anomaly, last: anomaly, ops: [...anomaly.ops] });
    else {
      group.count += 1;
      group.last = anomaly;
      group.ops.push(...anomaly.ops);
    }
  }
  return [...groups.values()].map((g) => ({ ...g, ops: [...new Set(g.ops)].sort((a, b) => a - b) }));
}

/**
 * A result from the anomalies found in `opportunities` judged cases of `judges`: false when any
 * anomaly, `unknown` ("nothing to judge") when no case was judged, true otherwise.
 */
export function resultOf(
  anomalies: readonly Anomaly[],
  stats: Record<string, unknown>,
  opportunities: number,
  judges: string,
): CheckResult {
  if (anomalies.length === 0 && opportunities === 0)
    return { valid: 'unknown', opportunities, judges, anomalies: [], stats, reason: `nothing to judge: no ${judges}` };
  return { valid: anomalies.length === 0, opportunities, judges, anomalies: groupAnomalies(anomalies), stats };
}

/** An `unknown` result: the checker could not decide. */
export function unknown(reason: string, stats: Record<string, unknown> = {}, opportunities = 0): CheckResult {
  return { valid: 'unknown', opportunities, anomalies: [], stats, reason };
}

/** Runs a checker; a thrown error becomes `unknown` with its message. */
export function runChecker(checker: Checker, history: readonly Op[], finalState: FinalState): CheckResult {
  try {
    return checker.check(history, finalState);
  } catch (error) {
    return unknown(`${checker.name} threw: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** false beats unknown beats true. */
export function composeValidity(values: readonly Validity[]): Validity {
  if (values.includes(false)) return false;
  if (values.includes('unknown')) return 'unknown';
  return true;
}
