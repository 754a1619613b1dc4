/**
 * `stampede-bound`: during a stampede (many concurrent misses on one key), the source loads of that
 * key and version — counted by PostgreSQL itself (pg_stat_statements), recorded by the harness as
 * `finalState.observations.stampedes: [{key, version, loads, instances, requests, okRequests}]` — stay at or below
 * the number of API instances. Unknown when no stampede was measured or a measurement saw no load
 * at all (the requests never reached the source: the measurement is broken, not the system good).
 */
import { resultOf, unknown, type Anomaly, type Checker, type FinalState } from '../core/checker.ts';
import type { Op } from '../core/op.ts';

export const stampedeBound: Checker = {
  name: 'stampede-bound',
  check(_history: readonly Op[], finalState: FinalState) {
    const measurements = finalState.observations.stampedes ?? [];
    const stats = {
      stampedes: measurements.length,
      worstLoads: Math.max(0, ...measurements.map((m) => m.loads)),
      measurements,
    };
    if (measurements.length === 0) return unknown('no stampede was measured', stats);
    const broken = measurements.find((m) => m.loads === 0);
    if (broken) return unknown(`stampede on ${broken.key} measured no source load at all`, stats);
    const anomalies: Anomaly[] = measurements
      .filter((m) => m.loads > m.instances)
      .map((m) => ({
        kind: 'stampede-overload',
        message: `${m.requests} reads during a stampede on ${m.key}${m.version !== undefined ? ` v${m.version}` : ''} caused ${m.loads} source loads for ${m.instances} API instance(s)`,
        ops: m.ops ?? [],
      }));
    return resultOf(anomalies, stats);
  },
};
