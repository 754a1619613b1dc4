/**
 * A game-day drill plan (`scenarios/gamedays/*.yaml`) as the harness holds it once validated: the
 * steady-state hypothesis (probes), the method (faults on a timeline, with background traffic), the
 * signals expected to move, the stop conditions, the recovery bound, the runbook in the operations
 * guide's format, and the runbook's actions run at their steps. The types are inferred from the
 * schema (plan-schema.ts), so the two cannot disagree. Every duration is in ms at speed 1;
 * `--speed F` divides them.
 */
import type { z } from 'zod';
import type { planSchema } from './plan-schema.ts';

export type { ActionTrigger } from './plan-schema.ts';

export type GamedayPlan = z.output<ReturnType<typeof planSchema>> & {
  /** Where the plan was read from (actions resolve against its folder). */
  file: string;
};
/** A measurement with a bound: `above` or `below` (exactly one). */
export type Probe = GamedayPlan['steadyState'][number];
export type ProbeKind = Probe['kind'];
/** A probe expected to cross its bound within `withinMs` of the first fault's start: detection. */
export type Signal = GamedayPlan['signals'][number];
/** One fault of the method: started `atMs` after the method begins, healed `forMs` later. */
export type MethodStep = GamedayPlan['method'][number];
/** The drill's background traffic (workers of the harness's generators). */
export type Traffic = GamedayPlan['traffic'];
/** The operations guide's runbook format. */
export type Runbook = GamedayPlan['runbook'];
/** A runbook step whose verification names metrics (checked against what the system exports). */
export type RunbookStep = Runbook['diagnosis'][number];
/** An action of the runbook: a zx script beside the plan (an unsafe one may have none). */
export type RunbookAction = Runbook['unsafeActions'][number];
export type PlannedAction = GamedayPlan['actions'][number];

/** The plan with every duration divided by `speed`. */
export function atSpeed(plan: GamedayPlan, speed: number): GamedayPlan {
  const s = (ms: number) => Math.max(1, Math.round(ms / speed));
  return {
    ...plan,
    method: plan.method.map((m) => ({ ...m, atMs: Math.round(m.atMs / speed), forMs: s(m.forMs) })),
    signals: plan.signals.map((g) => ({ ...g, withinMs: s(g.withinMs) })),
    recoveryWithinMs: s(plan.recoveryWithinMs),
    baselineMs: s(plan.baselineMs),
    actions: plan.actions.map((a) =>
      a.when.on === 'time' ? { ...a, when: { on: 'time', atMs: Math.round(a.when.atMs / speed) } } : a,
    ),
  };
}

/** Runbook steps (diagnosis, verification) naming metrics that are not in `exported`. */
export function unexportedMetrics(plan: GamedayPlan, exported: readonly string[]): { step: string; metric: string }[] {
  return [...plan.runbook.diagnosis, ...plan.runbook.verification].flatMap((s) =>
    (s.metrics ?? []).filter((m) => !exported.includes(m)).map((metric) => ({ step: s.step, metric })),
  );
}
