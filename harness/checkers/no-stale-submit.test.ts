// Unit: no-stale-submit on hand-written histories — valid, violated, and info-ambiguous.
import { describe, expect, it } from 'vitest';
import { noStaleSubmit } from './no-stale-submit.ts';
import { HistoryBuilder, final } from './testing/history-builder.ts';

const submitted = { state: 'SUBMITTED', catalogVersion: 1, priceListVersion: 1, policyVersion: 1 };

describe('no-stale-submit', () => {
  it('is valid when the only newer publish was acknowledged after the submit was invoked', () => {
    const h = new HistoryBuilder();
    h.publish(0, 't1', 'pricing', 1);
    h.invoke(1, 'submit', { tenant: 't1', quoteId: 'q1' });
    h.publish(0, 't1', 'pricing', 2); // concurrent with the submit: either order is fine
    h.ok(1, 'submit', { tenant: 't1', quoteId: 'q1', ...submitted });
    expect(noStaleSubmit.check(h.ops, final())).toMatchObject({ valid: true, stats: { submitsOk: 1 } });
  });

  it('is violated by an ok submit at v1 invoked after v2 was acknowledged, naming the three ops', () => {
    const h = new HistoryBuilder();
    h.publish(0, 't1', 'pricing', 1);
    const published = h.publish(0, 't1', 'pricing', 2);
    const invoked = h.invoke(1, 'submit', { tenant: 't1', quoteId: 'q1' });
    const done = h.ok(1, 'submit', { tenant: 't1', quoteId: 'q1', ...submitted });
    const result = noStaleSubmit.check(h.ops, final());
    expect(result.valid).toBe(false);
    expect(result.anomalies).toEqual([
      expect.objectContaining({
        kind: 'stale-submit',
        count: 1,
        ops: [published, invoked, done].sort((a, b) => a - b),
      }),
    ]);
    expect(result.anomalies[0]?.first.message).toContain('pricing v2');
  });

  it('ignores another tenant’s publish and rejected submits', () => {
    const h = new HistoryBuilder();
    h.publish(0, 't2', 'catalog', 5);
    h.call(1, 'submit', { tenant: 't1', quoteId: 'q1' }, submitted);
    h.publish(0, 't1', 'pricing', 2);
    h.invoke(1, 'submit', { tenant: 't1', quoteId: 'q2' });
    h.fail(1, 'submit', { tenant: 't1', quoteId: 'q2' }, 'QUOTE_PRICING_STALE');
    expect(noStaleSubmit.check(h.ops, final()).valid).toBe(true);
  });

  it('convicts a submit whose response was lost (info) through the final quote row', () => {
    const h = new HistoryBuilder();
    const published = h.publish(0, 't1', 'pricing', 2);
    const invoked = h.invoke(1, 'submit', { tenant: 't1', quoteId: 'q1' });
    h.info(1, 'submit', { tenant: 't1', quoteId: 'q1' });
    const finalState = final({
      quotes: [{ tenant_id: 't1', quote_id: 'q1', state: 'SUBMITTED', catalog_version: 1, price_list_version: 1 }],
    });
    const result = noStaleSubmit.check(h.ops, finalState);
    expect(result.valid).toBe(false);
    expect(result.anomalies[0]).toMatchObject({ kind: 'stale-submit-in-final-state', ops: [published, invoked] });
  });

  it('does not convict an info submit whose quote the final state shows unsubmitted', () => {
    const h = new HistoryBuilder();
    h.publish(0, 't1', 'pricing', 2);
    h.call(1, 'submit', { tenant: 't1', quoteId: 'q0' }, { ...submitted, priceListVersion: 2 });
    h.invoke(1, 'submit', { tenant: 't1', quoteId: 'q1' });
    h.info(1, 'submit', { tenant: 't1', quoteId: 'q1' });
    const finalState = final({
      quotes: [{ tenant_id: 't1', quote_id: 'q1', state: 'PRICED', catalog_version: 1, price_list_version: 1 }],
    });
    expect(noStaleSubmit.check(h.ops, finalState).valid).toBe(true);
  });

  it('is unknown when no submit completed at all', () => {
    const h = new HistoryBuilder();
    h.publish(0, 't1', 'pricing', 1);
    h.invoke(1, 'submit', { tenant: 't1', quoteId: 'q1' });
    h.info(1, 'submit', { tenant: 't1', quoteId: 'q1' });
    expect(noStaleSubmit.check(h.ops, final())).toMatchObject({ valid: 'unknown' });
  });
});
