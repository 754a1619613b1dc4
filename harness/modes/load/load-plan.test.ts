// Unit: load plans — profile defaults and overrides, durations as a user writes them, the span the
// faults are laid on, the variables k6 gets; unknown profiles and malformed durations are usage errors.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.ts';
import { k6Vars, loadPlan, spanMs } from './load-plan.ts';

describe('load plans', () => {
  it('take the profile defaults, overridden by flags', () => {
    expect(loadPlan('smoke')).toMatchObject({ profile: 'smoke', vus: 8, durationS: 30, faults: [], instances: 1 });
    expect(loadPlan('load', { vus: 1000, faults: ['redis-restart'] })).toMatchObject({
      vus: 1000,
      thinkMs: 3000,
      faults: ['redis-restart'],
    });
    expect(loadPlan('load').publishEveryMs).toBe(500);
    // A longer think stretches the publisher's pause by as much; a shorter one or a given pause does not.
    expect(loadPlan('load', { thinkMs: 8000 }).publishEveryMs).toBe(1333);
    expect(loadPlan('load', { thinkMs: 1000 }).publishEveryMs).toBe(500);
    expect(loadPlan('load', { thinkMs: 8000, publishEveryMs: 700 }).publishEveryMs).toBe(700);
    expect(() => loadPlan('stress')).toThrow(UsageError);
    expect(() => loadPlan('stress')).toThrow("unknown profile 'stress'");
  });

  it('span the ramps of the load and spike profiles', () => {
    expect(spanMs(loadPlan('smoke'))).toBe(30_000);
    expect(spanMs(loadPlan('load', { durationS: 60 }))).toBe((12 + 60 + 6) * 1000);
    expect(spanMs(loadPlan('spike', { durationS: 60 }))).toBe((12 * 2 + 24 + 5 * 2) * 1000);
  });

  it('hand k6 the run and the size', () => {
    const vars = k6Vars(loadPlan('smoke'), { apiUrls: ['http://a', 'http://b'], tenants: ['t0', 't1'], instance: '1' });
    expect(vars).toMatchObject({
      API_URLS: 'http://a,http://b',
      TENANTS: 't0,t1',
      INSTANCE: '1',
      VUS: '8',
      RAMP_S: '6',
    });
  });
});
