// Unit: the seeded generator is reproducible, spreads evenly, and forks independent streams.
import { describe, expect, it } from 'vitest';
import { Random } from './random.ts';

describe('Random', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const a = new Random(42);
    const b = new Random(42);
    expect(Array.from({ length: 20 }, () => a.next())).toEqual(Array.from({ length: 20 }, () => b.next()));
    expect(new Random(42).next()).not.toBe(new Random(43).next());
  });

  it('stays in range and covers it', () => {
    const r = new Random('range');
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = r.int(3, 7);
      expect(v).toBeGreaterThanOrEqual(3);
      expect(v).toBeLessThanOrEqual(7);
      seen.add(v);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
  });

  it('forks streams that do not depend on how much the parent drew', () => {
    const parent = new Random(7);
    const early = parent.fork('faults').next();
    parent.next();
    parent.next();
    expect(parent.fork('faults').next()).toBe(early);
    expect(parent.fork('workload').next()).not.toBe(early);
  });
});
