// Unit: the steps an exploration draws — valid step values only, price lists published and prices
// read in every currency, catalogs and offerings without one, and no business step the family
// does not exercise.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stepProblem, type Step } from '../../workload/steps.ts';
import { CURRENCIES } from '../../workload/tenant-data.ts';
import { familyOf } from './family.ts';
import { stepArbitrary } from './step-arbitraries.ts';

const sample = (family: 'cache' | 'messaging' | 'all'): Step[] =>
  fc.sample(stepArbitrary(familyOf(family)), { numRuns: 2000, seed: 7 });

describe('step arbitraries', () => {
  it('draw only valid steps', () => {
    for (const family of ['cache', 'messaging', 'all'] as const)
      expect(sample(family).filter((s) => stepProblem(s) !== undefined)).toEqual([]);
  });

  it('publish price lists and read prices in every currency, and name none for catalogs and offerings', () => {
    const steps = sample('cache');
    const currencies = (kind: string, pick: (s: Step) => boolean) =>
      new Set(steps.filter((s) => s.kind === kind && pick(s)).map((s) => ('currency' in s ? s.currency : 'none')));
    expect(currencies('publish', (s) => s.kind === 'publish' && s.domain === 'pricing')).toEqual(new Set(CURRENCIES));
    expect(currencies('read', (s) => s.kind === 'read' && s.what === 'price')).toEqual(new Set(CURRENCIES));
    expect(currencies('publish', (s) => s.kind === 'publish' && s.domain === 'catalog')).toEqual(new Set(['none']));
    expect(currencies('read', (s) => s.kind === 'read' && s.what === 'offering')).toEqual(new Set(['none']));
  });

  it('leave browse reads and stampedes out of the messaging family', () => {
    const kinds = new Set(sample('messaging').map((s) => s.kind));
    expect(kinds.has('read')).toBe(false);
    expect(kinds.has('stampede')).toBe(false);
    expect(kinds.has('convert')).toBe(true);
  });
});
