/**
 * Faults that outlast a client's retry or timeout budget. A brief outage heals inside the clients'
 * own retries and reconnects, so the code that handles a call that *failed* never runs; an outage
 * sized from the system's declared budget (`factor` × budget + `extraMs`) makes it run. A budget the
 * system does not declare is a usage error, raised before anything starts (preflight) and again here.
 */
import { UsageError } from '../core/errors.ts';
import type { Fault } from './fault.ts';

/** How long a fault must last: `factor` (default 1.5) × the system's `budget`, plus `extraMs` (default 1000). */
export interface Outlast {
  budget: string;
  factor?: number;
  extraMs?: number;
}

/** The budgets a system declares, in words (for errors). */
export const declaredBudgets = (budgets: Readonly<Record<string, number>> | undefined): string =>
  Object.entries(budgets ?? {})
    .map(([name, ms]) => `${name} ${ms} ms`)
    .join(', ') || 'none';

/** The shortest length (ms) of a fault that outlasts `spec`'s budget. */
export function outlastMs(budgets: Readonly<Record<string, number>> | undefined, spec: Outlast): number {
  const budget = budgets?.[spec.budget];
  if (budget === undefined)
    throw new UsageError(
      `a fault must outlast the system's '${spec.budget}' budget, which the system does not declare`,
      `declared: ${declaredBudgets(budgets)}`,
    );
  return Math.ceil(budget * (spec.factor ?? 1.5) + (spec.extraMs ?? 1000));
}

/**
 * `name`: `fault`, whose heal waits until it has been in effect for `outlastMs` — however early a
 * step or a schedule asks for it — so every client that depends on its target has given up once.
 */
export function outlasting(fault: Fault, spec: Outlast & { name: string }): Fault {
  let until = 0;
  return {
    name: spec.name,
    target: fault.target,
    ...(fault.setup ? { setup: (ctx) => fault.setup?.(ctx) ?? Promise.resolve() } : {}),
    ...(fault.teardown ? { teardown: (ctx) => fault.teardown?.(ctx) ?? Promise.resolve() } : {}),
    async invoke(ctx, action) {
      const hold = outlastMs(ctx.budgetsMs, spec);
      if (action === 'start') {
        until = performance.now() + hold;
        return { ...(await fault.invoke(ctx, 'start')), outlasts: spec.budget, holdsMs: hold };
      }
      const left = until - performance.now();
      if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
      return fault.invoke(ctx, 'stop');
    },
  };
}
