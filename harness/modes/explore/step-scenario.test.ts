// Unit: a drawn sequence ends at the step the model finds a violation in — the steps after it do
// not run, so fast-check (which shrinks only what ran) spends no shrink on them; other errors
// still propagate. A freeze is healed once it has held its steps, whatever was drawn.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExploreModel } from '../../workload/step-model.ts';
import type { Step } from '../../workload/steps.ts';
import { familyOf } from './family.ts';
import { StepCommand, commandsArbitrary } from './step-arbitraries.ts';
import { FREEZE_HOLD_STEPS, healingFreezes, runUntilViolation } from './step-scenario.ts';

const waits = (n: number) => Array.from({ length: n }, (_, i) => new StepCommand({ kind: 'wait', ms: 200 + i }));
const flagAt = (model: ExploreModel, performed: Step[], at: (step: Step) => boolean) => async (step: Step) => {
  performed.push(step);
  if (at(step)) model.violations.push({ step: performed.length - 1, text: 'flagged', ops: [] });
};

describe('runUntilViolation', () => {
  it('stops after the step the model flagged, without an error', async () => {
    const model = new ExploreModel(new Set(), ['t0']);
    const performed: Step[] = [];
    await runUntilViolation(
      model,
      flagAt(model, performed, () => performed.length === 3),
      waits(8),
    );
    expect(performed.map((s) => (s.kind === 'wait' ? s.ms : -1))).toEqual([200, 201, 202]);
  });

  it('runs every step when nothing is flagged, and lets another error through', async () => {
    const model = new ExploreModel(new Set(), ['t0']);
    const performed: Step[] = [];
    await runUntilViolation(
      model,
      flagAt(model, performed, () => false),
      waits(5),
    );
    expect(performed).toHaveLength(5);
    const broken = async () => {
      throw new Error('system unreachable');
    };
    await expect(runUntilViolation(model, broken, waits(2))).rejects.toThrow('system unreachable');
  });

  it('spares the shrinker the steps after a violation', async () => {
    // A sequence fails when it performs a convert; count the sequences fast-check tries.
    const tries = async (stop: boolean) => {
      let runs = 0;
      const details = await fc.check(
        fc.asyncProperty(commandsArbitrary(familyOf('messaging'), 12), async (commands) => {
          runs++;
          const model = new ExploreModel(new Set(familyOf('messaging').faults), ['t0', 't1']);
          model.quotes.push({ tenant: 0, quoteId: 'q', keys: new Map() });
          const performed: Step[] = [];
          const perform = flagAt(model, performed, (s) => s.kind === 'convert');
          if (stop) await runUntilViolation(model, perform, commands);
          else await fc.asyncModelRun(() => ({ model, real: perform }), commands);
          return model.violations.length === 0;
        }),
        { seed: 5 },
      );
      expect(details.failed).toBe(true);
      return runs;
    };
    // Seed 5: 3 sequences tried when the run stops at the violation, 7 when the steps after it run.
    expect(await tries(true)).toBeLessThan(await tries(false));
  });
});

describe('healingFreezes', () => {
  const start = (fault: string): Step => ({ kind: 'fault', fault, action: 'start' });
  const stop = (fault: string): Step => ({ kind: 'fault', fault, action: 'stop' });
  const wait: Step = { kind: 'wait', ms: 200 };
  const run = async (drawn: Step[]) => {
    const model = new ExploreModel(new Set(['postgres-pause', 'redis-kill']), ['t0']);
    const performed: Step[] = [];
    const perform = healingFreezes(model, new Set(['postgres-pause']), async (step) => {
      performed.push(step);
      model.observe(step, []);
    });
    for (const step of drawn) await perform(step);
    return performed;
  };

  it(`heals a freeze after ${FREEZE_HOLD_STEPS} steps, before the next one, and never a fault of another class`, async () => {
    const waits = Array.from({ length: FREEZE_HOLD_STEPS }, () => wait);
    const performed = await run([start('postgres-pause'), start('redis-kill'), ...waits, wait]);
    expect(performed).toEqual([
      start('postgres-pause'),
      start('redis-kill'),
      ...waits.slice(1),
      stop('postgres-pause'),
      wait,
      wait,
    ]);
    expect(performed.filter((s) => s.kind === 'fault' && s.action === 'stop')).toHaveLength(1);
  });

  it('keeps a freeze healed in time by its own step, and skips a drawn heal of one already healed', async () => {
    const early = await run([start('postgres-pause'), wait, stop('postgres-pause'), wait, wait, wait]);
    expect(early).toEqual([start('postgres-pause'), wait, stop('postgres-pause'), wait, wait, wait]);
    const waits = Array.from({ length: FREEZE_HOLD_STEPS }, () => wait);
    const late = await run([start('postgres-pause'), ...waits, stop('postgres-pause'), wait]);
    expect(late).toEqual([start('postgres-pause'), ...waits, stop('postgres-pause'), wait]);
  });
});
