/**
 * `no-stale-submit`: a submit that completed ok for a quote priced at catalog version c, price-list
 * version p and approval-policy version a is a violation if a publish of a newer catalog (> c),
 * price list (> p) or policy (> a) for that tenant completed ok before the submit was invoked — the
 * submit must have seen it (contract: submit revalidates all three against PostgreSQL).
 *
 * Cross-checked with the final reads: a quote whose final row is submitted (or beyond) at versions
 * older than a publish acknowledged before its first submit was even invoked is a violation too —
 * this convicts submits whose response was lost (`info`).
 *
 * Opportunities: submits that raced a newer publish — the quote's last successful pricing used a
 * version older than one acknowledged before the submit was invoked, so the system had to reject
 * the submit (or re-price). Without one, a pass proves nothing: the checker is `unknown`.
 */
import { resultOf, type Anomaly, type Checker, type FinalState } from '../core/checker.ts';
import { isOk, pairOps, type Op, type OpPair } from '../core/op.ts';
import { num, str, valueOf, type Domain } from '../core/vocabulary.ts';
import { acknowledgedPublishes, newestAckedBefore, type Publish } from './publishes.ts';

const SUBMITTED_OR_BEYOND = new Set(['SUBMITTED', 'APPROVAL_PENDING', 'APPROVED', 'ACCEPTED', 'CONVERTED']);
/** Each domain a submit revalidates: the field in quote responses and the column in the final row. */
const CHECKED: readonly [Domain, string, 'catalog_version' | 'price_list_version' | 'policy_version'][] = [
  ['catalog', 'catalogVersion', 'catalog_version'],
  ['pricing', 'priceListVersion', 'price_list_version'],
  ['policy', 'policyVersion', 'policy_version'],
];

/** The versions a quote response (pricing or submit) carries. */
function versionsIn(value: Record<string, unknown>): Partial<Record<Domain, number>> {
  return Object.fromEntries(CHECKED.map(([domain, field]) => [domain, num(value[field])]));
}

function staleness(
  publishes: readonly Publish[],
  tenant: string,
  versions: Partial<Record<Domain, number>>,
  before: number,
): Publish[] {
  return CHECKED.flatMap(([domain]) => {
    const newest = newestAckedBefore(publishes, tenant, domain, before);
    const version = versions[domain];
    return newest && version !== undefined && newest.version > version ? [newest] : [];
  });
}

/** Successful pricings per quote, in history order. */
function pricingsByQuote(pairs: readonly OpPair[]): Map<string, OpPair[]> {
  const index = new Map<string, OpPair[]>();
  for (const p of pairs.filter((q) => q.invoke.f === 'price' && isOk(q))) {
    const id = str(p.invoke.value.quoteId) ?? '';
    index.set(id, [...(index.get(id) ?? []), p]);
  }
  return index;
}

/** The versions of a quote's last pricing that completed ok before `time`. */
function lastPricingBefore(
  pricings: Map<string, OpPair[]>,
  quoteId: string | undefined,
  time: number,
): Partial<Record<Domain, number>> | undefined {
  const last = (pricings.get(quoteId ?? '') ?? []).filter((p) => (p.completion as Op).time < time).pop();
  return last ? versionsIn(valueOf(last)) : undefined;
}

export const noStaleSubmit: Checker = {
  name: 'no-stale-submit',
  live: true,
  check(history: readonly Op[], finalState: FinalState) {
    const pairs = pairOps(history);
    const publishes = acknowledgedPublishes(pairs);
    const submits = pairs.filter((p) => p.invoke.f === 'submit');
    const anomalies: Anomaly[] = [];
    const pricings = pricingsByQuote(pairs);
    const raced = submits.filter((s) => {
      const returned = isOk(s) ? versionsIn(valueOf(s)) : undefined;
      const priced = lastPricingBefore(pricings, str(s.invoke.value.quoteId), s.invoke.time) ?? returned;
      return priced && staleness(publishes, str(s.invoke.value.tenant) ?? '', priced, s.invoke.time).length > 0;
    });

    for (const submit of submits.filter(isOk)) {
      const value = valueOf(submit);
      const tenant = str(value.tenant) ?? '';
      const versions = versionsIn(value);
      for (const newer of staleness(publishes, tenant, versions, submit.invoke.time)) {
        anomalies.push({
          kind: 'stale-submit',
          message: `submit of quote ${str(value.quoteId)} (${newer.domain} v${versions[newer.domain]}) accepted after ${newer.domain} v${newer.version} was acknowledged`,
          ops: [submit.invoke.index, (submit.completion as Op).index, newer.op],
        });
      }
    }

    const firstSubmit = new Map<string, OpPair>();
    for (const s of submits) {
      const id = str(s.invoke.value.quoteId);
      if (id && !firstSubmit.has(id)) firstSubmit.set(id, s);
    }
    const quotes = finalState.observations.quotes ?? [];
    for (const row of quotes) {
      const first = firstSubmit.get(row.quote_id);
      if (
        !first ||
        !SUBMITTED_OR_BEYOND.has(row.state) ||
        row.catalog_version === null ||
        row.price_list_version === null
      )
        continue;
      const versions: Partial<Record<Domain, number>> = Object.fromEntries(
        CHECKED.map(([domain, , column]) => [domain, row[column] ?? undefined]),
      );
      for (const newer of staleness(publishes, row.tenant_id, versions, first.invoke.time)) {
        anomalies.push({
          kind: 'stale-submit-in-final-state',
          message: `quote ${row.quote_id} is ${row.state} at ${newer.domain} v${versions[newer.domain]} though v${newer.version} was acknowledged before its first submit`,
          ops: [first.invoke.index, newer.op],
        });
      }
    }

    const stats = {
      submits: submits.length,
      submitsOk: submits.filter(isOk).length,
      submitsThatRaced: raced.length,
      racedAndRejected: raced.filter((s) => s.completion?.type === 'fail').length,
      publishes: publishes.length,
      finalQuotes: quotes.length,
    };
    return resultOf(anomalies, stats, raced.length, 'submits that raced a newer publish');
  },
};
