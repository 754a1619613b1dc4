/**
 * The cache-invalidation consumer: on every catalog, price-list or policy publish it advances the
 * tenant's Redis version pointer (never backwards), retrying until Redis accepts, so a cache
 * outage delays invalidation but never loses it. Measures invalidation lag (publish → pointer move).
 *
 * Planted bug `delete-invalidation`: deletes the (unversioned) payload keys instead.
 */
import { TOPICS } from '../domain/events.ts';
import type { VersionedDomain } from '../domain/types.ts';
import type { ConsumerSpec } from '../adapters/kafka/kafka.ts';
import type { CacheKeys } from '../app/cache-keys.ts';
import type { Metrics } from '../app/metrics.ts';
import type { CacheStore } from '../ports/cache.ts';

/** How long a pointer lives without a publish moving it. */
export const POINTER_TTL_MS = 60_000;

export interface InvalidationOptions {
  redis: CacheStore;
  keys: CacheKeys;
  metrics: Metrics;
  deleteKeys: boolean;
  onRetry: (error: Error) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function invalidationConsumer(options: InvalidationOptions): ConsumerSpec {
  return {
    groupId: 'cpq-invalidation',
    topics: [TOPICS.catalog, TOPICS.pricing, TOPICS.policy],
    fromBeginning: true,
    handle: async (event, heartbeat) => {
      const { domain, version } = event.payload as { domain?: VersionedDomain; version?: number };
      if (!domain || typeof version !== 'number') return;
      for (let attempt = 0; ; attempt++) {
        try {
          if (options.deleteKeys) {
            // planted bug: delete-invalidation — evict by deleting unversioned keys
            await options.redis.del(
              await options.redis.scan(options.keys.versionlessPattern(event.tenantId, domain), 10_000),
            );
          }
          await options.redis.advancePointer(options.keys.pointer(event.tenantId, domain), version, POINTER_TTL_MS);
          break;
        } catch (error) {
          options.onRetry(error as Error);
          await sleep(Math.min(100 * 2 ** attempt, 2000));
          await heartbeat();
        }
      }
      options.metrics.invalidationLag.observe(
        { domain },
        Math.max(0, Date.now() - Date.parse(event.occurredAt)) / 1000,
      );
    },
  };
}
