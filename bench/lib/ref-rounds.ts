/**
 * `bench:ref`'s rounds: each phase runs several times, interleaved with the others, and is reported
 * by its median round (by requests per second; that round's latencies and CPU go with it) and the
 * spread of its rounds, so a before/after of a few percent can be told from the machine's noise.
 * Two runs of the same code once gave convert 224/s and 308/s on this 2-core machine.
 */

/** What one round of a phase measured. */
export interface RoundFigures {
  rps: number;
  p50: number;
  p99: number;
  failed: number;
  /** CPU milliseconds per request, serving components only (undefined: not measured). */
  cpuMs?: number;
  /** The CPU line of this round, as `load` prints it. */
  cpuLine?: string;
}

/** A phase over its rounds: the median round, and the lowest and highest of each figure. */
export interface PhaseSummary {
  rounds: number;
  median: RoundFigures;
  rps: { min: number; max: number };
  cpuMs?: { min: number; max: number; median: number };
  /** Failed requests over every round. */
  failed: number;
}

/** The middle value of `values` (the lower middle for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : (sorted[Math.floor((sorted.length - 1) / 2)] as number);
}

/** Summarises a phase's rounds; throws on none (a phase that never ran has nothing to report). */
export function summarise(rounds: readonly RoundFigures[]): PhaseSummary {
  if (rounds.length === 0) throw new Error('a phase with no rounds has nothing to summarise');
  const rpsMedian = median(rounds.map((r) => r.rps));
  const middle = rounds.find((r) => r.rps === rpsMedian) as RoundFigures;
  const rps = rounds.map((r) => r.rps);
  const cpu = rounds.flatMap((r) => (r.cpuMs === undefined ? [] : [r.cpuMs]));
  return {
    rounds: rounds.length,
    median: middle,
    rps: { min: Math.min(...rps), max: Math.max(...rps) },
    ...(cpu.length > 0 ? { cpuMs: { min: Math.min(...cpu), max: Math.max(...cpu), median: median(cpu) } } : {}),
    failed: rounds.reduce((sum, r) => sum + r.failed, 0),
  };
}

/** `min–max` of a figure, or nothing for a single round (no spread to show). */
export function spreadText(summary: PhaseSummary, of: { min: number; max: number }, digits: number): string {
  return summary.rounds < 2 ? '' : `${of.min.toFixed(digits)}–${of.max.toFixed(digits)}`;
}

/**
 * The CPU line of a phase: its median round's CPU per request, its rounds' spread, and that
 * round's line by component (undefined where no round measured CPU).
 */
export function cpuSummaryLine(what: string, summary: PhaseSummary): string | undefined {
  if (!summary.cpuMs) return undefined;
  const spread = spreadText(summary, summary.cpuMs, 2);
  const line = summary.median.cpuLine ?? '';
  return `${what}: ${summary.cpuMs.median.toFixed(2)} ms CPU per request${spread ? ` (rounds ${spread} ms)` : ''}; median round by req/s — ${line}`;
}

/**
 * The ratio of two phases' req/s round by round (rounds interleave, so a slow spell of the machine
 * falls on both sides of each ratio): its median and spread. Throws on rounds that do not pair.
 */
export function roundRatios(
  top: readonly RoundFigures[],
  bottom: readonly RoundFigures[],
): { median: number; min: number; max: number } {
  if (top.length === 0 || top.length !== bottom.length)
    throw new Error(`ratios need paired rounds (${top.length} and ${bottom.length})`);
  const ratios = top.map((r, i) => r.rps / (bottom[i] as RoundFigures).rps);
  return { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) };
}
