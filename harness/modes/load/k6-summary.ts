/**
 * k6's end-of-test summary (`--summary-export`, JSON): every threshold with whether it held and how
 * many samples its metric had — a threshold that met no sample judged nothing, and says so.
 * Several k6 instances of one run each have a summary; their thresholds are combined (a threshold
 * holds when it held in every instance; samples add up).
 */
import fs from 'node:fs';
import type { ThresholdOutcome } from '../../core/final-state.ts';

type Metric = Record<string, unknown> & { thresholds?: Record<string, unknown> };

/** Samples of a metric as the summary shows them (trend `count`, rate passes + fails, counter `count`). */
function samplesOf(metric: Metric): number {
  const values = (typeof metric.values === 'object' && metric.values !== null ? metric.values : metric) as Record<
    string,
    unknown
  >;
  const n = (k: string) => (typeof values[k] === 'number' ? (values[k] as number) : 0);
  return n('count') || n('passes') + n('fails');
}

/** The thresholds of one summary file (undefined when the file is missing or not a summary). */
export function thresholdsOf(file: string): ThresholdOutcome[] | undefined {
  let summary: { metrics?: Record<string, Metric> };
  try {
    summary = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof summary;
  } catch {
    return undefined;
  }
  if (typeof summary.metrics !== 'object') return undefined;
  return Object.entries(summary.metrics).flatMap(([metric, m]) =>
    Object.entries(m.thresholds ?? {}).map(([expression, state]) => ({
      metric,
      expression,
      // `--summary-export` writes `true` for a threshold that failed; handleSummary's data writes `{ok}`.
      ok: typeof state === 'object' && state !== null ? (state as { ok?: unknown }).ok === true : state === false,
      samples: samplesOf(m),
    })),
  );
}

/** Thresholds of several instances as one: held only where every instance held; samples summed. */
export function combineThresholds(runs: readonly ThresholdOutcome[][]): ThresholdOutcome[] {
  const combined = new Map<string, ThresholdOutcome>();
  for (const t of runs.flat()) {
    const key = `${t.metric} ${t.expression}`;
    const seen = combined.get(key);
    combined.set(key, seen ? { ...seen, ok: seen.ok && t.ok, samples: seen.samples + t.samples } : { ...t });
  }
  return [...combined.values()].sort((a, b) => a.metric.localeCompare(b.metric));
}
