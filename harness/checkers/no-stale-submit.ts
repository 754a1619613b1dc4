/**
 * `no-stale-submit`: a submit that completed ok for a quote priced at catalog version c and
 * price-list version p is a violation if a publish of a newer catalog (> c) or price list (> p) for
 * that tenant completed ok before the submit was invoked — the submit must have seen it.
 *
 * Cross-checked with the final reads: a quote whose final row is submitted (or beyond) at versions
 * older than a publish acknowledged before its first submit was even invoked is a violation too —
 * this convicts submits whose response was lost (`info`). Unknown when no submit ever completed.
 */
import { resultOf, unknown, type Anomaly, type Checker, type FinalState } from '../core/checker.ts';
import { isOk, pairOps, type Op, type OpPair } from '../core/op.ts';
import { num, str, valueOf, type Domain } from '../core/vocabulary.ts';
import { acknowledgedPublishes, newestAckedBefore, type Publish } from './publishes.ts';

const SUBMITTED_OR_BEYOND = new Set(['SUBMITTED', 'APPROVAL_PENDING', 'APPROVED', 'ACCEPTED', 'CONVERTED']);
const CHECKED: readonly [Domain, string][] = [
  ['catalog', 'catalogVersion'],
  ['pricing', 'priceListVersion'],
];

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

export const noStaleSubmit: Checker = {
  name: 'no-stale-submit',
  check(history: readonly Op[], finalState: FinalState) {
    const pairs = pairOps(history);
    const publishes = acknowledgedPublishes(pairs);
    const submits = pairs.filter((p) => p.invoke.f === 'submit');
    const determinate = submits.filter((p) => p.completion && p.completion.type !== 'info');
    const anomalies: Anomaly[] = [];

    for (const submit of submits.filter(isOk)) {
      const value = valueOf(submit);
      const tenant = str(value.tenant) ?? '';
      const versions: Partial<Record<Domain, number>> = {
        catalog: num(value.catalogVersion),
        pricing: num(value.priceListVersion),
      };
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
      const versions: Partial<Record<Domain, number>> = {
        catalog: row.catalog_version,
        pricing: row.price_list_version,
      };
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
      publishes: publishes.length,
      finalQuotes: quotes.length,
    };
    if (anomalies.length === 0 && determinate.length === 0)
      return unknown('no submit completed, so nothing could be judged', stats);
    return resultOf(anomalies, stats);
  },
};
