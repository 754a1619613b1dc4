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
});
