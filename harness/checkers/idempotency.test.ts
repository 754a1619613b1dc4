// Unit: single-order-per-quote and idempotent-replay on hand-written histories — valid, violated,
// info-ambiguous, and nothing to judge.
import { describe, expect, it } from 'vitest';
import { idempotentReplay } from './idempotent-replay.ts';
import { singleOrderPerQuote } from './single-order-per-quote.ts';
import { final, HistoryBuilder } from './testing/history-builder.ts';

const convert = { tenant: 't', quoteId: 'q1', key: 'k1' };
const order = (id: string, quote = 'q1', revision = 5) => ({
  tenant_id: 't',
  order_id: id,
  source_quote_id: quote,
  source_quote_revision: revision,
});
const refused = (h: HistoryBuilder, value: Record<string, unknown>, status: number, code: string) => {
  h.invoke(1, 'convert', value);
  return h.fail(1, 'convert', { ...value, status }, code);
};

describe('single-order-per-quote', () => {
  it('is valid with one order that every ok convert and every 409 names', () => {
    const h = new HistoryBuilder();
    h.call(1, 'convert', convert, { status: 201, orderId: 'o1' });
    h.call(2, 'convert', convert, { status: 201, orderId: 'o1' });
    refused(h, { ...convert, key: 'k2', orderId: 'o1' }, 409, 'QUOTE_ALREADY_CONVERTED');
    expect(singleOrderPerQuote.check(h.ops, final({ orders: [order('o1')] }))).toMatchObject({
      valid: true,
      opportunities: 1,
    });
  });

  it('is violated by two orders for one quote revision, even when every convert was info', () => {
    const h = new HistoryBuilder();
    h.invoke(1, 'convert', convert);
    h.info(1, 'convert', convert);
    h.invoke(2, 'convert', { ...convert, key: 'k2' });
    h.info(2, 'convert', { ...convert, key: 'k2' });
    const result = singleOrderPerQuote.check(h.ops, final({ orders: [order('o1'), order('o2')] }));
    expect(result.valid).toBe(false);
    expect(result.anomalies[0]).toMatchObject({ kind: 'duplicate-order', ops: [0, 1, 2, 3] });
  });

  it('convicts an ok convert that names another order, and one whose order never reached PostgreSQL', () => {
    const other = new HistoryBuilder();
    other.call(1, 'convert', convert, { status: 201, orderId: 'o9' });
    expect(singleOrderPerQuote.check(other.ops, final({ orders: [order('o1')] })).anomalies[0]?.kind).toBe(
      'convert-names-other-order',
    );
    const lost = new HistoryBuilder();
    lost.call(1, 'convert', convert, { status: 201, orderId: 'o1' });
    expect(singleOrderPerQuote.check(lost.ops, final({ orders: [] })).anomalies[0]?.kind).toBe(
      'acknowledged-order-missing',
    );
  });

  it('does not convict an info convert that left no order; unknown without final reads or converts', () => {
    const h = new HistoryBuilder();
    h.invoke(1, 'convert', convert);
    h.info(1, 'convert', convert);
    expect(singleOrderPerQuote.check(h.ops, final({ orders: [] }))).toMatchObject({ valid: true, opportunities: 1 });
    expect(singleOrderPerQuote.check(h.ops, final()).valid).toBe('unknown');
    expect(singleOrderPerQuote.check([], final({ orders: [] })).valid).toBe('unknown');
  });
});

describe('idempotent-replay', () => {
  it('is valid when replays answer the same and the key reused for another quote is refused 422', () => {
    const h = new HistoryBuilder();
    h.call(1, 'convert', convert, { status: 201, orderId: 'o1' });
    h.call(2, 'convert', convert, { status: 201, orderId: 'o1' });
    refused(h, { ...convert, quoteId: 'q2' }, 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(idempotentReplay.check(h.ops, final())).toMatchObject({
      valid: true,
      opportunities: 1,
      stats: { keysReplayed: 1, replays: 2 },
    });
  });

  it('is violated by a replay with another outcome, naming both completions', () => {
    const h = new HistoryBuilder();
    const first = h.call(1, 'convert', convert, { status: 201, orderId: 'o1' });
    const second = h.call(2, 'convert', convert, { status: 201, orderId: 'o2' });
    const result = idempotentReplay.check(h.ops, final());
    expect(result.valid).toBe(false);
    expect(result.anomalies[0]).toMatchObject({ kind: 'replay-differs', ops: [first, second] });
  });

  it('is violated when one key succeeds for two quotes', () => {
    const h = new HistoryBuilder();
    h.call(1, 'convert', convert, { status: 201, orderId: 'o1' });
    h.call(2, 'convert', { ...convert, quoteId: 'q2' }, { status: 201, orderId: 'o2' });
    expect(idempotentReplay.check(h.ops, final()).anomalies[0]?.kind).toBe('key-reused-accepted');
  });

  it('skips info completions; has nothing to judge when no key was sent twice', () => {
    const h = new HistoryBuilder();
    h.invoke(1, 'convert', convert);
    h.info(1, 'convert', convert);
    h.call(1, 'convert', convert, { status: 201, orderId: 'o1' });
    expect(idempotentReplay.check(h.ops, final())).toMatchObject({ valid: true, opportunities: 1 });
    const once = new HistoryBuilder();
    once.call(1, 'convert', convert, { status: 201, orderId: 'o1' });
    expect(idempotentReplay.check(once.ops, final())).toMatchObject({ valid: 'unknown', opportunities: 0 });
  });
});
