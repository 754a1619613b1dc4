/**
 * `effects-exactly-once`: delivery is at least once, effects exactly once. From the delivery
 * ledger: an event on its topic that a consumer must apply left more than one effect there —
 * `duplicate-effect` (the inbox did not absorb a redelivery) — or none — `unseen` (never applied).
 * Per consumer the stats say what was delivered (copies on the topic), absorbed by the inbox
 * (copies beyond the one applied) and applied. A projection a consumer keeps that still differs
 * from PostgreSQL after quiesce is `drift` (an event it lost or applied out of order); one whose
 * aggregate version went backwards between two recorded reads is `nonmonotonic`.
 *
 * Opportunities: (event, consumer) pairs whose event is on its topic, plus the entities a
 * projection mirrors, and the (entity, later read) pairs of the projection watch. Unknown without
 * a ledger.
 */
import { resultOf, unknown, type Anomaly, type Checker, type FinalState } from '../core/checker.ts';
import type { Op } from '../core/op.ts';
import { projectionRegressions } from './projection-monotonic.ts';

export const effectsExactlyOnce: Checker = {
  name: 'effects-exactly-once',
  observes: ['ledger'],
  check(history: readonly Op[], finalState: FinalState) {
    const ledger = finalState.observations.ledger;
    if (!ledger) return unknown('no delivery ledger was read');
    const anomalies: Anomaly[] = [];
    const perConsumer: Record<string, { delivered: number; absorbed: number; applied: number }> = {};
    let judged = 0;
    for (const entry of ledger.entries.filter((e) => e.copies > 0)) {
      for (const [consumer, seen] of Object.entries(entry.consumers)) {
        judged++;
        const tally = (perConsumer[consumer] ??= { delivered: 0, absorbed: 0, applied: 0 });
        tally.delivered += entry.copies;
        tally.applied += seen.effects;
        tally.absorbed += Math.max(0, entry.copies - seen.effects);
        if (seen.effects > 1)
          anomalies.push({
            kind: 'duplicate-effect',
            message: `${consumer} applied ${entry.type} ${entry.eventId} of ${entry.tenantId} ${seen.effects} times`,
            ops: [],
          });
        else if (seen.effects === 0)
          anomalies.push({
            kind: 'unseen',
            message: `${consumer} never applied ${entry.type} ${entry.eventId} of ${entry.tenantId}, which is on its topic`,
            ops: [],
          });
      }
    }
    const projections: Record<string, { compared: number; drift: number }> = {};
    for (const comparison of ledger.projections ?? []) {
      judged += comparison.compared;
      projections[comparison.projection] = { compared: comparison.compared, drift: comparison.drift.length };
      for (const d of comparison.drift)
        anomalies.push({
          kind: 'drift',
          message: `${comparison.consumer}'s ${comparison.projection} holds ${d.actual} for ${d.entity} of ${d.tenantId}, PostgreSQL holds ${d.expected}`,
          ops: [],
        });
    }
    const watched = projectionRegressions(history);
    judged += watched.compared;
    anomalies.push(...watched.anomalies);
    return resultOf(
      anomalies,
      {
        consumers: perConsumer,
        ...(ledger.projections ? { projections } : {}),
        ...(watched.compared ? { projectionReadsCompared: watched.compared } : {}),
      },
      judged,
      ledger.projections
        ? 'events on their topic a consumer must apply, and entities a projection mirrors'
        : 'events on their topic a consumer must apply',
    );
  },
};
