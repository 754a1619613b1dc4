/**
 * Fault schedules, decided by the harness from the run's seed (Toxiproxy's own randomness cannot be
 * seeded, so it is never used): non-overlapping start/stop windows within the workload, and the
 * composition of several packages into one timeline that ends with every heal.
 */
import type { Parameters } from '../core/final-state.ts';
import type { Random } from '../core/random.ts';
import { outlastMs, type Outlast } from './budget.ts';
import type { Fault, FaultPackage, FaultStep } from './fault.ts';

export interface WindowOptions {
  /** How long the workload runs (ms); every window ends before it. */
  spanMs: number;
  windows: number;
  minMs: number;
  maxMs: number;
  /** Quiet time before the first window and between windows (ms). */
  gapMs?: number;
}

/**
 * How a scenario's windows sit in its workload: `quietEndMs` leaves the last stretch without
 * faults (e.g. a recovery budget, so requests after every heal are judged), `outlast` makes every
 * window last at least as long as that system budget requires.
 */
export interface PlanOptions {
  quietEndMs?: number;
  outlast?: Outlast;
}

/** `windows` start/stop pairs at seeded times, in order, never overlapping, all within the span. */
export function faultWindows(random: Random, options: WindowOptions): FaultStep[] {
  const gap = options.gapMs ?? 500;
  const steps: FaultStep[] = [];
  const slot = options.spanMs / options.windows;
  if (options.minMs + gap > slot)
    throw new Error(`cannot fit ${options.windows} windows of ≥${options.minMs} ms in ${options.spanMs} ms`);
  for (let i = 0; i < options.windows; i++) {
    const length = random.int(options.minMs, Math.min(options.maxMs, Math.floor(slot - gap)));
    const start = Math.round(i * slot + gap + random.int(0, Math.max(0, Math.floor(slot - gap - length))));
    steps.push({ atMs: start, action: 'start' }, { atMs: start + length, action: 'stop' });
  }
  return steps;
}

/** A package whose final schedule heals (a stop at the end). */
export function faultPackage(fault: Fault, schedule: FaultStep[]): FaultPackage {
  return { fault, schedule, finalSchedule: [{ atMs: Number.POSITIVE_INFINITY, action: 'stop' }] };
}

/** One step of a composed timeline. */
export interface TimelineStep extends FaultStep {
  fault: Fault;
}

/** Merges packages into one timeline ordered by time; the heals come last, one per fault. */
export function composeFaults(packages: readonly FaultPackage[]): { timeline: TimelineStep[]; heals: TimelineStep[] } {
  const timeline = packages
    .flatMap((p) => p.schedule.map((step) => ({ ...step, fault: p.fault })))
    .sort((a, b) => a.atMs - b.atMs || (a.action === 'stop' ? -1 : 1));
  const heals = packages.flatMap((p) => p.finalSchedule.map((step) => ({ ...step, fault: p.fault })));
  return { timeline, heals };
}

/**
 * What a scenario's fault schedule needs of a run, known before anything starts: the system budgets
 * it sizes faults from, and the shortest workload its windows fit in once those are known.
 */
export interface FaultNeeds {
  budgets: readonly string[];
  minSpanMs(budgetsMs: Readonly<Record<string, number>> | undefined): number;
}

/** What a schedule is drawn from: the scenario's stream, its workload length, its parameters. */
export interface ScheduleContext {
  random: Random;
  timeLimitMs: number;
  finalState: { parameters: Parameters };
}

/** A scenario's faults: packages drawn per run, with what the schedule needs (for the preflight). */
export type FaultPlan = ((ctx: ScheduleContext) => FaultPackage[]) & { readonly needs?: FaultNeeds };

/** The window lengths of `options`: at least `outlast`'s length when it has one. */
function lengths(
  options: Omit<WindowOptions, 'spanMs'> & PlanOptions,
  budgets: Readonly<Record<string, number>> | undefined,
): { minMs: number; maxMs: number } {
  const floor = options.outlast ? outlastMs(budgets, options.outlast) : 0;
  return { minMs: Math.max(options.minMs, floor), maxMs: Math.max(options.maxMs, floor) };
}

/**
 * A scenario's fault list: `fault` in `windows` seeded windows over the workload (the scenario's
 * stream forked as `faults`, so the schedule depends on the seed and the scenario alone). With
 * `outlast`, every window lasts at least as long as that system budget requires.
 */
export function windowed(fault: Fault, options: Omit<WindowOptions, 'spanMs'> & PlanOptions): FaultPlan {
  const quiet = options.quietEndMs ?? 0;
  const plan = (ctx: ScheduleContext) => [
    faultPackage(
      fault,
      faultWindows(ctx.random.fork('faults'), {
        spanMs: ctx.timeLimitMs - quiet,
        ...options,
        ...lengths(options, ctx.finalState.parameters.retryBudgetsMs),
      }),
    ),
  ];
  const needs: FaultNeeds = {
    budgets: options.outlast ? [options.outlast.budget] : [],
    minSpanMs: (budgets) => quiet + options.windows * (lengths(options, budgets).minMs + (options.gapMs ?? 500)),
  };
  return Object.assign(plan, { needs });
}

/**
 * Several faults one after another: the workload is cut into one slot per fault, in order, and each
 * gets one seeded window inside its slot (so they never overlap) — e.g. Redis refused, then frozen.
 */
export function inTurn(
  entries: readonly (readonly [Fault, Omit<WindowOptions, 'spanMs' | 'windows'> & { outlast?: Outlast }])[],
  options: { quietEndMs?: number } = {},
): FaultPlan {
  const quiet = options.quietEndMs ?? 0;
  const plan = (ctx: ScheduleContext) => {
    const slot = (ctx.timeLimitMs - quiet) / entries.length;
    return entries.map(([fault, options], i) => {
      const budgets = ctx.finalState.parameters.retryBudgetsMs;
      const steps = faultWindows(ctx.random.fork(`faults-${i}`), {
        spanMs: slot,
        windows: 1,
        ...options,
        ...lengths({ ...options, windows: 1 }, budgets),
      });
      return faultPackage(
        fault,
        steps.map((step) => ({ ...step, atMs: step.atMs + i * slot })),
      );
    });
  };
  const needs: FaultNeeds = {
    budgets: entries.flatMap(([, o]) => (o.outlast ? [o.outlast.budget] : [])),
    minSpanMs: (budgets) =>
      quiet +
      entries.length *
        Math.max(...entries.map(([, o]) => lengths({ ...o, windows: 1 }, budgets).minMs + (o.gapMs ?? 500))),
  };
  return Object.assign(plan, { needs });
}
