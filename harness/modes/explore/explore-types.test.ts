// Unit: how a sequence's line ends and what the exploration's result lists for it — a failure names
// its checker (or the model), a sequence stopped by an error before any verdict "could not run"
// (never "passes": seen with a system a planted leak had left unable to answer its set-up), and a
// sequence that ran and broke nothing passes.
import { describe, expect, it } from 'vitest';
import { sequenceEnding, type ScenarioOutcome } from '../../core/outcome.ts';
import { couldNotRun, sequenceEntry } from './explore-types.ts';
import type { StepRunRecord } from './step-scenario.ts';

function outcome(valid: ScenarioOutcome['valid'], extra: Partial<ScenarioOutcome> = {}): ScenarioOutcome {
  const checker = {
    name: 'available-after-recovery',
    valid,
    anomalies:
      valid === false ? [{ kind: 'unanswered-after-quiesce', count: 1, first: { message: 'answered 503' } }] : [],
    opportunities: 1,
  };
  return {
    name: 'run-1',
    valid,
    seed: 1,
    durationMs: 10,
    ops: { invoke: 0, ok: 0, fail: 0, info: 0 },
    faults: [],
    checkers: [checker],
    replay: '',
    ...extra,
  } as unknown as ScenarioOutcome;
}
const ran: StepRunRecord = { performed: [{ kind: 'wait', ms: 200 }], violations: [] };
const setUpFailed = 'seeding catalog of t0 failed: SERVICE_UNAVAILABLE (HTTP 503)';

describe('a sequence as the exploration lists it', () => {
  it('fails, naming the checker it broke', () => {
    const entry = sequenceEntry('run-3', false, { outcome: outcome(false), record: ran }, 2.5);
    expect(entry).toEqual({
      name: 'run-3',
      shrink: false,
      steps: 1,
      failed: true,
      seconds: 2.5,
      checker: 'available-after-recovery',
    });
    expect(sequenceEnding(entry)).toBe('fails (available-after-recovery)');
  });

  it('could not run when an error stopped it before a verdict: never a pass', () => {
    const stopped = outcome('unknown', { error: setUpFailed, incomplete: true });
    const none: StepRunRecord = { performed: [], violations: [] };
    const entry = sequenceEntry('run-25', false, { outcome: stopped, record: none }, 3);
    expect(entry).toEqual({
      name: 'run-25',
      shrink: false,
      steps: 0,
      failed: false,
      seconds: 3,
      couldNotRun: setUpFailed,
    });
    expect(sequenceEnding(entry)).toBe(`could not run (${setUpFailed})`);
  });

  it('a failure stays a failure even when an error came after it', () => {
    const broken = outcome(false, { error: 'final reads: timeout' });
    expect(couldNotRun(broken, ran)).toBeUndefined();
    expect(sequenceEntry('run-5', false, { outcome: broken, record: ran }, 1).couldNotRun).toBeUndefined();
    const modelBroken = { performed: ran.performed, violations: [{ step: 0, text: 'a second order', ops: [1] }] };
    const byModel = sequenceEntry(
      'run-4',
      true,
      { outcome: outcome('unknown', { error: 'x' }), record: modelBroken },
      1,
    );
    expect(sequenceEnding(byModel)).toBe('fails (model)');
  });

  it('passes when it ran and broke nothing', () => {
    const entry = sequenceEntry('shrink-2', true, { outcome: outcome(true), record: ran }, 1);
    expect(entry).toEqual({ name: 'shrink-2', shrink: true, steps: 1, failed: false, seconds: 1 });
    expect(sequenceEnding(entry)).toBe('passes');
  });
});
