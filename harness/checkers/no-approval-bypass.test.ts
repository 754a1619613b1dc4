// Unit: no-approval-bypass — valid, violated, and ambiguous (a concurrent loosening publish, an
// approve whose outcome is unknown).
import { describe, expect, it } from 'vitest';
import { noApprovalBypass } from './no-approval-bypass.ts';
import { HistoryBuilder, final } from './testing/history-builder.ts';

const quote = (h: HistoryBuilder, discountPct: number) =>
  h.call(
    1,
    'create-quote',
    { tenant: 't1', items: [{ offeringId: 'o', quantity: 1, discountPct }] },
    { quoteId: 'q1' },
  );

describe('no-approval-bypass', () => {
  it('is violated when a quote needing approval under the acknowledged policy is accepted without it', () => {
    const h = new HistoryBuilder();
    const policy = h.publish(0, 't1', 'policy', 2, { maxDiscountPct: 10 });
    quote(h, 15);
    const submitInvoke = h.invoke(1, 'submit', { tenant: 't1', quoteId: 'q1' });
    h.ok(1, 'submit', { tenant: 't1', quoteId: 'q1', state: 'SUBMITTED' });
    const accept = h.call(1, 'accept', { tenant: 't1', quoteId: 'q1' }, { state: 'ACCEPTED' });
    const result = noApprovalBypass.check(h.ops, final());
    expect(result.valid).toBe(false);
    expect(result.anomalies[0]?.ops).toEqual(expect.arrayContaining([policy, submitInvoke, accept]));
  });

  it('is violated when an older, looser policy was superseded before the submit (the usual tightening)', () => {
    const h = new HistoryBuilder();
    h.publish(0, 't1', 'policy', 1, { maxDiscountPct: 20 });
    quote(h, 15);
    h.call(1, 'price', { tenant: 't1', quoteId: 'q1' }, { policyVersion: 1 });
    const tightened = h.publish(0, 't1', 'policy', 2, { maxDiscountPct: 10 });
    h.call(1, 'submit', { tenant: 't1', quoteId: 'q1' }, { state: 'SUBMITTED' });
    h.call(1, 'accept', { tenant: 't1', quoteId: 'q1' }, { state: 'ACCEPTED' });
    const result = noApprovalBypass.check(h.ops, final());
    expect(result.valid).toBe(false);
    expect(result.anomalies[0]?.ops).toContain(tightened);
  });

  it('is valid when the quote needing approval was approved; a quote whose discount was allowed is nothing to judge', () => {
    const approved = new HistoryBuilder();
    approved.publish(0, 't1', 'policy', 1, { maxDiscountPct: 10 });
    quote(approved, 15);
    approved.call(1, 'submit', { tenant: 't1', quoteId: 'q1' }, { state: 'APPROVAL_PENDING' });
    approved.call(1, 'approve', { tenant: 't1', quoteId: 'q1' }, { state: 'APPROVED' });
    approved.call(1, 'accept', { tenant: 't1', quoteId: 'q1' }, { state: 'ACCEPTED' });
    expect(noApprovalBypass.check(approved.ops, final())).toMatchObject({ valid: true, opportunities: 1 });

    const allowed = new HistoryBuilder();
    allowed.publish(0, 't1', 'policy', 1, { maxDiscountPct: 20 });
    quote(allowed, 15);
    allowed.call(1, 'submit', { tenant: 't1', quoteId: 'q1' }, { state: 'SUBMITTED' });
    allowed.call(1, 'accept', { tenant: 't1', quoteId: 'q1' }, { state: 'ACCEPTED' });
    expect(noApprovalBypass.check(allowed.ops, final())).toMatchObject({ valid: 'unknown', opportunities: 0 });
  });

  it('does not convict when a looser policy published concurrently may have been in force', () => {
    const h = new HistoryBuilder();
    h.publish(0, 't1', 'policy', 1, { maxDiscountPct: 10 });
    quote(h, 15);
    h.invoke(2, 'publish', { tenant: 't1', domain: 'policy', content: { maxDiscountPct: 50 } });
    h.call(1, 'submit', { tenant: 't1', quoteId: 'q1' }, { state: 'SUBMITTED' });
    h.info(2, 'publish', { tenant: 't1', domain: 'policy', content: { maxDiscountPct: 50 } });
    h.call(1, 'accept', { tenant: 't1', quoteId: 'q1' }, { state: 'ACCEPTED' });
    expect(noApprovalBypass.check(h.ops, final()).valid).toBe(true);
  });

  it('treats an approve with unknown outcome as possibly done', () => {
    const h = new HistoryBuilder();
    h.publish(0, 't1', 'policy', 1, { maxDiscountPct: 10 });
    quote(h, 15);
    h.call(1, 'submit', { tenant: 't1', quoteId: 'q1' }, { state: 'APPROVAL_PENDING' });
    h.invoke(1, 'approve', { tenant: 't1', quoteId: 'q1' });
    h.info(1, 'approve', { tenant: 't1', quoteId: 'q1' });
    h.call(1, 'accept', { tenant: 't1', quoteId: 'q1' }, { state: 'ACCEPTED' });
    expect(noApprovalBypass.check(h.ops, final()).valid).toBe(true);
  });

  it('convicts through the final state when the accept response was lost', () => {
    const h = new HistoryBuilder();
    h.publish(0, 't1', 'policy', 1, { maxDiscountPct: 10 });
    quote(h, 15);
    h.call(1, 'submit', { tenant: 't1', quoteId: 'q1' }, { state: 'SUBMITTED' });
    h.invoke(1, 'accept', { tenant: 't1', quoteId: 'q1' });
    h.info(1, 'accept', { tenant: 't1', quoteId: 'q1' });
    expect(
      noApprovalBypass.check(
        h.ops,
        final({
          quotes: [{ tenant_id: 't1', quote_id: 'q1', state: 'ACCEPTED', catalog_version: 1, price_list_version: 1 }],
        }),
      ).valid,
    ).toBe(false);
  });

  it('is unknown when no policy was ever acknowledged', () => {
    const h = new HistoryBuilder();
    quote(h, 15);
    expect(noApprovalBypass.check(h.ops, final()).valid).toBe('unknown');
  });
});
