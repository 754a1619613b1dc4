/**
 * What the history says was published: every acknowledged publish per tenant and domain, with its
 * version, content and acknowledgement time — the shared input of the staleness checkers.
 */
import { isOk, type Op, type OpPair } from '../core/op.ts';
import { num, str, valueOf, type Domain } from '../core/vocabulary.ts';

export interface Publish {
  tenant: string;
  domain: Domain;
  version: number;
  content: Record<string, unknown>;
  /** When the publish was invoked and acknowledged (ns). */
  invokedAt: number;
  ackedAt: number;
  /** Index of the ok op. */
  op: number;
}

/** Acknowledged publishes, ordered by version within each tenant and domain. */
export function acknowledgedPublishes(pairs: readonly OpPair[]): Publish[] {
  return pairs
    .filter((p) => p.invoke.f === 'publish' && isOk(p))
    .map((p) => {
      const value = valueOf(p);
      return {
        tenant: str(value.tenant) ?? '',
        domain: str(value.domain) as Domain,
        version: num(value.version) ?? 0,
        content: (value.content as Record<string, unknown> | undefined) ?? {},
        invokedAt: p.invoke.time,
        ackedAt: (p.completion as Op).time,
        op: (p.completion as Op).index,
      };
    })
    .sort((a, b) => a.version - b.version);
}

/** The newest publish of `tenant`/`domain` acknowledged before `time`, if any. */
export function newestAckedBefore(
  publishes: readonly Publish[],
  tenant: string,
  domain: Domain,
  time: number,
): Publish | undefined {
  let newest: Publish | undefined;
  for (const p of publishes) {
    if (p.tenant === tenant && p.domain === domain && p.ackedAt < time && (!newest || p.version > newest.version))
      newest = p;
  }
  return newest;
}
