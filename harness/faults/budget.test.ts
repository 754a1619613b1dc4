// Unit: a fault sized from a budget lasts at least as long as the budget requires — however early
// its heal is asked for — and a budget the system does not declare is a usage error, not a guess.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.ts';
import { Random } from '../core/random.ts';
import { outlastMs, outlasting } from './budget.ts';
import type { Fault, FaultContext } from './fault.ts';

const calls: string[] = [];
const inner: Fault = {
  name: 'inner',
  target: 'x',
  async invoke(_ctx, action) {
    calls.push(action);
    return { action };
  },
};
const ctx = (budgetsMs?: Record<string, number>) =>
  ({ random: new Random('b'), dir: '/tmp', ...(budgetsMs ? { budgetsMs } : {}) }) as unknown as FaultContext;

describe('outlasting a budget', () => {
  it('sizes the fault as factor × budget + extra (1.5 × and 1 s by default)', () => {
    expect(outlastMs({ 'kafka-producer': 3000 }, { budget: 'kafka-producer' })).toBe(5500);
    expect(outlastMs({ 'kafka-producer': 3000 }, { budget: 'kafka-producer', factor: 2, extraMs: 0 })).toBe(6000);
  });

  it('refuses a budget the system does not declare, naming the ones it does', () => {
    expect(() => outlastMs({ 'postgres-connect': 3000 }, { budget: 'kafka-producer' })).toThrow(UsageError);
    const remedy = (budgets?: Record<string, number>) => {
      try {
        outlastMs(budgets, { budget: 'kafka-producer' });
      } catch (error) {
        return (error as UsageError).remedy;
      }
      return undefined;
    };
    expect(remedy({ 'postgres-connect': 3000 })).toBe('declared: postgres-connect 3000 ms');
    expect(remedy(undefined)).toBe('declared: none');
  });

  it('holds the fault until the budget has passed, however early the heal comes', async () => {
    const fault = outlasting(inner, { name: 'long', budget: 'b', factor: 1, extraMs: 0 });
    const started = performance.now();
    expect(await fault.invoke(ctx({ b: 300 }), 'start')).toEqual({ action: 'start', outlasts: 'b', holdsMs: 300 });
    expect(await fault.invoke(ctx({ b: 300 }), 'stop')).toEqual({ action: 'stop' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(295);
    expect(calls).toEqual(['start', 'stop']);
    expect(fault).toMatchObject({ name: 'long', target: 'x' });
    await expect(fault.invoke(ctx(), 'start')).rejects.toThrow(UsageError);
  });
});
