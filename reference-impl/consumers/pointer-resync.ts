/**
 * Pointer re-sync after a cache restart, run beside the invalidation consumer. Invalidation moves a
 * pointer forward when a publish event arrives; a Redis that comes back from an older snapshot
 * resurrects pointers whose events were already consumed, and nothing would move them again until
 * they expire. So: watch the cache server's identity (Redis `run_id`); when it changes, read every
 * pointer's active version from PostgreSQL and move the pointer forward (never backwards).
 */
import type { CacheKeys } from '../app/cache-keys.ts';
import type { CacheStore } from '../ports/cache.ts';
import type { VersionPointers } from '../ports/store.ts';

export interface PointerResyncOptions {
  redis: CacheStore;
  keys: CacheKeys;
  pointers: Pick<VersionPointers, 'active'>;
  ttlMs: number;
  /** How often the server identity is checked (ms). */
  everyMs?: number;
  onResync: (details: { pointers: number; moved: number }) => void;
  onError: (error: Error) => void;
}

/** Re-syncs every pointer from PostgreSQL; returns how many it saw and moved. */
export async function resyncPointers(options: PointerResyncOptions): Promise<{ pointers: number; moved: number }> {
  const keys = await options.redis.scan(options.keys.allPointersPattern(), 100_000);
  let moved = 0;
  for (const key of keys) {
    const pointer = options.keys.parsePointer(key);
    if (!pointer) continue;
    const active = await options.pointers.active(pointer.tenantId, pointer.domain as 'catalog' | 'pricing' | 'policy');
    const cached = await options.redis.get(key);
    if (active === undefined || (cached !== undefined && Number(cached) >= active)) continue;
    await options.redis.advancePointer(key, active, options.ttlMs);
    moved++;
  }
  return { pointers: keys.length, moved };
}

/** Starts watching; returns a stop function. */
export function startPointerResync(options: PointerResyncOptions): () => void {
  let known: string | undefined;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const id = await options.redis.serverId();
      if (known !== undefined && id !== known) options.onResync(await resyncPointers(options));
      known = id;
    } catch (error) {
      options.onError(error as Error); // unreachable: keep the identity seen last, check again later
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), options.everyMs ?? 500);
  timer.unref();
  return () => clearInterval(timer);
}
