/**
 * Where a scenario's time goes: the runner enters each phase of its lifecycle (setup, workload,
 * heal, quiesce, final reads, check) and the clock sums the milliseconds spent in each, so a slow
 * run says which part was slow (explore's per-phase breakdown, `phasesMs` in results.json).
 */
export class PhaseClock {
  private readonly totals: Record<string, number> = {};
  private since: number;

  constructor(
    private phase: string,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.since = now();
  }

  /** The phase the scenario is in. */
  get current(): string {
    return this.phase;
  }

  /** Ends the current phase and starts `next`. */
  enter(next: string): void {
    const at = this.now();
    this.totals[this.phase] = (this.totals[this.phase] ?? 0) + (at - this.since);
    this.phase = next;
    this.since = at;
  }

  /** Whole milliseconds per phase so far, the current one included. */
  spent(): Record<string, number> {
    const current = this.now() - this.since;
    const all = { ...this.totals, [this.phase]: (this.totals[this.phase] ?? 0) + current };
    return Object.fromEntries(Object.entries(all).map(([k, v]) => [k, Math.round(v)]));
  }
}

/** `b` added into `a`, phase by phase. */
export function addPhases(a: Record<string, number>, b: Readonly<Record<string, number>> | undefined): void {
  for (const [phase, ms] of Object.entries(b ?? {})) a[phase] = (a[phase] ?? 0) + ms;
}

/** `setup 12% · workload 40% …` in the order the phases came, with the total in seconds. */
export function phaseLine(phases: Readonly<Record<string, number>>): string {
  const total = Object.values(phases).reduce((sum, ms) => sum + ms, 0);
  if (total <= 0) return 'no time recorded';
  const parts = Object.entries(phases).map(
    ([phase, ms]) => `${phase} ${(ms / 1000).toFixed(1)} s (${Math.round((ms / total) * 100)}%)`,
  );
  return `${parts.join(' · ')} — ${(total / 1000).toFixed(0)} s in all`;
}
