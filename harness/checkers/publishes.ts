/**
 * What the history says was published: every acknowledged publish per tenant and domain, with its
 * version, content and acknowledgement time — the shared input of the staleness checkers. A price
 * list version holds one list per currency: its publish replaces its own currency's entries and
 * carries the others over from the version before (`sliceOf`, `carrierAt`).
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
  /** The part of the domain it replaces: a price list's currency ('' for a catalog, a policy, or a history that names none). */
  slice: string;
}

/** The slice a read of `domain` asks for: a price read's currency ('' when it names none or reads a catalog). */
export function sliceOf(domain: Domain, value: Record<string, unknown>): string {
  return domain === 'pricing' ? (str(value.currency) ?? '') : '';
}

/** Acknowledged publishes, ordered by version within each tenant and domain. */
export function acknowledgedPublishes(pairs: readonly OpPair[]): Publish[] {
  return pairs
    .filter((p) => p.invoke.f === 'publish' && isOk(p))
    .map((p) => {
      const value = valueOf(p);
      const domain = str(value.domain) as Domain;
      return {
        tenant: str(value.tenant) ?? '',
        domain,
        slice: sliceOf(domain, (value.content as Record<string, unknown> | undefined) ?? {}),
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

/**
 * The publish whose `slice` content version `version` of `tenant`/`domain` holds: the newest
 * acknowledged publish of that slice not above `version`, provided every version between the two
 * was acknowledged too (an unacknowledged publish there may have replaced the slice) — else
 * undefined, the content is not known. For a slice of its own (a catalog) that is the publish of
 * `version` itself.
 */
export function carrierAt(
  publishes: readonly Publish[],
  tenant: string,
  domain: Domain,
  version: number,
  slice: string,
): Publish | undefined {
  const own = publishes.filter((p) => p.tenant === tenant && p.domain === domain && p.version <= version);
  const carrier = own.filter((p) => p.slice === slice).pop();
  if (!carrier) return undefined;
  const acked = new Set(own.map((p) => p.version));
  for (let v = carrier.version; v <= version; v++) if (!acked.has(v)) return undefined;
  return carrier;
}
