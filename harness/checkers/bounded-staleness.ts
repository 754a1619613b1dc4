/**
 * `bounded-staleness`: cached reads may trail a publish only briefly.
 *
 * A read's effective version is the version whose published content it returned (the newest such
 * version not above the one it claims; a claim whose content matches no version of that tenant is
 * a `content-mismatch`). Price reads are judged per currency: a price list version holds each
 * currency's entries from the newest publish of that currency (publishes.ts, `carrierAt`), and a
 * EUR read is stale only when a newer EUR list was acknowledged. A read is stale by the time that had passed between the acknowledgement of
 * the first newer version and the read's invocation. Reported per domain: the worst window seen.
 * Violations: a read stale beyond `finalState.stalenessBudgetMs` that did not start inside a fault
 * window (or within the budget after one ended) — except the faults `parameters.stalenessKeptThrough`
 * names (a clock jump, an instance's lost event feed: the budget is the system's promise through
 * them); and any read of the final phase (`phase: 'final'`,
 * after heal and quiesce) that is stale at all; and, fault windows or not, any `mislabelled-read`: a
 * read that claims version v (whose acknowledged content is known) but returns an older version's
 * content — staleness no client can see, so no budget bounds it.
 *
 * A determinate failure asserts a fact too: a read answered 404 `NOT_FOUND` for an offering that an
 * acknowledged publish of the tenant contains (the newest before the read) is a `missing-read` when it was acknowledged
 * longer than the budget before the read (outside fault windows), and always after quiesce. And the
 * quiesce itself is judged: a version pointer that still trails the newest acknowledged version
 * when the quiesce ended (`observations.quiesce.pointersBehind`) is `pointer-stale-after-quiesce`.
 *
 * Opportunities: reads that could have been stale — of a tenant and domain that had a newer version
 * than its first acknowledged when the read was invoked — plus every read after quiesce, every
 * `NOT_FOUND` of a published offering, and the quiesce's pointers.
 */
import { resultOf, type Anomaly, type Checker, type FinalState } from '../core/checker.ts';
import { isOk, pairOps, type Op, type OpPair } from '../core/op.ts';
import { faultWindows, num, READS, str, valueOf, type Domain } from '../core/vocabulary.ts';
import { acknowledgedPublishes, carrierAt, newestAckedBefore, sliceOf, type Publish } from './publishes.ts';

/** The published content a read of `f` should return for `offeringId` at a publish. */
function contentOf(f: string, publish: Publish, offeringId: string): unknown {
  if (f === 'read-price') return (publish.content.prices as Record<string, number> | undefined)?.[offeringId];
  return (publish.content.offerings as Record<string, string> | undefined)?.[offeringId];
}

/** The scenario's staleness budget (`finalState.stalenessBudgetMs`), 2 s unless it sets one. */
export function stalenessBudgetMs(finalState: FinalState): number {
  return finalState.parameters.stalenessBudgetMs ?? 2000;
}

/**
 * A read that failed `NOT_FOUND`: undefined when no acknowledged publish of its tenant contains the
 * offering (the answer may be right); else the anomaly it is, or null when it is excused (within
 * the budget of the publish, or inside a fault window).
 */
function judgeMissing(
  read: OpPair,
  publishes: readonly Publish[],
  windows: readonly { start: number; end: number }[],
  budgetNs: number,
): Anomaly | null | undefined {
  const domain = READS[read.invoke.f] as Domain | undefined;
  if (!domain) return undefined;
  const tenant = str(read.invoke.value.tenant) ?? '';
  const offeringId = str(read.invoke.value.offeringId) ?? '';
  const at = read.invoke.time;
  // The newest version acknowledged before the read must contain it (an older one may have been
  // superseded by a version without it); measured from that acknowledgement, conservatively.
  const containing = newestAckedBefore(publishes, tenant, domain, at);
  const carrier =
    containing && carrierAt(publishes, tenant, domain, containing.version, sliceOf(domain, read.invoke.value));
  if (!containing || !carrier || contentOf(read.invoke.f, carrier, offeringId) === undefined) return undefined;
  const final = str(read.invoke.value.phase) === 'final';
  const excused = windows.some((w) => at >= w.start && at <= w.end + budgetNs);
  if (!final && (at - containing.ackedAt <= budgetNs || excused)) return null;
  return {
    kind: final ? 'missing-after-quiesce' : 'missing-read',
    message: `${read.invoke.f} ${offeringId} by ${tenant} answered NOT_FOUND ${((at - containing.ackedAt) / 1e6).toFixed(0)} ms after ${domain} v${containing.version}, which contains it, was acknowledged`,
    ops: [...new Set([carrier.op, containing.op]), read.invoke.index, (read.completion as Op).index],
  };
}

export const boundedStaleness: Checker = {
  name: 'bounded-staleness',
  /** Final reads must be fresh: the budget a system allows itself runs out before them. */
  settleMs: stalenessBudgetMs,
  check(history: readonly Op[], finalState: FinalState) {
    const budgetNs = stalenessBudgetMs(finalState) * 1e6;
    const pairs = pairOps(history);
    const publishes = acknowledgedPublishes(pairs);
    const kept = new Set(finalState.parameters.stalenessKeptThrough ?? []);
    const windows = faultWindows(history).filter((w) => !kept.has(w.fault) && !kept.has(`${w.fault}:${w.target}`));
    const worst: Partial<Record<Domain, number>> = {};
    const anomalies: Anomaly[] = [];
    let reads = 0;
    let opportunities = 0;

    for (const read of pairs.filter((p) => isOk(p) && READS[p.invoke.f] !== undefined)) {
      const domain = READS[read.invoke.f] as Domain;
      const value = valueOf(read);
      const tenant = str(value.tenant) ?? '';
      const offeringId = str(value.offeringId) ?? '';
      const claimed = num(domain === 'pricing' ? value.priceListVersion : value.catalogVersion);
      const returned = domain === 'pricing' ? num(value.unitPriceCents) : str(value.name);
      if (claimed === undefined) continue;
      reads++;
      const slice = sliceOf(domain, read.invoke.value);
      const what = slice ? `${read.invoke.f} ${slice}` : read.invoke.f;
      const own = publishes.filter((p) => p.tenant === tenant && p.domain === domain && p.slice === slice);
      const final = str(read.invoke.value.phase) === 'final';
      if (final || own.filter((p) => p.ackedAt < read.invoke.time).length >= 2) opportunities++;
      const effective = own
        .filter((p) => p.version <= claimed && contentOf(read.invoke.f, p, offeringId) === returned)
        .pop();
      const done = (read.completion as Op).index;
      // What the claimed version holds for this read's slice, when the history tells.
      const claimedPublish = carrierAt(publishes, tenant, domain, claimed, slice);
      if (!effective) {
        if (claimedPublish) {
          anomalies.push({
            kind: 'content-mismatch',
            message: `${what} ${offeringId} by ${tenant} claimed v${claimed} but returned ${JSON.stringify(returned)}, which no published version holds`,
            ops: [read.invoke.index, done],
          });
        }
        continue;
      }
      if (claimedPublish && effective.version < claimedPublish.version) {
        anomalies.push({
          kind: 'mislabelled-read',
          message: `${what} ${offeringId} by ${tenant} claimed v${claimed} but returned v${effective.version}'s ${JSON.stringify(returned)} (v${claimed} holds ${JSON.stringify(contentOf(read.invoke.f, claimedPublish, offeringId))})`,
          ops: [claimedPublish.op, read.invoke.index, done],
        });
      }
      const newer = own
        .filter((p) => p.version > effective.version && p.ackedAt < read.invoke.time)
        .sort((a, b) => a.ackedAt - b.ackedAt)[0];
      if (!newer) continue;
      const staleNs = read.invoke.time - newer.ackedAt;
      worst[domain] = Math.max(worst[domain] ?? 0, staleNs);
      const excused = windows.some((w) => read.invoke.time >= w.start && read.invoke.time <= w.end + budgetNs);
      if (final || (staleNs > budgetNs && !excused)) {
        anomalies.push({
          kind: final ? 'stale-after-quiesce' : 'stale-beyond-budget',
          message: `${what} ${offeringId} by ${tenant} returned v${effective.version}${effective.version !== claimed ? ` content (claimed v${claimed})` : ''} ${(staleNs / 1e6).toFixed(0)} ms after v${newer.version} was acknowledged`,
          ops: [newer.op, read.invoke.index, done],
        });
      }
    }
    for (const missing of pairs.filter((p) => p.completion?.type === 'fail' && p.completion.error === 'NOT_FOUND')) {
      const judged = judgeMissing(missing, publishes, windows, budgetNs);
      if (judged === undefined) continue;
      opportunities++;
      if (judged) anomalies.push(judged);
    }
    const quiesce = finalState.observations.quiesce;
    if (quiesce) {
      opportunities++;
      for (const key of quiesce.pointersBehind ?? [])
        anomalies.push({
          kind: 'pointer-stale-after-quiesce',
          message: `${key} still trailed the newest acknowledged version ${quiesce.waitedMs} ms into the quiesce`,
          ops: [],
        });
    }
    const stats = {
      reads,
      budgetMs: budgetNs / 1e6,
      worstStalenessMs: Object.fromEntries(
        Object.entries(worst).map(([d, ns]) => [d, Math.round((ns as number) / 1e6)]),
      ),
      faultWindows: windows.length,
    };
    return resultOf(anomalies, stats, opportunities, 'reads that could have been stale');
  },
};
