/**
 * The game day's `checkers` probe: the drill's checkers that can judge a history still being
 * written (`Checker.live`) run on the ops recorded so far, and their anomalies are counted — so "no
 * invariant broken yet" can be part of the steady state, and a broken one fires a signal or a stop
 * condition while the drill runs, not only at its end. The count is recomputed only when the
 * history grew; a checker that throws counts nothing (the final verdict reports it).
 */
import type { Checker, FinalState } from '../../core/checker.ts';
import type { Op } from '../../core/op.ts';

export interface LiveCount {
  /** Anomalies so far, all live checkers together. */
  total: number;
  /** Per checker with anomalies: how many. */
  byChecker: Record<string, number>;
}

/** Counts the anomalies of `checkers` (only those marked live) on `ops`. */
export function countViolations(checkers: readonly Checker[], ops: readonly Op[], finalState: FinalState): LiveCount {
  const byChecker: Record<string, number> = {};
  let total = 0;
  for (const checker of checkers.filter((c) => c.live)) {
    try {
      const found = checker.check(ops, finalState).anomalies.reduce((n, g) => n + g.count, 0);
      if (found > 0) byChecker[checker.name] = found;
      total += found;
    } catch {
      // judged again at the end, where a throw is `unknown` with its reason
    }
  }
  return { total, byChecker };
}

/**
 * A source of the live count over a growing history: `length` says how many ops there are (cheap),
 * `ops` reads them — only when the history grew since the last count.
 */
export function liveViolations(
  checkers: readonly Checker[],
  history: { length: () => number; ops: () => readonly Op[] },
  finalState: FinalState,
): () => number {
  let seen = -1;
  let last = 0;
  return () => {
    const length = history.length();
    if (length !== seen) {
      seen = length;
      last = countViolations(checkers, history.ops(), finalState).total;
    }
    return last;
  };
}
