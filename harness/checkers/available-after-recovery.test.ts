// Unit: available-after-recovery — after a heal plus the recovery budget, and after quiesce, every
// request is answered; requests during a fault or its budget, and those the client abandoned, are
// not judged; a 5xx or an unknown outcome (info, never completed) after recovery is a violation.
import { describe, expect, it } from 'vitest';
import { availableAfterRecovery } from './available-after-recovery.ts';
import { HistoryBuilder, final } from './testing/history-builder.ts';

const budget = final({}, { recoveryBudgetMs: 1000 });

/** A fault from 0 to 100 ms, then `after` ms of quiet, then `outcome` for one submit. */
function afterFault(after: number, outcome: 'ok' | 'stale' | '500' | 'info' | 'never'): HistoryBuilder {
  const h = new HistoryBuilder();
  h.fault('start', 'postgres-pause', 'postgres');
  h.wait(100);
  h.fault('stop', 'postgres-pause', 'postgres');
  h.wait(after);
  const value = { tenant: 't', quoteId: 'q' };
  h.invoke(1, 'submit', value);
  if (outcome === 'ok') h.ok(1, 'submit', { ...value, status: 200 });
  else if (outcome === 'stale') h.fail(1, 'submit', { ...value, status: 409 }, 'QUOTE_PRICING_STALE');
  else if (outcome === '500') h.fail(1, 'submit', { ...value, status: 500 }, 'INTERNAL');
  else if (outcome === 'info') h.info(1, 'submit', value);
  return h;
}

describe('available-after-recovery', () => {
  it('is valid when requests after the budget are answered, business refusals included', () => {
    for (const outcome of ['ok', 'stale'] as const) {
      const result = availableAfterRecovery.check(afterFault(2000, outcome).ops, budget);
      expect(result).toMatchObject({ valid: true, opportunities: 1, stats: { heals: 1, afterHeal: 1 } });
    }
  });

  it('is violated by a 5xx, an unknown outcome or no answer once the budget has passed', () => {
    for (const outcome of ['500', 'info', 'never'] as const) {
      const result = availableAfterRecovery.check(afterFault(2000, outcome).ops, budget);
      expect(result.valid, outcome).toBe(false);
      expect(result.anomalies[0]).toMatchObject({ kind: 'unavailable-after-recovery', count: 1 });
      expect(result.anomalies[0]?.first.message).toMatch(/submit by t on process 1 .* ms after a heal/);
    }
  });

  it("excuses a round's first requests within the budget after the round before's heal, its fault actions carried", () => {
    // The history of a round that started while the round before quiesced: that round's fault
    // actions come first (copied, marked carried), then its own requests.
    const next = afterFault(300, '500');
    for (const op of next.ops.filter((o) => o.process === 'nemesis')) op.value.carried = true;
    expect(availableAfterRecovery.check(next.ops, budget)).toMatchObject({ valid: 'unknown', opportunities: 0 });
    // Past the budget after that heal, the same 500 is the system's.
    const late = afterFault(2000, '500');
    for (const op of late.ops.filter((o) => o.process === 'nemesis')) op.value.carried = true;
    expect(availableAfterRecovery.check(late.ops, budget).valid).toBe(false);
  });

  it('does not judge requests within the budget after a heal, or during a fault', () => {
    expect(availableAfterRecovery.check(afterFault(500, '500').ops, budget).valid).toBe('unknown');
    const during = new HistoryBuilder();
    during.fault('start', 'redis-outage');
    during.invoke(1, 'read-price', { tenant: 't', offeringId: 'router' });
    during.fail(1, 'read-price', { tenant: 't', offeringId: 'router', status: 503 }, 'SERVICE_UNAVAILABLE');
    during.fault('stop', 'redis-outage');
    expect(availableAfterRecovery.check(during.ops, budget)).toMatchObject({ valid: 'unknown', opportunities: 0 });
  });

  it('does not judge a request whose life overlaps a later fault', () => {
    const h = afterFault(2000, 'never');
    h.fault('start', 'redis-kill');
    h.info(1, 'submit', { tenant: 't', quoteId: 'q' });
    h.fault('stop', 'redis-kill');
    expect(availableAfterRecovery.check(h.ops, budget).valid).toBe('unknown');
  });

  it('does not judge a client that gave up early or was cancelled', () => {
    const h = afterFault(2000, 'ok');
    h.invoke(2, 'convert', { tenant: 't', quoteId: 'q', key: 'k', clientTimeoutMs: 30 });
    h.info(2, 'convert', { tenant: 't', quoteId: 'q', key: 'k', clientTimeoutMs: 30 }, 'timeout');
    h.invoke(3, 'read-offering', { tenant: 't', offeringId: 'router' });
    h.fail(3, 'read-offering', { tenant: 't', offeringId: 'router' }, 'cancelled by the client');
    expect(availableAfterRecovery.check(h.ops, budget)).toMatchObject({
      valid: true,
      opportunities: 1,
      stats: { clientAbandoned: 2 },
    });
  });

  it('judges every final read after quiesce, fault or not, and names an instance that does not answer', () => {
    const h = new HistoryBuilder();
    const read = (process: number, failed: boolean) => {
      const value = { tenant: 't', offeringId: 'router', phase: 'final' };
      h.invoke(process, 'read-offering', value);
      if (failed) h.fail(process, 'read-offering', value, 'fetch failed');
      else h.ok(process, 'read-offering', { ...value, name: 'Router', catalogVersion: 1 });
    };
    read(1, false);
    expect(availableAfterRecovery.check(h.ops, budget)).toMatchObject({ valid: true, opportunities: 1 });
    read(2, true);
    const result = availableAfterRecovery.check(h.ops, budget);
    expect(result.valid).toBe(false);
    expect(result.anomalies[0]).toMatchObject({ kind: 'unanswered-after-quiesce' });
    expect(result.anomalies[0]?.first.message).toMatch(/read-offering by t on process 2 ended fail \(fetch failed\)/);
  });

  it('holds the system to its own budget', () => {
    const ops = afterFault(2000, '500').ops;
    expect(availableAfterRecovery.check(ops, final({}, { recoveryBudgetMs: 5000 })).valid).toBe('unknown');
    expect(availableAfterRecovery.check(ops, final({}, { recoveryBudgetMs: 1000 })).valid).toBe(false);
  });

  it('treats a fault that never healed as still in effect', () => {
    const h = new HistoryBuilder();
    h.fault('start', 'postgres-pause', 'postgres');
    h.wait(3000);
    h.invoke(1, 'submit', { tenant: 't', quoteId: 'q', phase: 'final' });
    h.info(1, 'submit', { tenant: 't', quoteId: 'q', phase: 'final' });
    expect(availableAfterRecovery.check(h.ops, budget).valid).toBe('unknown');
  });

  it('names a component not running in the quiesce, every fault healed, and judges none when all ran', () => {
    const ops = afterFault(2000, 'ok').ops;
    const quiesce = { outboxDrained: true, pointersCaughtUp: true, waitedMs: 600, componentsChecked: 3 };
    const allRan = availableAfterRecovery.check(ops, final({ quiesce }, { recoveryBudgetMs: 1000 }));
    expect(allRan).toMatchObject({ valid: true, opportunities: 1, stats: { components: 3, componentsDown: 0 } });
    const componentsDown = [
      { name: 'consumers', atStart: true, atEnd: true },
      { name: 'relay', atStart: false, atEnd: true },
      { name: 'api-2', atStart: true, atEnd: false },
    ];
    const down = availableAfterRecovery.check(ops, final({ quiesce: { ...quiesce, componentsDown } }));
    expect(down.valid).toBe(false);
    expect(down.anomalies[0]).toMatchObject({ kind: 'component-down-after-heal', count: 2 });
    expect(down.anomalies[0]?.first.message).toBe(
      'consumers was not running as the quiesce began, nor as it ended, every fault healed',
    );
    expect(down.stats).toMatchObject({ componentsDown: 2, componentsBackInQuiesce: 1 });
    expect(down.anomalies[0]?.last.message).toBe('relay was not running as the quiesce ended, every fault healed');
    // Seen down only as the quiesce began, back as it ended: the final reads follow a running system.
    const back = [{ name: 'api-2', atStart: true, atEnd: false }];
    const backFinal = final({ quiesce: { ...quiesce, componentsDown: back } }, { recoveryBudgetMs: 1000 });
    expect(availableAfterRecovery.check(ops, backFinal)).toMatchObject({
      valid: true,
      stats: { componentsDown: 0, componentsBackInQuiesce: 1 },
    });
    // No request judged at all: still a violation, not unknown.
    const alone = availableAfterRecovery.check([], final({ quiesce: { ...quiesce, componentsDown } }));
    expect(alone.valid).toBe(false);
    expect(availableAfterRecovery.check([], final({ quiesce })).valid).toBe('unknown');
  });

  it('counts the final reads left unmade through instances that had stopped answering', () => {
    const ops = afterFault(2000, 'ok').ops;
    const quiesce = { outboxDrained: true, pointersCaughtUp: true, waitedMs: 600 };
    const finalReadsLeft = [
      { instance: 0, reads: 27 },
      { instance: 2, reads: 12 },
    ];
    const left = availableAfterRecovery.check(ops, final({ quiesce: { ...quiesce, finalReadsLeft } }));
    expect(left.stats).toMatchObject({ finalReadsLeft: 39 });
    expect(availableAfterRecovery.check(ops, final({ quiesce })).stats).toMatchObject({ finalReadsLeft: 0 });
  });
});
