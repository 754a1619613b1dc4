/**
 * Publishing a new catalog, price list or approval policy: one transaction that takes the tenant's
 * domain pointer for update, writes the new immutable version, moves the pointer and writes the
 * outbox event. Caches move on when the invalidation consumer sees that event.
 */
import { TOPICS, type Topic } from '../domain/events.ts';
import type { ApprovalPolicy, Offering, PriceEntry, VersionedDomain } from '../domain/types.ts';
import type { TxStore } from '../ports/store.ts';
import type { AppContext } from './context.ts';

const TOPIC_OF: Record<VersionedDomain, Topic> = {
  catalog: TOPICS.catalog,
  pricing: TOPICS.pricing,
  policy: TOPICS.policy,
};
const EVENT_OF: Record<VersionedDomain, string> = {
  catalog: 'CatalogPublished',
  pricing: 'PriceListPublished',
  policy: 'ApprovalPolicyPublished',
};

async function publish(
  ctx: AppContext,
  tenantId: string,
  domain: VersionedDomain,
  payload: Record<string, unknown>,
  write: (tx: TxStore, version: number, previous: number | undefined) => Promise<void>,
): Promise<number> {
  return ctx.store.transaction(async (tx) => {
    const previous = await tx.pointers.lockActive(tenantId, domain);
    const version = (previous ?? 0) + 1;
    await write(tx, version, previous);
    await tx.pointers.setActive(tenantId, domain, version);
    await tx.outbox.append(
      tenantId,
      [
        {
          topic: TOPIC_OF[domain],
          type: EVENT_OF[domain],
          aggregateId: `${tenantId}:${domain}`,
          aggregateVersion: version,
          payload: { tenantId, domain, version, ...payload },
        },
      ],
      ctx.clock.now(),
    );
    return version;
  });
}

export function publishCatalog(ctx: AppContext, tenantId: string, offerings: Offering[]): Promise<number> {
  return publish(ctx, tenantId, 'catalog', { offeringIds: offerings.map((o) => o.offeringId) }, (tx, version) =>
    tx.reference.insertOfferings(tenantId, version, offerings),
  );
}

export function publishPriceList(
  ctx: AppContext,
  tenantId: string,
  currency: string,
  entries: PriceEntry[],
): Promise<number> {
  return publish(
    ctx,
    tenantId,
    'pricing',
    { currency, offeringIds: entries.map((e) => e.offeringId) },
    (tx, version, previous) => tx.reference.insertPrices(tenantId, version, currency, entries, previous),
  );
}

export function publishPolicy(ctx: AppContext, tenantId: string, policy: ApprovalPolicy): Promise<number> {
  return publish(ctx, tenantId, 'policy', { ...policy }, (tx, version) =>
    tx.reference.insertPolicy(tenantId, version, policy),
  );
}
