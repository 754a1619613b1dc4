/**
 * `summary.json` (contract section 7) and `results.json` (everything, with checker stats and
 * reasons) from a run's outcome.
 */
import type { RunOutcome } from '../core/outcome.ts';

/** The contract's summary shape. */
export function summaryJson(outcome: RunOutcome): Record<string, unknown> {
  return {
    runId: outcome.runId,
    valid: outcome.valid,
    seed: outcome.seed,
    bugs: outcome.bugs,
    startedAt: outcome.startedAt,
    finishedAt: outcome.finishedAt,
    incomplete: outcome.incomplete,
    ...(outcome.error ? { error: outcome.error } : {}),
    scenarios: outcome.scenarios.map((s) => ({
      name: s.name,
      valid: s.valid,
      seed: s.seed,
      durationMs: s.durationMs,
      ops: s.ops,
      faults: s.faults,
      checkers: s.checkers.map((c) => ({
        name: c.name,
        valid: c.valid,
        opportunities: c.opportunities,
        ...(c.judges ? { judges: c.judges } : {}),
        anomalies: c.anomalies,
        stats: c.stats,
        ...(c.reason ? { reason: c.reason } : {}),
      })),
      replay: s.replay,
      ...(s.faultProblems ? { faultProblems: s.faultProblems } : {}),
      ...(s.incomplete ? { incomplete: true } : {}),
      ...(s.error ? { error: s.error } : {}),
    })),
    replay: outcome.replay,
  };
}

/** Word for a validity. */
export function verdictWord(valid: true | false | 'unknown', incomplete = false): string {
  if (valid === false) return 'FAIL';
  if (valid === 'unknown') return incomplete ? 'INCOMPLETE' : 'UNKNOWN';
  return 'PASS';
}
