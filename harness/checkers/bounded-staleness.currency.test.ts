// Unit: bounded-staleness over price lists in several currencies — a version carries the other
// currencies over from the one before, so a EUR read is judged against EUR publishes only; old
// content under a newer label is convicted across currencies; a version whose carried content is
// unknown (an unacknowledged publish before it) is not judged.
import { describe, expect, it } from 'vitest';
import { boundedStaleness } from './bounded-staleness.ts';
import { HistoryBuilder, final } from './testing/history-builder.ts';

const list = (currency: string, cents: number) => ({ currency, prices: { router: cents } });
const read = (h: HistoryBuilder, currency: string, cents: number, version: number) =>
  h.call(
    1,
    'read-price',
    { tenant: 't', offeringId: 'router', currency },
    { unitPriceCents: cents, priceListVersion: version },
  );
const judge = (h: HistoryBuilder) => boundedStaleness.check(h.ops, final({}, { stalenessBudgetMs: 500 }));

describe('bounded-staleness in several currencies', () => {
  it('accepts a read of a currency carried over from an older version, long after newer publishes of others', () => {
    const h = new HistoryBuilder();
    h.publish(0, 't', 'pricing', 1, list('EUR', 100));
    h.publish(0, 't', 'pricing', 2, list('USD', 500));
    h.wait(3000);
    read(h, 'EUR', 100, 2); // v2 holds v1's EUR list
    read(h, 'USD', 500, 2);
    const result = judge(h);
    expect(result.anomalies).toEqual([]);
    expect(result.stats.reads).toBe(2);
  });

  it('judges a read stale only against newer publishes of its own currency', () => {
    const h = new HistoryBuilder();
    h.publish(0, 't', 'pricing', 1, list('USD', 500));
    h.publish(0, 't', 'pricing', 2, list('EUR', 100));
    const usd3 = h.publish(0, 't', 'pricing', 3, list('USD', 600));
    h.wait(3000);
    const stale = read(h, 'USD', 500, 2); // honest label, but USD v3 was acknowledged 3 s ago
    const result = judge(h);
    expect(result.anomalies.map((a) => a.kind)).toEqual(['stale-beyond-budget']);
    expect(result.anomalies[0]?.ops).toEqual(expect.arrayContaining([usd3, stale]));
    expect(result.anomalies[0]?.first.message).toContain('read-price USD router');
  });

  it('convicts old content of a currency under a newer version that carries newer content', () => {
    const h = new HistoryBuilder();
    h.publish(0, 't', 'pricing', 1, list('USD', 400));
    const usd2 = h.publish(0, 't', 'pricing', 2, list('USD', 500));
    h.publish(0, 't', 'pricing', 3, list('EUR', 300));
    const lying = read(h, 'USD', 400, 3); // v3 carries USD v2's 500
    const result = judge(h);
    expect(result.anomalies[0]).toMatchObject({ kind: 'mislabelled-read' });
    expect(result.anomalies[0]?.ops).toEqual(expect.arrayContaining([usd2, lying]));
    expect(result.anomalies[0]?.first.message).toContain('v3 holds 500');
  });

  it('does not judge content a version may have taken from an unacknowledged publish, but convicts content no known version holds', () => {
    const h = new HistoryBuilder();
    h.publish(0, 't', 'pricing', 1, list('USD', 400));
    h.invoke(0, 'publish', { tenant: 't', domain: 'pricing', content: list('USD', 450) });
    h.info(0, 'publish', { tenant: 't', domain: 'pricing', content: list('USD', 450) }); // became v2, unseen
    h.publish(0, 't', 'pricing', 3, list('EUR', 300));
    read(h, 'USD', 450, 3); // v3 may carry the lost publish's list
    expect(judge(h).anomalies).toEqual([]);
    const bad = new HistoryBuilder();
    bad.publish(0, 't', 'pricing', 1, list('USD', 400));
    bad.publish(0, 't', 'pricing', 2, list('EUR', 300));
    read(bad, 'USD', 999, 2);
    expect(judge(bad).anomalies.map((a) => a.kind)).toEqual(['content-mismatch']);
  });

  it('convicts a NOT_FOUND of a price the newest version carries in that currency, and ignores a currency never published', () => {
    const missing = (h: HistoryBuilder, currency: string) => {
      h.invoke(1, 'read-price', { tenant: 't', offeringId: 'router', currency });
      return h.fail(1, 'read-price', { tenant: 't', offeringId: 'router', currency }, 'NOT_FOUND');
    };
    const h = new HistoryBuilder();
    const usd = h.publish(0, 't', 'pricing', 1, list('USD', 400));
    h.publish(0, 't', 'pricing', 2, list('EUR', 300));
    h.wait(1000);
    const done = missing(h, 'USD');
    missing(h, 'GBP');
    const result = judge(h);
    expect(result.anomalies.map((a) => a.kind)).toEqual(['missing-read']);
    expect(result.anomalies[0]?.ops).toEqual(expect.arrayContaining([usd, done]));
  });
});
