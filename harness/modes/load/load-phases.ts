/**
 * A load run's figures by phase: the run cut at every fault window's start and end — before the
 * faults, during each, after each heal — and, when the profile ramps (`load`), its ramp up and ramp
 * down cut off the first and last of those, so "before" and "after" are the target users holding,
 * not users arriving at a rate the plan chose. Per phase and op: the requests, the errors (no
 * answer or a 5xx; a request k6 never finished — cut short by its abort or its end — counts as a
 * request, not an error, as in k6's own tally), latency p50/p95/p99 and requests per second. Only
 * k6's requests count (processes `k6-…`); a request belongs to the phase it was invoked in.
 */
import { pairOps, type Op } from '../../core/op.ts';
import type { LoadPhaseRow } from '../../core/outcome.ts';
import { faultWindows, systemError } from '../../core/vocabulary.ts';

interface Cut {
  name: string;
  start: number;
  end: number;
}

/** Seconds of a profile's ramp up and of its hold at the target users (LoadObservation.stages). */
export interface Stages {
  rampUpS: number;
  holdS: number;
}

/**
 * The phases of a history: cut at every fault start and heal (no faults: one phase, `run`); with
 * `stages`, the ramp up (from `from`) and the ramp down (after the hold) split off the first and
 * last phase when they fall inside it.
 */
export function phasesOf(history: readonly Op[], from: number, to: number, stages?: Stages): Cut[] {
  const windows = faultWindows(history).sort((a, b) => a.start - b.start);
  let cuts: Cut[] = [{ name: 'run', start: from, end: to }];
  if (windows.length > 0) {
    cuts = [{ name: 'before faults', start: from, end: windows[0]?.start ?? to }];
    windows.forEach((w, i) => {
      cuts.push({ name: `during ${w.fault}`, start: w.start, end: w.end });
      cuts.push({ name: `after ${w.fault}`, start: w.end, end: windows[i + 1]?.start ?? to });
    });
  }
  if (stages) {
    const upEnd = from + stages.rampUpS * 1e9;
    const downStart = upEnd + stages.holdS * 1e9;
    const first = cuts[0] as Cut;
    if (upEnd > first.start && upEnd < first.end)
      cuts.splice(0, 1, { name: 'ramp up', start: first.start, end: upEnd }, { ...first, start: upEnd });
    const last = cuts[cuts.length - 1] as Cut;
    if (downStart > last.start && downStart < last.end)
      cuts.splice(-1, 1, { ...last, end: downStart }, { name: 'ramp down', start: downStart, end: last.end });
  }
  return cuts.filter((c) => c.end > c.start);
}

const percentile = (sorted: readonly number[], q: number): number =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number);

/** Per phase and op (ops in first-seen order), the figures of k6's requests. */
export function loadPhases(history: readonly Op[], stages?: Stages): LoadPhaseRow[] {
  const pairs = pairOps(history).filter((p) => String(p.invoke.process).startsWith('k6-'));
  if (pairs.length === 0) return [];
  let from = Infinity;
  let to = -Infinity;
  for (const p of pairs) {
    from = Math.min(from, p.invoke.time);
    to = Math.max(to, p.completion?.time ?? p.invoke.time);
  }
  const cuts = phasesOf(history, from, to + 1, stages);
  const cells = new Map<string, { requests: number; latencies: number[]; errors: number }>();
  const ops: string[] = [];
  for (const p of pairs) {
    const cut = cuts.find((c) => p.invoke.time >= c.start && p.invoke.time < c.end) ?? cuts[cuts.length - 1];
    if (!ops.includes(p.invoke.f)) ops.push(p.invoke.f);
    const key = `${cut?.name}\u0000${p.invoke.f}`;
    const cell = cells.get(key) ?? { requests: 0, latencies: [], errors: 0 };
    cell.requests++;
    if (p.completion) cell.latencies.push((p.completion.time - p.invoke.time) / 1e6);
    if (p.completion && systemError(p.completion)) cell.errors++;
    cells.set(key, cell);
  }
  return cuts.flatMap((cut) =>
    ops.flatMap((op) => {
      const cell = cells.get(`${cut.name}\u0000${op}`);
      if (!cell) return [];
      const sorted = [...cell.latencies].sort((a, b) => a - b);
      const round = (v: number) => Math.round(v * 10) / 10;
      return [
        {
          phase: cut.name,
          op,
          requests: cell.requests,
          errors: cell.errors,
          p50Ms: round(percentile(sorted, 0.5)),
          p95Ms: round(percentile(sorted, 0.95)),
          p99Ms: round(percentile(sorted, 0.99)),
          perSecond: round(cell.requests / Math.max(0.001, (cut.end - cut.start) / 1e9)),
        },
      ];
    }),
  );
}
