/**
 * `step-model`: the exploration model's rules (workload/step-model.ts), judged as a run of steps went
 * and kept in the final state (`observations.stepModel`), so a model-only counterexample fails its
 * run like any other invariant — in `explore`, in the gate's re-run of a recorded counterexample and
 * in `analyze`. The rules: no submit accepted at a version older than one acknowledged before it; at
 * most one order per quote; a key that got an order answers that order on every replay.
 *
 * Opportunities: the submits and converts the model judged. Unknown when the run was not a run of
 * steps (no observation) or judged none.
 */
import { resultOf, unknown, type Checker, type FinalState } from '../core/checker.ts';

export const stepModel: Checker = {
  name: 'step-model',
  check(_history, finalState: FinalState) {
    const observed = finalState.observations.stepModel;
    if (!observed) return unknown('not a run of steps: the model judged nothing');
    const anomalies = observed.violations.map((v) => ({
      kind: 'model-rule',
      message: `step ${v.step + 1}: ${v.text}`,
      ops: v.ops,
    }));
    return resultOf(anomalies, { judged: observed.judged }, observed.judged, 'submits or converts the model judged');
  },
};
