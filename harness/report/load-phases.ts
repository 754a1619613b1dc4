/**
 * A load run's figures by phase: the run cut at every fault window's start and end — before the
 * faults, during each, after each heal — and per phase and op, the requests, the errors (no answer
 * or a 5xx), latency p50/p95/p99 and requests per second. Only k6's requests count (processes
 * `k6-…`); a request belongs to the phase it was invoked in. One pass over the history.
 */
import { pairOps, type Op } from '../core/op.ts';
import type { LoadPhaseRow } from '../core/outcome.ts';
import { faultWindows, systemError } from '../core/vocabulary.ts';

interface Cut {
  name: string;
  start: number;
  end: number;
}

/** The phases of a history: cut at every fault start and heal (no faults: one phase, `run`). */
export function phasesOf(history: readonly Op[], from: number, to: number): Cut[] {
  const windows = faultWindows(history).sort((a, b) => a.start - b.start);
  if (windows.length === 0) return [{ name: 'run', start: from, end: to }];
  const cuts: Cut[] = [{ name: 'before faults', start: from, end: windows[0]?.start ?? to }];
  windows.forEach((w, i) => {
    cuts.push({ name: `during ${w.fault}`, start: w.start, end: w.end });
    cuts.push({ name: `after ${w.fault}`, start: w.end, end: windows[i + 1]?.start ?? to });
  });
  return cuts.filter((c) => c.end > c.start);
}

const percentile = (sorted: readonly number[], q: number): number =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number);

/** Per phase and op (ops in first-seen order), the figures of k6's requests. */
export function loadPhases(history: readonly Op[]): LoadPhaseRow[] {
  const pairs = pairOps(history).filter((p) => String(p.invoke.process).startsWith('k6-'));
  if (pairs.length === 0) return [];
  let from = Infinity;
  let to = -Infinity;
  for (const p of pairs) {
    from = Math.min(from, p.invoke.time);
    to = Math.max(to, p.completion?.time ?? p.invoke.time);
  }
  const cuts = phasesOf(history, from, to + 1);
  const cells = new Map<string, { requests: number; latencies: number[]; errors: number }>();
  const ops: string[] = [];
  for (const p of pairs) {
    const cut = cuts.find((c) => p.invoke.time >= c.start && p.invoke.time < c.end) ?? cuts[cuts.length - 1];
    if (!ops.includes(p.invoke.f)) ops.push(p.invoke.f);
    const key = `${cut?.name}\u0000${p.invoke.f}`;
    const cell = cells.get(key) ?? { requests: 0, latencies: [], errors: 0 };
    cell.requests++;
    if (p.completion) cell.latencies.push((p.completion.time - p.invoke.time) / 1e6);
    if (systemError(p.completion)) cell.errors++;
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
