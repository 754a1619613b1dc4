/**
 * Fault schedules, decided by the harness from the run's seed (Toxiproxy's own randomness cannot be
 * seeded, so it is never used): non-overlapping start/stop windows within the workload, and the
 * composition of several packages into one timeline that ends with every heal.
 */
import type { Random } from '../core/random.ts';
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
 * A scenario's fault list: `fault` in `windows` seeded windows over the workload (the scenario's
 * stream forked as `faults`, so the schedule depends on the seed and the scenario alone).
 */
export function windowed(
  fault: Fault,
  options: Omit<WindowOptions, 'spanMs'>,
): (ctx: { random: Random; timeLimitMs: number }) => FaultPackage[] {
  return (ctx) => [
    faultPackage(fault, faultWindows(ctx.random.fork('faults'), { spanMs: ctx.timeLimitMs, ...options })),
  ];
}
