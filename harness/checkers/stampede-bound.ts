/**
 * `stampede-bound`: during a stampede (many concurrent misses on one key), the source loads of that
 * key and version — counted by PostgreSQL itself (pg_stat_statements), recorded by the harness as
 * `finalState.observations.stampedes: [{key, version, loads, instances, requests, okRequests, ops}]`
 * — stay within what the system promises:
 *
 *   - one load per key and version while the cache is reachable (a cross-instance lock can work);
 *   - one load per API instance while the cache is unreachable (only each instance's single-flight
 *     can), i.e. when a cache-outage fault window — extended by the system's declared recovery
 *     time, `parameters.cacheRecoveryMs` (reconnecting, a breaker still open) — overlaps the stampede.
 *
 * A stampede that overlaps a fault of the source itself (PostgreSQL frozen, killed, cut off) is not
 * judged: a load the source never answered is retried by the next request, as it should be.
 *
 * Unknown when no stampede was measured or a measurement saw no load at all (the requests never
 * reached the source: the measurement is broken, not the system good). Opportunities: stampedes
 * judged.
 */
import { resultOf, unknown, type Anomaly, type Checker, type FinalState } from '../core/checker.ts';
import type { StampedeMeasurement } from '../core/final-state.ts';
import type { Op } from '../core/op.ts';
import { CACHE_OUTAGE_FAULTS, faultWindows, SOURCE_FAULT, type FaultWindow } from '../core/vocabulary.ts';

/** The promise, as the report states it. */
export const STAMPEDE_PROMISE =
  'one source load per key and version while the cache is reachable; one per API instance while it is not';

/** Whether any of `windows` (extended by `afterNs`) overlaps the measurement's span (or it has no span). */
function overlaps(
  m: StampedeMeasurement,
  history: readonly Op[],
  windows: readonly FaultWindow[],
  afterNs = 0,
): boolean {
  const [first, last] = m.ops ?? [];
  const times = history.filter((op) => op.index === first || op.index === last).map((op) => op.time);
  const [from, to] = [Math.min(...times), Math.max(...times)];
  return windows.some((w) => times.length === 0 || (w.start <= to && w.end + afterNs >= from));
}

/** The bound for one measurement: 1, or the instances when a cache outage (or its recovery) overlapped it. */
function boundOf(m: StampedeMeasurement, history: readonly Op[], outages: readonly FaultWindow[], recoveryNs: number) {
  return overlaps(m, history, outages, recoveryNs) ? m.instances : 1;
}

export const stampedeBound: Checker = {
  name: 'stampede-bound',
  check(history: readonly Op[], finalState: FinalState) {
    const measured = finalState.observations.stampedes ?? [];
    const outageFaults = new Set<string>(finalState.parameters.cacheOutageFaults ?? CACHE_OUTAGE_FAULTS);
    const windows = faultWindows(history);
    const outages = windows.filter((w) => outageFaults.has(w.fault));
    const sourceFaults = windows.filter((w) => SOURCE_FAULT.test(w.fault));
    const measurements = measured.filter((m) => !overlaps(m, history, sourceFaults));
    const recoveryMs = finalState.parameters.cacheRecoveryMs ?? 0;
    const bounds = measurements.map((m) => boundOf(m, history, outages, recoveryMs * 1e6));
    const stats = {
      promise: STAMPEDE_PROMISE,
      cacheRecoveryMs: recoveryMs,
      stampedes: measurements.length,
      duringSourceFault: measured.length - measurements.length,
      worstLoads: Math.max(0, ...measurements.map((m) => m.loads)),
      measurements: measurements.map((m, i) => ({ ...m, bound: bounds[i] })),
    };
    if (measurements.length === 0)
      return unknown(
        measured.length ? 'every stampede overlapped a fault of the source itself' : 'no stampede was measured',
        stats,
      );
    const broken = measurements.find((m) => m.loads === 0);
    if (broken) return unknown(`stampede on ${broken.key} measured no source load at all`, stats, measurements.length);
    const anomalies: Anomaly[] = measurements.flatMap((m, i) =>
      m.loads > (bounds[i] as number)
        ? [
            {
              kind: 'stampede-overload',
              message: `${m.requests} reads during a stampede on ${m.key}${m.version !== undefined ? ` v${m.version}` : ''} caused ${m.loads} source loads; the bound is ${bounds[i]} (${bounds[i] === 1 ? 'cache reachable: one per key and version' : `cache unreachable: one per each of ${m.instances} API instances`})`,
              ops: m.ops ?? [],
            },
          ]
        : [],
    );
    return resultOf(anomalies, stats, measurements.length, 'stampedes measured');
  },
};
