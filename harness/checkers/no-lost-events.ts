/**
 * `no-lost-events`: every event committed to the outbox reaches its topic. From the delivery
 * ledger, read after quiesce (outbox rows in PostgreSQL, the topics from the beginning through the
 * direct brokers): a row marked published with no copy on the topic is `lost` (the relay marked it
 * before the broker had it); a row still unpublished after quiesce is `stuck`. A row marked
 * published proves nothing by itself — only a copy on the topic does.
 *
 * Opportunities: outbox rows. Unknown without a ledger (the final reads did not happen).
 */
import { resultOf, unknown, type Anomaly, type Checker, type FinalState } from '../core/checker.ts';
import type { Op } from '../core/op.ts';

export const noLostEvents: Checker = {
  name: 'no-lost-events',
  observes: ['ledger'],
  check(_history: readonly Op[], finalState: FinalState) {
    const ledger = finalState.observations.ledger;
    if (!ledger) return unknown('no delivery ledger was read');
    const committed = ledger.entries.filter((e) => e.outbox !== null);
    const anomalies: Anomaly[] = committed.flatMap((e): Anomaly[] => {
      if (e.outbox !== 'published')
        return [
          {
            kind: 'stuck',
            message: `${e.type} ${e.eventId} of ${e.tenantId} is still ${e.outbox} after quiesce`,
            ops: [],
          },
        ];
      if (e.copies === 0)
        return [
          {
            kind: 'lost',
            message: `${e.type} ${e.eventId} of ${e.tenantId} is marked published but is not on its topic`,
            ops: [],
          },
        ];
      return [];
    });
    const stats = {
      outboxRows: committed.length,
      onTopic: committed.filter((e) => e.copies > 0).length,
      copies: committed.reduce((n, e) => n + e.copies, 0),
      ...(ledger.drainMs !== undefined ? { drainMs: ledger.drainMs } : {}),
    };
    return resultOf(anomalies, stats, committed.length, 'events committed to the outbox');
  },
};
