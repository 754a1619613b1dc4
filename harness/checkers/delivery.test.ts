// Unit: no-lost-events and effects-exactly-once on hand-written delivery ledgers — valid, violated
// (lost, stuck, duplicate effect, unseen, drift, nonmonotonic), a redelivery the inbox absorbed, and nothing to judge.
import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../core/final-state.ts';
import { effectsExactlyOnce } from './effects-exactly-once.ts';
import { noLostEvents } from './no-lost-events.ts';
import { final, HistoryBuilder } from './testing/history-builder.ts';

const entry = (id: string, over: Partial<LedgerEntry> = {}): LedgerEntry => ({
  eventId: id,
  tenantId: 't',
  type: 'OrderCreated',
  outbox: 'published',
  copies: 1,
  consumers: { billing: { inbox: 1, effects: 1 } },
  ...over,
});
const ledger = (...entries: LedgerEntry[]) => final({ ledger: { entries } });

describe('no-lost-events', () => {
  it('is valid when every committed event is on its topic, counting the rows judged', () => {
    expect(noLostEvents.check([], ledger(entry('e1'), entry('e2', { copies: 2 })))).toMatchObject({
      valid: true,
      opportunities: 2,
      stats: { outboxRows: 2, onTopic: 2, copies: 3 },
    });
  });

  it('convicts a row marked published that is not on the topic, and a row stuck after quiesce', () => {
    const result = noLostEvents.check(
      [],
      ledger(entry('e1', { copies: 0 }), entry('e2', { outbox: 'pending', copies: 0 })),
    );
    expect(result.valid).toBe(false);
    expect(result.anomalies.map((a) => a.kind).sort()).toEqual(['lost', 'stuck']);
  });

  it('is unknown without a ledger, and has nothing to judge without outbox rows', () => {
    expect(noLostEvents.check([], final()).valid).toBe('unknown');
    expect(noLostEvents.check([], ledger(entry('e1', { outbox: null })))).toMatchObject({
      valid: 'unknown',
      opportunities: 0,
    });
  });
});

describe('effects-exactly-once', () => {
  it('is valid when a redelivered event was applied once: the inbox absorbed the copy', () => {
    expect(effectsExactlyOnce.check([], ledger(entry('e1', { copies: 2 })))).toMatchObject({
      valid: true,
      opportunities: 1,
      stats: { consumers: { billing: { delivered: 2, absorbed: 1, applied: 1 } } },
    });
  });

  it('convicts an effect applied twice and an event on the topic never applied', () => {
    const result = effectsExactlyOnce.check(
      [],
      ledger(
        entry('e1', { copies: 2, consumers: { billing: { inbox: 2, effects: 2 } } }),
        entry('e2', { consumers: { billing: { inbox: 0, effects: 0 } } }),
      ),
    );
    expect(result.valid).toBe(false);
    expect(result.anomalies.map((a) => a.kind).sort()).toEqual(['duplicate-effect', 'unseen']);
  });

  it('does not judge an event that never reached its topic (no-lost-events does)', () => {
    expect(
      effectsExactlyOnce.check(
        [],
        ledger(entry('e1', { copies: 0, consumers: { billing: { inbox: 0, effects: 0 } } })),
      ),
    ).toMatchObject({
      valid: 'unknown',
      opportunities: 0,
    });
    expect(effectsExactlyOnce.check([], final()).valid).toBe('unknown');
  });

  it('judges each projected entity and convicts drift: a projection that differs from PostgreSQL after quiesce', () => {
    const projections = (drift: { tenantId: string; entity: string; expected: string; actual: string }[]) => [
      { consumer: 'projection', projection: 'quote_projection', compared: 3, drift },
    ];
    const inStep = final({ ledger: { entries: [entry('e1')], projections: projections([]) } });
    expect(effectsExactlyOnce.check([], inStep)).toMatchObject({
      valid: true,
      opportunities: 4,
      stats: { projections: { quote_projection: { compared: 3, drift: 0 } } },
    });
    const behind = final({
      ledger: {
        entries: [entry('e1')],
        projections: projections([{ tenantId: 't', entity: 'q1', expected: 'ACCEPTED@5', actual: 'SUBMITTED@3' }]),
      },
    });
    const result = effectsExactlyOnce.check([], behind);
    expect(result.valid).toBe(false);
    expect(result.anomalies[0]).toMatchObject({ kind: 'drift', count: 1 });
    expect(result.anomalies[0]?.first.message).toBe(
      "projection's quote_projection holds SUBMITTED@3 for q1 of t, PostgreSQL holds ACCEPTED@5",
    );
  });

  it('convicts a projection version that goes back between two recorded reads (nonmonotonic), and counts the pairs compared', () => {
    const h = new HistoryBuilder();
    const read = (versions: Record<string, number>) =>
      h.call(9, 'read-projection', {}, { versions: { quote_projection: versions } });
    read({ q1: 3 });
    const newer = read({ q1: 5, q2: 1 });
    h.invoke(9, 'read-projection', {});
    h.fail(9, 'read-projection', {}, 'connection refused');
    const older = read({ q1: 4, q2: 2 });
    const result = effectsExactlyOnce.check(h.ops, ledger(entry('e1')));
    expect(result.valid).toBe(false);
    expect(result.opportunities).toBe(1 + 3);
    expect(result.anomalies).toMatchObject([{ kind: 'nonmonotonic', count: 1 }]);
    expect(result.anomalies[0]?.ops).toEqual([newer, older]);
    expect(result.anomalies[0]?.first.message).toBe('quote_projection went back for q1: version 5, then 4');
    const forward = new HistoryBuilder();
    for (const v of [1, 2, 2, 3]) forward.call(9, 'read-projection', {}, { versions: { quote_projection: { q1: v } } });
    expect(effectsExactlyOnce.check(forward.ops, ledger(entry('e1')))).toMatchObject({ valid: true, opportunities: 4 });
  });
});
