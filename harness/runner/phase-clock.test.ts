// Unit: the phase clock sums the time of each phase (re-entered ones too), and the line shows shares.
import { describe, expect, it } from 'vitest';
import { addPhases, PhaseClock, phaseLine } from './phase-clock.ts';

describe('PhaseClock', () => {
  it('sums each phase, the current one included, and re-entered phases add up', () => {
    let t = 0;
    const clock = new PhaseClock('setup', () => t);
    t = 100;
    clock.enter('workload');
    t = 400;
    clock.enter('setup');
    t = 450;
    expect(clock.current).toBe('setup');
    expect(clock.spent()).toEqual({ setup: 150, workload: 300 });
  });

  it('adds runs together and writes one line with shares', () => {
    const sum: Record<string, number> = {};
    addPhases(sum, { setup: 1000, workload: 3000 });
    addPhases(sum, { workload: 1000 });
    addPhases(sum, undefined);
    expect(sum.workload).toBe(4000);
    expect(phaseLine({ setup: 1000, workload: 3000 })).toBe('setup 1.0 s (25%) · workload 3.0 s (75%) — 4 s in all');
    expect(phaseLine({})).toBe('no time recorded');
  });
});
