/**
 * Projections may lag, never go back: from the recorded `read-projection` ops (each holding every
 * projected entity's aggregate version at that moment, read from PostgreSQL directly), an entity
 * whose version is lower than an earlier read showed is `nonmonotonic` — a redelivered or
 * reordered event overwrote a newer state. Part of `effects-exactly-once`.
 */
import type { Anomaly } from '../core/checker.ts';
import type { Op } from '../core/op.ts';

/** Regressions found, and how many (entity, later read) pairs were compared. */
export function projectionRegressions(history: readonly Op[]): { anomalies: Anomaly[]; compared: number } {
  const seen = new Map<string, { version: number; op: number }>();
  const anomalies: Anomaly[] = [];
  let compared = 0;
  for (const op of history) {
    if (op.f !== 'read-projection' || op.type !== 'ok') continue;
    const versions = (op.value.versions ?? {}) as Record<string, Record<string, number>>;
    for (const [projection, entities] of Object.entries(versions))
      for (const [entity, version] of Object.entries(entities)) {
        const key = `${projection}/${entity}`;
        const before = seen.get(key);
        if (before) {
          compared++;
          if (version < before.version)
            anomalies.push({
              kind: 'nonmonotonic',
              message: `${projection} went back for ${entity}: version ${before.version}, then ${version}`,
              ops: [before.op, op.index],
            });
        }
        if (!before || version >= before.version) seen.set(key, { version, op: op.index });
      }
  }
  return { anomalies, compared };
}
