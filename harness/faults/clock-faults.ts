/**
 * Clock faults, as Jepsen's clock nemesis: one component's wall clock jumps (behind or ahead of
 * real time) while every other clock stays right, then jumps back on heal. Only components that can
 * have their clock moved (`HasClock`) are targets. TTL classes, stale-while-revalidate windows,
 * breakers and anything else measured on the wall clock meet a time that goes backwards or leaps.
 */
import { requireAbility } from '../system/system.ts';
import type { Fault } from './fault.ts';
import { componentOf } from './process-faults.ts';

/** The jumps drawn when a fault names none: behind and ahead, by minutes. */
export const CLOCK_JUMPS_MS = [-600_000, -120_000, 120_000, 600_000] as const;

/** `clock-skew`: `component`'s clock jumps by `offsetMs` (drawn from `CLOCK_JUMPS_MS` when absent); back to real time on heal. */
export function clockSkew(component: string, offsetMs?: number): Fault {
  return {
    name: 'clock-skew',
    target: component,
    async setup(ctx) {
      requireAbility(componentOf(ctx, component), 'clock');
    },
    async invoke(ctx, action) {
      const clock = requireAbility(componentOf(ctx, component), 'clock');
      const offset = action === 'stop' ? 0 : (offsetMs ?? ctx.random.pick(CLOCK_JUMPS_MS));
      await clock.setClockOffset(offset);
      return { offsetMs: clock.clockOffsetMs };
    },
  };
}
