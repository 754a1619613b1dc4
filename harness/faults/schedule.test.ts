// Unit: seeded fault schedules are reproducible, well-formed and always healed at the end.
import { describe, expect, it } from 'vitest';
import { Random } from '../core/random.ts';
import type { Fault } from './fault.ts';
import { composeFaults, faultPackage, faultWindows, inTurn, windowed } from './schedule.ts';

const fault = (name: string): Fault => ({ name, target: 't', invoke: async () => ({}) });

describe('faultWindows', () => {
  it('is the same for the same seed and stays well-formed', () => {
    const options = { spanMs: 20_000, windows: 3, minMs: 1000, maxMs: 4000 };
    const a = faultWindows(new Random(1), options);
    expect(faultWindows(new Random(1), options)).toEqual(a);
    expect(faultWindows(new Random(2), options)).not.toEqual(a);
    expect(a.map((s) => s.action)).toEqual(['start', 'stop', 'start', 'stop', 'start', 'stop']);
    for (let i = 1; i < a.length; i++) expect(a[i]!.atMs).toBeGreaterThan(a[i - 1]!.atMs);
    for (let i = 0; i < a.length; i += 2) {
      expect(a[i + 1]!.atMs - a[i]!.atMs).toBeGreaterThanOrEqual(1000);
      expect(a[i + 1]!.atMs - a[i]!.atMs).toBeLessThanOrEqual(4000);
    }
    expect(a[a.length - 1]!.atMs).toBeLessThanOrEqual(20_000);
  });

  it('refuses windows that cannot fit', () => {
    expect(() => faultWindows(new Random(1), { spanMs: 1000, windows: 3, minMs: 1000, maxMs: 2000 })).toThrow(
      'cannot fit',
    );
  });
});

describe('composeFaults', () => {
  it('merges schedules in time order and heals every fault at the end', () => {
    const a = faultPackage(fault('a'), [
      { atMs: 100, action: 'start' },
      { atMs: 900, action: 'stop' },
    ]);
    const b = faultPackage(fault('b'), [{ atMs: 500, action: 'start' }]); // never stopped by its schedule
    const { timeline, heals } = composeFaults([a, b]);
    expect(timeline.map((s) => `${s.fault.name}:${s.action}@${s.atMs}`)).toEqual([
      'a:start@100',
      'b:start@500',
      'a:stop@900',
    ]);
    expect(heals.map((s) => `${s.fault.name}:${s.action}`)).toEqual(['a:stop', 'b:stop']);
  });
});

describe('windowed', () => {
  it('schedules a fault over the workload from the scenario’s seed alone', () => {
    const make = windowed(fault('f'), { windows: 2, minMs: 1000, maxMs: 2000 });
    const ctx = () => ({ random: new Random('s/scenario'), timeLimitMs: 10_000, finalState: { parameters: {} } });
    const [first] = make(ctx());
    const [again] = make(ctx());
    expect(first?.schedule).toEqual(again?.schedule);
    expect(first?.schedule).toHaveLength(4);
    expect(first?.schedule.every((s) => s.atMs <= 10_000)).toBe(true);
    expect(first?.finalSchedule).toEqual([{ atMs: Number.POSITIVE_INFINITY, action: 'stop' }]);
    expect(make.needs).toMatchObject({ budgets: [] });
    expect(make.needs?.minSpanMs(undefined)).toBe(2 * (1000 + 500));
  });

  it('sizes windows that outlast a budget from the system’s budgets, and says what that needs', () => {
    const make = windowed(fault('f'), {
      windows: 1,
      minMs: 1000,
      maxMs: 2000,
      outlast: { budget: 'kafka-producer', factor: 2, extraMs: 500 },
    });
    const parameters = { retryBudgetsMs: { 'kafka-producer': 3000 } };
    const [pkg] = make({ random: new Random('s'), timeLimitMs: 20_000, finalState: { parameters } });
    const [start, stop] = pkg?.schedule ?? [];
    expect((stop?.atMs ?? 0) - (start?.atMs ?? 0)).toBe(6500);
    expect(make.needs?.budgets).toEqual(['kafka-producer']);
    expect(make.needs?.minSpanMs(parameters.retryBudgetsMs)).toBe(7000);
    expect(() => make.needs?.minSpanMs({})).toThrow(/'kafka-producer' budget, which the system does not declare/);
  });

  it('gives faults in turn one window each in their own slot, and keeps the quiet end free', () => {
    const plan = inTurn(
      [
        [fault('a'), { minMs: 1000, maxMs: 2000 }],
        [fault('b'), { minMs: 1000, maxMs: 2000 }],
      ],
      { quietEndMs: 4000 },
    );
    const [a, b] = plan({ random: new Random('t'), timeLimitMs: 12_000, finalState: { parameters: {} } });
    const [aStart, aStop] = a?.schedule ?? [];
    const [bStart, bStop] = b?.schedule ?? [];
    expect(aStart?.atMs).toBeGreaterThanOrEqual(500);
    expect(aStop?.atMs).toBeLessThanOrEqual(4000);
    expect(bStart?.atMs).toBeGreaterThanOrEqual(4500);
    expect(bStop?.atMs).toBeLessThanOrEqual(8000);
    expect(plan.needs?.minSpanMs(undefined)).toBe(4000 + 2 * 1500);
  });
});
