// Unit: no-stale-submit on hand-written histories — valid, violated, info-ambiguous, and nothing
// to judge (no submit raced a newer publish: unknown, never a silent pass).
import { describe, expect, it } from 'vitest';
import { noStaleSubmit } from './no-stale-submit.ts';
import { HistoryBuilder, final } from './testing/history-builder.ts';

const submitted = { state: 'SUBMITTED', catalogVersion: 1, priceListVersion: 1, policyVersion: 1 };
const priced = (h: HistoryBuilder, quoteId: string, priceListVersion = 1) =>
  h.call(1, 'price', { tenant: 't1', quoteId }, { state: 'PRICED', catalogVersion: 1, priceListVersion });

describe('no-stale-submit', () => {
  it('is valid when every submit that raced a newer publish was rejected, and counts them', () => {
    const h = new HistoryBuilder();
    h.publish(0, 't1', 'pricing', 1);
    priced(h, 'q1');
    h.publish(0, 't1', 'pricing', 2);
    h.invoke(1, 'submit', { tenant: 't1', quoteId: 'q1' });
    h.fail(1, 'submit', { tenant: 't1', quoteId: 'q1' }, 'QUOTE_PRICING_STALE');
    expect(noStaleSubmit.check(h.ops, final())).toMatchObject({
      valid: true,
      opportunities: 1,
      stats: { submitsThatRaced: 1, racedAndRejected: 1 },
    });
  });

  it('has nothing to judge when the only newer publish was acknowledged after the submit was invoked', () => {
    const h = new HistoryBuilder();
    h.publish(0, 't1', 'pricing', 1);
    priced(h, 'q1');
    h.invoke(1, 'submit', { tenant: 't1', quoteId: 'q1' });
    h.publish(0, 't1', 'pricing', 2); // concurrent with the submit: either order is fine, no race it could lose
    h.ok(1, 'submit', { tenant: 't1', quoteId: 'q1', ...submitted });
    expect(noStaleSubmit.check(h.ops, final())).toMatchObject({
      valid: 'unknown',
      opportunities: 0,
      reason: 'nothing to judge: no submits that raced a newer publish',
    });
  });

  it('is violated by an ok submit at v1 invoked after v2 was acknowledged, naming the three ops', () => {
    const h = new HistoryBuilder();
    h.publish(0, 't1', 'pricing', 1);
    const published = h.publish(0, 't1', 'pricing', 2);
    const invoked = h.invoke(1, 'submit', { tenant: 't1', quoteId: 'q1' });
    const done = h.ok(1, 'submit', { tenant: 't1', quoteId: 'q1', ...submitted });
    const result = noStaleSubmit.check(h.ops, final());
    expect(result.valid).toBe(false);
    expect(result.opportunities).toBe(1);
    expect(result.anomalies).toEqual([
      expect.objectContaining({
        kind: 'stale-submit',
        count: 1,
        ops: [published, invoked, done].sort((a, b) => a - b),
      }),
    ]);
    expect(result.anomalies[0]?.first.message).toContain('pricing v2');
  });

  it('ignores another tenant’s publish; a rejected racing submit is the right answer', () => {
    const h = new HistoryBuilder();
    h.publish(0, 't2', 'catalog', 5);
    priced(h, 'q1');
    h.call(1, 'submit', { tenant: 't1', quoteId: 'q1' }, submitted);
    priced(h, 'q2');
    h.publish(0, 't1', 'pricing', 2);
    h.invoke(1, 'submit', { tenant: 't1', quoteId: 'q2' });
    h.fail(1, 'submit', { tenant: 't1', quoteId: 'q2' }, 'QUOTE_PRICING_STALE');
    expect(noStaleSubmit.check(h.ops, final())).toMatchObject({ valid: true, opportunities: 1 });
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

  it('does not convict a racing info submit whose quote the final state shows unsubmitted', () => {
    const h = new HistoryBuilder();
    priced(h, 'q1');
    h.publish(0, 't1', 'pricing', 2);
    h.call(1, 'submit', { tenant: 't1', quoteId: 'q0' }, { ...submitted, priceListVersion: 2 });
    h.invoke(1, 'submit', { tenant: 't1', quoteId: 'q1' });
    h.info(1, 'submit', { tenant: 't1', quoteId: 'q1' });
    const finalState = final({
      quotes: [{ tenant_id: 't1', quote_id: 'q1', state: 'PRICED', catalog_version: 1, price_list_version: 1 }],
    });
    expect(noStaleSubmit.check(h.ops, finalState)).toMatchObject({ valid: true, opportunities: 1 });
  });

  it('is unknown when no submit completed at all', () => {
    const h = new HistoryBuilder();
    h.publish(0, 't1', 'pricing', 1);
    h.invoke(1, 'submit', { tenant: 't1', quoteId: 'q1' });
    h.info(1, 'submit', { tenant: 't1', quoteId: 'q1' });
    expect(noStaleSubmit.check(h.ops, final())).toMatchObject({ valid: 'unknown' });
  });

  it('judges the approval policy like the catalog and the price list: a submit at policy v1 after v2 was acknowledged', () => {
    const h = new HistoryBuilder();
    h.publish(0, 't1', 'policy', 1);
    h.call(1, 'price', { tenant: 't1', quoteId: 'q1' }, { ...submitted, state: 'PRICED' });
    const published = h.publish(0, 't1', 'policy', 2);
    h.call(1, 'submit', { tenant: 't1', quoteId: 'q1' }, submitted);
    const result = noStaleSubmit.check(h.ops, final());
    expect(result).toMatchObject({ valid: false, opportunities: 1 });
    expect(result.anomalies[0]?.first.message).toContain('policy v1');
    expect(result.anomalies[0]?.ops).toContain(published);

    const rejected = new HistoryBuilder();
    rejected.publish(0, 't1', 'policy', 1);
    rejected.call(1, 'price', { tenant: 't1', quoteId: 'q1' }, { ...submitted, state: 'PRICED' });
    rejected.publish(0, 't1', 'policy', 2);
    rejected.invoke(1, 'submit', { tenant: 't1', quoteId: 'q1' });
    rejected.fail(1, 'submit', { tenant: 't1', quoteId: 'q1' }, 'APPROVAL_POLICY_STALE');
    expect(noStaleSubmit.check(rejected.ops, final())).toMatchObject({ valid: true, opportunities: 1 });
  });

  it('convicts a lost-response submit at an old policy through the final row’s policy_version', () => {
    const h = new HistoryBuilder();
    h.publish(0, 't1', 'policy', 2);
    h.invoke(1, 'submit', { tenant: 't1', quoteId: 'q1' });
    h.info(1, 'submit', { tenant: 't1', quoteId: 'q1' });
    const row = {
      tenant_id: 't1',
      quote_id: 'q1',
      state: 'APPROVAL_PENDING',
      catalog_version: 1,
      price_list_version: 1,
    };
    expect(noStaleSubmit.check(h.ops, final({ quotes: [{ ...row, policy_version: 1 }] })).valid).toBe(false);
    expect(noStaleSubmit.check(h.ops, final({ quotes: [{ ...row, policy_version: 2 }] })).valid).not.toBe(false);
  });
});
