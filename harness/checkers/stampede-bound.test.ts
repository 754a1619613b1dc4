// Unit: stampede-bound — within the bound, beyond it, and measurements that cannot decide.
import { describe, expect, it } from 'vitest';
import { stampedeBound } from './stampede-bound.ts';
import { final } from './testing/history-builder.ts';

const m = (loads: number) => ({ key: 'catalog:item-3', version: 1, loads, instances: 2, requests: 200, ops: [4, 9] });

describe('stampede-bound', () => {
  it('is valid at or below one load per instance', () => {
    expect(stampedeBound.check([], final({ stampedes: [m(1), m(2)] }))).toMatchObject({
      valid: true,
      stats: { worstLoads: 2 },
    });
  });

  it('is violated above it, pointing at the stampede phase', () => {
    const result = stampedeBound.check([], final({ stampedes: [m(1), m(57)] }));
    expect(result.valid).toBe(false);
    expect(result.anomalies[0]).toMatchObject({ kind: 'stampede-overload', count: 1, ops: [4, 9] });
    expect(result.anomalies[0]?.first.message).toContain('57 source loads for 2 API instance(s)');
  });

  it('is unknown without a measurement, or when a measurement saw no load at all', () => {
    expect(stampedeBound.check([], final()).valid).toBe('unknown');
    expect(stampedeBound.check([], final({ stampedes: [m(0)] })).valid).toBe('unknown');
  });
});
