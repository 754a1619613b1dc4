// Unit: step-model on hand-written final states — valid, violated, nothing judged, not a step run.
import { describe, expect, it } from 'vitest';
import { stepModel } from './step-model.ts';
import { final } from './testing/history-builder.ts';

describe('step-model', () => {
  it('is valid when the model judged steps and found nothing, and counts them', () => {
    const result = stepModel.check([], final({ stepModel: { judged: 3, violations: [] } }));
    expect(result).toMatchObject({ valid: true, opportunities: 3 });
  });

  it('is violated by each rule the model saw broken, naming the step and the op', () => {
    const violations = [{ step: 4, text: 'a second order for q1: o2 after o1', ops: [17] }];
    const result = stepModel.check([], final({ stepModel: { judged: 2, violations } }));
    expect(result.valid).toBe(false);
    expect(result.anomalies[0]).toMatchObject({ kind: 'model-rule', ops: [17] });
    expect(result.anomalies[0]?.first.message).toBe('step 5: a second order for q1: o2 after o1');
  });

  it('is unknown when nothing was judged, or the run was not a run of steps', () => {
    expect(stepModel.check([], final({ stepModel: { judged: 0, violations: [] } })).valid).toBe('unknown');
    expect(stepModel.check([], final()).valid).toBe('unknown');
  });
});
