/**
 * `no-approval-bypass`: no quote reaches ACCEPTED without approval when the approval policy in force
 * at its submit required one. A submit is judged against every policy that could have been in
 * force: the newest acknowledged before the submit was invoked, and any publish invoked before the
 * submit completed (it may have committed first). Only if all of them require approval for the
 * quote's largest discount, and the quote was accepted (ok op, or final state ACCEPTED/CONVERTED)
 * without an approve that completed ok (or may have), is it a violation.
 *
 * Opportunities: submits that completed ok for a quote whose largest discount the policy
 * acknowledged before the submit does not allow — each had to go through approval. Without one,
 * the checker is `unknown` (nothing to judge).
 */
import { resultOf, type Anomaly, type Checker, type FinalState } from '../core/checker.ts';
import { isIndeterminate, isOk, pairOps, type Op, type OpPair } from '../core/op.ts';
import { num, str, valueOf } from '../core/vocabulary.ts';
import { acknowledgedPublishes, newestAckedBefore } from './publishes.ts';

export const noApprovalBypass: Checker = {
  name: 'no-approval-bypass',
  check(history: readonly Op[], finalState: FinalState) {
    const pairs = pairOps(history);
    const publishes = acknowledgedPublishes(pairs).filter((p) => p.domain === 'policy');
    const policyPairs = pairs.filter(
      (p) => p.invoke.f === 'publish' && str(p.invoke.value.domain) === 'policy' && p.completion?.type !== 'fail',
    );
    const byQuote = (f: string) => {
      const map = new Map<string, OpPair[]>();
      for (const p of pairs.filter((q) => q.invoke.f === f)) {
        const id = str(p.invoke.value.quoteId) ?? str(valueOf(p).quoteId);
        if (id) map.set(id, [...(map.get(id) ?? []), p]);
      }
      return map;
    };
    const creates = pairs.filter((p) => p.invoke.f === 'create-quote' && isOk(p));
    const discountOf = new Map<string, { tenant: string; max: number }>();
    for (const create of creates) {
      const value = valueOf(create);
      const items = (value.items as { discountPct?: number }[] | undefined) ?? [];
      discountOf.set(str(value.quoteId) ?? '', {
        tenant: str(value.tenant) ?? '',
        max: Math.max(0, ...items.map((i) => i.discountPct ?? 0)),
      });
    }
    const submits = byQuote('submit');
    const approves = byQuote('approve');
    const accepts = byQuote('accept');
    const finalStates = new Map((finalState.observations.quotes ?? []).map((q) => [q.quote_id, q.state]));
    const anomalies: Anomaly[] = [];
    let judged = 0;
    let needingApproval = 0;
    for (const [quoteId, quote] of discountOf) {
      for (const submit of (submits.get(quoteId) ?? []).filter(isOk)) {
        const acked = newestAckedBefore(publishes, quote.tenant, 'policy', submit.invoke.time);
        const allowed = acked ? num(acked.content.maxDiscountPct) : undefined;
        if (allowed !== undefined && quote.max > allowed) needingApproval++;
      }
    }

    for (const [quoteId, quote] of discountOf) {
      const acceptedOk = (accepts.get(quoteId) ?? []).find(isOk);
      const accepted = acceptedOk !== undefined || ['ACCEPTED', 'CONVERTED'].includes(finalStates.get(quoteId) ?? '');
      if (!accepted) continue;
      const maybeApproved = (approves.get(quoteId) ?? []).some((p) => isOk(p) || isIndeterminate(p));
      const submit = (submits.get(quoteId) ?? []).filter(isOk).pop();
      if (!submit || maybeApproved) continue;
      judged++;
      const acked = newestAckedBefore(publishes, quote.tenant, 'policy', submit.invoke.time);
      // Publishes that may have committed between the acknowledged one and the submit: invoked before
      // the submit completed, and not acknowledged before it was invoked (those are superseded by `acked`).
      const concurrent = policyPairs.filter(
        (p) =>
          str(p.invoke.value.tenant) === quote.tenant &&
          p.invoke.time < (submit.completion as Op).time &&
          !(isOk(p) && (p.completion as Op).time < submit.invoke.time),
      );
      const candidates = [
        ...(acked ? [num(acked.content.maxDiscountPct)] : []),
        ...concurrent.map((p) => num((p.invoke.value.content as Record<string, unknown> | undefined)?.maxDiscountPct)),
      ];
      if (!acked || candidates.some((max) => max === undefined || quote.max <= max)) continue;
      anomalies.push({
        kind: 'approval-bypassed',
        message: `quote ${quoteId} (discount ${quote.max}%) accepted without approval; the policy acknowledged before its submit allows ${num(acked.content.maxDiscountPct)}%`,
        ops: [
          acked.op,
          submit.invoke.index,
          (submit.completion as Op).index,
          ...(acceptedOk?.completion ? [acceptedOk.completion.index] : []),
        ],
      });
    }
    const stats = {
      submitsNeedingApproval: needingApproval,
      acceptedWithoutApproval: judged,
      quotes: discountOf.size,
      policyPublishes: publishes.length,
    };
    return resultOf(anomalies, stats, needingApproval, 'submits whose discount the acknowledged policy did not allow');
  },
};
