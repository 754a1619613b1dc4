// Unit: bounded-staleness — fresh reads, reads stale beyond the budget, stale reads excused by a
// fault window, content served under the wrong version, and stale reads after quiesce.
import { describe, expect, it } from 'vitest';
import { boundedStaleness } from './bounded-staleness.ts';
import { HistoryBuilder, final } from './testing/history-builder.ts';

const prices = (cents: number) => ({ currency: 'EUR', prices: { router: cents } });
const read = (h: HistoryBuilder, cents: number, version: number, phase?: string) =>
  h.call(
    1,
    'read-price',
    { tenant: 't', offeringId: 'router', currency: 'EUR', ...(phase ? { phase } : {}) },
    { unitPriceCents: cents, priceListVersion: version },
  );

describe('bounded-staleness', () => {
  it('is valid when reads follow publishes within the budget, and reports the worst window', () => {
    const h = new HistoryBuilder();
    h.publish(0, 't', 'pricing', 1, prices(100));
    h.publish(0, 't', 'pricing', 2, prices(200));
    h.wait(100);
    read(h, 100, 1); // ~100 ms behind: within a 500 ms budget
    read(h, 200, 2);
    const result = boundedStaleness.check(h.ops, final({}, { stalenessBudgetMs: 500 }));
    expect(result.valid).toBe(true);
    expect((result.stats.worstStalenessMs as Record<string, number>).pricing).toBeGreaterThanOrEqual(100);
  });

  it('is violated by a read stale beyond the budget outside any fault window', () => {
    const h = new HistoryBuilder();
    h.publish(0, 't', 'pricing', 1, prices(100));
    const v2 = h.publish(0, 't', 'pricing', 2, prices(200));
    h.wait(3000);
    const stale = read(h, 100, 1);
    const result = boundedStaleness.check(h.ops, final({}, { stalenessBudgetMs: 500 }));
    expect(result.valid).toBe(false);
    expect(result.anomalies[0]).toMatchObject({ kind: 'stale-beyond-budget' });
    expect(result.anomalies[0]?.ops).toEqual(expect.arrayContaining([v2, stale]));
  });

  it('excuses staleness that starts inside a fault window', () => {
    const h = new HistoryBuilder();
    h.publish(0, 't', 'pricing', 1, prices(100));
    h.fault('start', 'invalidation-pause', 'invalidation');
    h.publish(0, 't', 'pricing', 2, prices(200));
    h.wait(3000);
    read(h, 100, 1);
    h.fault('stop', 'invalidation-pause', 'invalidation');
    expect(boundedStaleness.check(h.ops, final({}, { stalenessBudgetMs: 500 })).valid).toBe(true);
  });

  it('sees old content served under a new version label', () => {
    const h = new HistoryBuilder();
    h.publish(0, 't', 'pricing', 1, prices(100));
    h.publish(0, 't', 'pricing', 2, prices(200));
    h.wait(3000);
    read(h, 100, 2); // claims v2, serves v1's price
    const result = boundedStaleness.check(h.ops, final({}, { stalenessBudgetMs: 500 }));
    expect(result.valid).toBe(false);
    expect(result.anomalies.map((a) => a.kind)).toEqual(['mislabelled-read', 'stale-beyond-budget']);
    expect(result.anomalies[1]?.first.message).toContain('content (claimed v2)');
  });

  it('convicts a mislabelled read even inside a fault window, where plain staleness is excused', () => {
    const h = new HistoryBuilder();
    h.publish(0, 't', 'pricing', 1, prices(100));
    h.fault('start', 'invalidation-pause', 'invalidation');
    const v2 = h.publish(0, 't', 'pricing', 2, prices(200));
    const honest = read(h, 100, 1); // stale but labelled honestly: excused
    const lying = read(h, 100, 2); // v1's price under v2's label
    h.fault('stop', 'invalidation-pause', 'invalidation');
    const result = boundedStaleness.check(h.ops, final({}, { stalenessBudgetMs: 500 }));
    expect(result.valid).toBe(false);
    expect(result.anomalies).toHaveLength(1);
    expect(result.anomalies[0]).toMatchObject({ kind: 'mislabelled-read', count: 1 });
    expect(result.anomalies[0]?.ops).toEqual(expect.arrayContaining([v2, lying]));
    expect(result.anomalies[0]?.ops).not.toContain(honest);
  });

  it('flags any stale read after heal and quiesce, even within the budget', () => {
    const h = new HistoryBuilder();
    h.publish(0, 't', 'pricing', 1, prices(100));
    h.publish(0, 't', 'pricing', 2, prices(200));
    read(h, 100, 1, 'final');
    expect(boundedStaleness.check(h.ops, final({}, { stalenessBudgetMs: 500 })).anomalies[0]).toMatchObject({
      kind: 'stale-after-quiesce',
    });
  });

  it('ignores reads whose outcome is unknown, and is unknown with no completed read', () => {
    const h = new HistoryBuilder();
    h.publish(0, 't', 'pricing', 1, prices(100));
    h.invoke(1, 'read-price', { tenant: 't', offeringId: 'router' });
    h.info(1, 'read-price', { tenant: 't', offeringId: 'router' });
    expect(boundedStaleness.check(h.ops, final()).valid).toBe('unknown');
  });

  it('has nothing to judge when every read came before any newer version existed', () => {
    const h = new HistoryBuilder();
    h.publish(0, 't', 'pricing', 1, prices(100));
    read(h, 100, 1);
    expect(boundedStaleness.check(h.ops, final({}, { stalenessBudgetMs: 500 }))).toMatchObject({
      valid: 'unknown',
      opportunities: 0,
      reason: 'nothing to judge: no reads that could have been stale',
    });
  });

  const missing = (h: HistoryBuilder, phase?: string) => {
    h.invoke(1, 'read-offering', { tenant: 't', offeringId: 'router', ...(phase ? { phase } : {}) });
    return h.fail(1, 'read-offering', { tenant: 't', offeringId: 'router' }, 'NOT_FOUND');
  };
  const catalog = { offerings: { router: 'Router of t' } };

  it('convicts a NOT_FOUND for an offering the acknowledged catalog contains, beyond the budget', () => {
    const h = new HistoryBuilder();
    const published = h.publish(0, 't', 'catalog', 1, catalog);
    h.wait(1000);
    const done = missing(h);
    const result = boundedStaleness.check(h.ops, final({}, { stalenessBudgetMs: 500 }));
    expect(result).toMatchObject({ valid: false, opportunities: 1 });
    expect(result.anomalies[0]).toMatchObject({ kind: 'missing-read' });
    expect(result.anomalies[0]?.ops).toEqual(expect.arrayContaining([published, done]));
  });

  it('excuses a NOT_FOUND within the budget or inside a fault window, and ignores an unpublished offering', () => {
    const within = new HistoryBuilder();
    within.publish(0, 't', 'catalog', 1, catalog);
    missing(within);
    expect(boundedStaleness.check(within.ops, final({}, { stalenessBudgetMs: 500 }))).toMatchObject({ valid: true });
    const faulted = new HistoryBuilder();
    faulted.publish(0, 't', 'catalog', 1, catalog);
    faulted.wait(1000);
    faulted.fault('start', 'redis-outage');
    missing(faulted);
    expect(boundedStaleness.check(faulted.ops, final({}, { stalenessBudgetMs: 500 })).valid).toBe(true);
    const unpublished = new HistoryBuilder();
    unpublished.publish(0, 't', 'catalog', 1, { offerings: { switch: 'Switch of t' } });
    unpublished.wait(1000);
    missing(unpublished);
    expect(boundedStaleness.check(unpublished.ops, final({}, { stalenessBudgetMs: 500 })).opportunities).toBe(0);
  });

  it('convicts any NOT_FOUND of a published offering after quiesce', () => {
    const h = new HistoryBuilder();
    h.publish(0, 't', 'catalog', 1, catalog);
    missing(h, 'final');
    expect(boundedStaleness.check(h.ops, final({}, { stalenessBudgetMs: 500 })).anomalies[0]).toMatchObject({
      kind: 'missing-after-quiesce',
    });
  });

  it('judges the quiesce: a pointer still behind when it ended is stale after quiesce', () => {
    const h = new HistoryBuilder();
    h.publish(0, 't', 'policy', 1, { maxDiscountPct: 20 });
    const behind = {
      outboxDrained: true,
      pointersCaughtUp: false,
      pointersBehind: ['cpq:t:policy:active-version'],
      waitedMs: 6500,
    };
    const result = boundedStaleness.check(h.ops, final({ quiesce: behind }));
    expect(result).toMatchObject({ valid: false, opportunities: 1 });
    expect(result.anomalies[0]?.first.message).toContain('cpq:t:policy:active-version still trailed');
    const caughtUp = { outboxDrained: true, pointersCaughtUp: true, waitedMs: 6500 };
    expect(boundedStaleness.check(h.ops, final({ quiesce: caughtUp })).anomalies).toEqual([]);
  });

  it('excuses no stale read during the faults the budget is kept through (by name, or name:target)', () => {
    const during = (fault: string, target: string) => {
      const h = new HistoryBuilder();
      h.publish(0, 't', 'pricing', 1, prices(100));
      h.fault('start', fault, target);
      h.publish(0, 't', 'pricing', 2, prices(200));
      h.wait(3000);
      read(h, 100, 1);
      h.fault('stop', fault, target);
      return h.ops;
    };
    const budget = { stalenessBudgetMs: 500 };
    expect(boundedStaleness.check(during('clock-skew', 'api-1'), final({}, budget)).valid).toBe(true);
    const kept = { ...budget, stalenessKeptThrough: ['clock-skew', 'proxy-disable:api-kafka'] };
    expect(boundedStaleness.check(during('clock-skew', 'api-1'), final({}, kept))).toMatchObject({
      valid: false,
      stats: { faultWindows: 0 },
    });
    expect(boundedStaleness.check(during('proxy-disable', 'api-kafka'), final({}, kept)).valid).toBe(false);
    expect(boundedStaleness.check(during('proxy-disable', 'relay-kafka'), final({}, kept)).valid).toBe(true);
  });
});
