/**
 * `single-order-per-quote`: the final `customer_order` rows (PostgreSQL, direct) hold at most one
 * order per (tenant, quote, revision) — `duplicate-order` — and every convert that completed ok, or
 * was refused as already converted (409 naming the existing order), names that one order —
 * `convert-names-other-order` — which must exist: an acknowledged order with no row is
 * `acknowledged-order-missing`. Converts whose outcome is unknown (`info`) may have created an order;
 * the one-order rule holds for them all the same, and they convict nothing on their own.
 *
 * Opportunities: quotes for which at least one convert was invoked. Unknown without final order
 * rows (the final reads did not happen).
 */
import { resultOf, unknown, type Anomaly, type Checker, type FinalState } from '../core/checker.ts';
import type { FinalOrder } from '../core/final-state.ts';
import { pairOps, type Op, type OpPair } from '../core/op.ts';
import { str, valueOf } from '../core/vocabulary.ts';

/** The order id a convert's completion names: its own (ok) or the existing one (409). */
function namedOrder(convert: OpPair): string | undefined {
  const done = convert.completion;
  if (done?.type === 'ok') return str(valueOf(convert).orderId);
  if (done?.type === 'fail' && done.error === 'QUOTE_ALREADY_CONVERTED') return str(done.value.orderId);
  return undefined;
}

export const singleOrderPerQuote: Checker = {
  name: 'single-order-per-quote',
  check(history: readonly Op[], finalState: FinalState) {
    const converts = pairOps(history).filter((p) => p.invoke.f === 'convert');
    const byQuote = new Map<string, OpPair[]>();
    for (const c of converts) {
      const key = `${str(c.invoke.value.tenant)}/${str(c.invoke.value.quoteId)}`;
      byQuote.set(key, [...(byQuote.get(key) ?? []), c]);
    }
    const rows = finalState.observations.orders;
    const stats = { quotesConverted: byQuote.size, converts: converts.length, orders: rows?.length ?? 0 };
    if (rows === undefined)
      return byQuote.size === 0
        ? unknown('no convert was invoked', stats)
        : unknown('no final order rows were read', stats, byQuote.size);
    const ordersOf = new Map<string, FinalOrder[]>();
    for (const row of rows) {
      const key = `${row.tenant_id}/${row.source_quote_id}`;
      ordersOf.set(key, [...(ordersOf.get(key) ?? []), row]);
    }
    const anomalies: Anomaly[] = [];
    for (const [key, orders] of ordersOf) {
      const ops = (byQuote.get(key) ?? []).flatMap((c) => [
        c.invoke.index,
        ...(c.completion ? [c.completion.index] : []),
      ]);
      const byRevision = new Map<number, FinalOrder[]>();
      for (const o of orders)
        byRevision.set(o.source_quote_revision, [...(byRevision.get(o.source_quote_revision) ?? []), o]);
      for (const [revision, same] of byRevision)
        if (same.length > 1)
          anomalies.push({
            kind: 'duplicate-order',
            message: `quote ${key} revision ${revision} has ${same.length} orders: ${same.map((o) => o.order_id).join(', ')}`,
            ops,
          });
    }
    for (const [key, quoteConverts] of byQuote) {
      const orders = ordersOf.get(key) ?? [];
      const ids = new Set(orders.map((o) => o.order_id));
      for (const c of quoteConverts) {
        const named = namedOrder(c);
        if (named === undefined) continue;
        const done = (c.completion as Op).index;
        if (ids.size === 0)
          anomalies.push({
            kind: 'acknowledged-order-missing',
            message: `convert of ${key} named order ${named}, but PostgreSQL holds no order for the quote`,
            ops: [c.invoke.index, done],
          });
        else if (!ids.has(named))
          anomalies.push({
            kind: 'convert-names-other-order',
            message: `convert of ${key} named order ${named}; the quote's order is ${[...ids].join(', ')}`,
            ops: [c.invoke.index, done],
          });
      }
    }
    return resultOf(anomalies, stats, byQuote.size, 'quotes a convert was invoked for');
  },
};
