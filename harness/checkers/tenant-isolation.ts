/**
 * `tenant-isolation`: no response to tenant A carries data written only for tenant B. The workload
 * gives every tenant distinguishable data (offering names and unit prices unique to the tenant); a
 * read by A whose `tenantId`, offering name or unit price belongs to another tenant's publishes and
 * not to A's is a violation. Publishes that may have happened (`info`) count as written.
 *
 * Opportunities: ok responses to one tenant (reads, pricings, quote creations) checked against the
 * data of the others — only with two tenants or more, else there is nothing to tell apart.
 */
import { resultOf, unknown, type Anomaly, type Checker } from '../core/checker.ts';
import { isOk, pairOps, type Op } from '../core/op.ts';
import { num, str, valueOf } from '../core/vocabulary.ts';

interface Written {
  names: Map<string, Set<string>>;
  prices: Map<number, Set<string>>;
  firstOp: Map<string, number>;
}

function record<K>(map: Map<K, Set<string>>, key: K, tenant: string): void {
  map.set(key, (map.get(key) ?? new Set()).add(tenant));
}

export const tenantIsolation: Checker = {
  name: 'tenant-isolation',
  live: true,
  check(history: readonly Op[]) {
    const pairs = pairOps(history);
    const written: Written = { names: new Map(), prices: new Map(), firstOp: new Map() };
    for (const p of pairs.filter((q) => q.invoke.f === 'publish' && q.completion?.type !== 'fail')) {
      const tenant = str(p.invoke.value.tenant) ?? '';
      const content = (p.invoke.value.content as Record<string, unknown> | undefined) ?? {};
      for (const name of Object.values((content.offerings as Record<string, string> | undefined) ?? {})) {
        record(written.names, name, tenant);
        written.firstOp.set(`name:${name}:${tenant}`, p.invoke.index);
      }
      for (const cents of Object.values((content.prices as Record<string, number> | undefined) ?? {})) {
        record(written.prices, cents, tenant);
        written.firstOp.set(`price:${cents}:${tenant}`, p.invoke.index);
      }
    }
    const foreign = <K>(map: Map<K, Set<string>>, key: K | undefined, tenant: string): string | undefined => {
      const owners = key === undefined ? undefined : map.get(key);
      return owners && !owners.has(tenant) ? [...owners][0] : undefined;
    };

    const anomalies: Anomaly[] = [];
    const reads = pairs.filter(
      (p) =>
        isOk(p) &&
        (p.invoke.f === 'read-price' ||
          p.invoke.f === 'read-offering' ||
          p.invoke.f === 'price' ||
          p.invoke.f === 'create-quote'),
    );
    for (const read of reads) {
      const value = valueOf(read);
      const tenant = str(read.invoke.value.tenant) ?? '';
      const done = (read.completion as Op).index;
      const claimed = str(value.tenantId);
      if (claimed !== undefined && claimed !== tenant) {
        anomalies.push({
          kind: 'foreign-tenant-id',
          message: `${read.invoke.f} by ${tenant} answered with tenantId ${claimed}`,
          ops: [read.invoke.index, done],
        });
      }
      const byName = foreign(written.names, str(value.name), tenant);
      if (byName) {
        anomalies.push({
          kind: 'foreign-data',
          message: `${read.invoke.f} by ${tenant} returned offering name '${str(value.name)}' written only for ${byName}`,
          ops: [read.invoke.index, done, written.firstOp.get(`name:${str(value.name)}:${byName}`) ?? done],
        });
      }
      const byPrice = foreign(written.prices, num(value.unitPriceCents), tenant);
      if (byPrice) {
        anomalies.push({
          kind: 'foreign-data',
          message: `${read.invoke.f} by ${tenant} returned unit price ${num(value.unitPriceCents)} written only for ${byPrice}`,
          ops: [read.invoke.index, done, written.firstOp.get(`price:${num(value.unitPriceCents)}:${byPrice}`) ?? done],
        });
      }
    }
    const tenants = new Set(pairs.map((p) => str(p.invoke.value.tenant)).filter(Boolean));
    const stats = { tenants: tenants.size, readsChecked: reads.length };
    if (tenants.size < 2) return unknown('fewer than two tenants in the history: isolation cannot be observed', stats);
    return resultOf(anomalies, stats, reads.length, "responses checked against other tenants' data");
  },
};
