/**
 * `idempotent-replay`: an `Idempotency-Key` means one outcome. For one (tenant, key):
 *
 *   - every determinate completion of the same request (the same quote) carries the same outcome —
 *     status and order id for a success, the problem code for a refusal — `replay-differs`;
 *   - the key sent with another request (another quote) is refused 422 `IDEMPOTENCY_KEY_REUSED`;
 *     a success for a second quote under one key is `key-reused-accepted`.
 *
 * `info` completions (timeouts, 5xx) say nothing about the outcome and are skipped; which of two
 * quotes sent concurrently under one key came first is not judged — only that at most one of them
 * succeeded.
 *
 * Opportunities: keys whose request was sent more than once, or with more than one quote.
 */
import { resultOf, type Anomaly, type Checker } from '../core/checker.ts';
import { pairOps, type Op, type OpPair } from '../core/op.ts';
import { num, str, valueOf } from '../core/vocabulary.ts';

/** What a determinate completion says, comparable as text; undefined for `info` or none. */
function outcomeOf(convert: OpPair): string | undefined {
  const done = convert.completion;
  if (!done || done.type === 'info') return undefined;
  if (done.type === 'ok') return `${num(valueOf(convert).status) ?? '2xx'} order ${str(valueOf(convert).orderId)}`;
  return `${num(done.value.status) ?? '4xx'} ${done.error ?? ''}`;
}

export const idempotentReplay: Checker = {
  name: 'idempotent-replay',
  live: true,
  check(history: readonly Op[]) {
    const byKey = new Map<string, OpPair[]>();
    for (const c of pairOps(history).filter((p) => p.invoke.f === 'convert')) {
      const key = `${str(c.invoke.value.tenant)}/${str(c.invoke.value.key)}`;
      byKey.set(key, [...(byKey.get(key) ?? []), c]);
    }
    const anomalies: Anomaly[] = [];
    let judged = 0;
    let replays = 0;
    for (const [key, converts] of byKey) {
      const byQuote = new Map<string, OpPair[]>();
      for (const c of converts) {
        const quote = str(c.invoke.value.quoteId) ?? '';
        byQuote.set(quote, [...(byQuote.get(quote) ?? []), c]);
      }
      if (converts.length < 2) continue;
      judged++;
      replays += converts.length - 1;
      for (const [quote, same] of byQuote) {
        const outcomes = same.map((c) => ({ c, outcome: outcomeOf(c) })).filter((o) => o.outcome !== undefined);
        const first = outcomes[0];
        for (const other of outcomes.slice(1))
          if (other.outcome !== first?.outcome)
            anomalies.push({
              kind: 'replay-differs',
              message: `key ${key} for quote ${quote}: first answered ${first?.outcome}, a replay ${other.outcome}`,
              ops: [first?.c.completion?.index ?? 0, (other.c.completion as Op).index],
            });
      }
      const succeeded = [...byQuote].filter(([, same]) => same.some((c) => c.completion?.type === 'ok'));
      if (succeeded.length > 1)
        anomalies.push({
          kind: 'key-reused-accepted',
          message: `key ${key} succeeded for ${succeeded.length} quotes (${succeeded.map(([q]) => q).join(', ')}); all but one must be refused IDEMPOTENCY_KEY_REUSED`,
          ops: succeeded.flatMap(([, same]) =>
            same.filter((c) => c.completion?.type === 'ok').map((c) => (c.completion as Op).index),
          ),
        });
    }
    const stats = { keys: byKey.size, keysReplayed: judged, replays };
    return resultOf(anomalies, stats, judged, 'idempotency keys sent more than once');
  },
};
