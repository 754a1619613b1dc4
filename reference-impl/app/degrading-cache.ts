/**
 * The cache as the application sees it: any Redis failure (refused, timed out, paused) is a miss or
 * a skipped write, so losing all of Redis stops no command. A small circuit breaker skips Redis for
 * a moment after repeated failures, so a stalled Redis costs one timeout, not one per call (timed
 * on the monotonic clock, so a wall-clock jump neither holds it open nor closes it early).
 *
 * Planted bug `redis-required`: failures propagate as 503 instead of degrading.
 */
import { DomainError } from '../domain/errors.ts';
import type { CacheStore } from '../ports/cache.ts';
import { monotonicMs } from './l1-cache.ts';
import type { Metrics } from './metrics.ts';

const OPEN_AFTER_FAILURES = 3;
const OPEN_FOR_MS = 1000;

export class DegradingCache {
  private failures = 0;
  private openUntil = 0;

  constructor(
    private readonly store: CacheStore,
    private readonly metrics: Metrics,
    private readonly redisRequired: boolean,
  ) {}

  /** True while the breaker is open (Redis is being skipped). */
  get degraded(): boolean {
    return monotonicMs() < this.openUntil;
  }

  private async call<T>(operation: string, fallback: T, fn: () => Promise<T>): Promise<T> {
    if (this.degraded && !this.redisRequired) {
      this.metrics.cacheErrors.inc({ operation, reason: 'breaker-open' });
      return fallback;
    }
    try {
      const result = await fn();
      this.failures = 0;
      return result;
    } catch (error) {
      this.failures += 1;
      if (this.failures >= OPEN_AFTER_FAILURES) this.openUntil = monotonicMs() + OPEN_FOR_MS;
      this.metrics.cacheErrors.inc({ operation, reason: 'error' });
      if (this.redisRequired) {
        throw new DomainError(
          'SERVICE_UNAVAILABLE',
          `the cache is unavailable (${(error as Error).message})`,
          'retry later',
        );
      }
      return fallback;
    }
  }

  get(key: string): Promise<string | undefined> {
    return this.call('get', undefined, () => this.store.get(key));
  }

  set(key: string, value: string, ttlMs: number): Promise<void> {
    return this.call('set', undefined, () => this.store.set(key, value, ttlMs));
  }

  /** undefined when Redis could not answer. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean | undefined> {
    return this.call<boolean | undefined>('set-nx', undefined, () => this.store.setIfAbsent(key, value, ttlMs));
  }

  advancePointer(key: string, version: number, ttlMs: number): Promise<void> {
    return this.call('advance-pointer', undefined, () => this.store.advancePointer(key, version, ttlMs));
  }

  del(keys: readonly string[]): Promise<void> {
    return this.call('del', undefined, () => this.store.del(keys));
  }

  delIfEquals(key: string, value: string): Promise<void> {
    return this.call('del-if-equals', undefined, () => this.store.delIfEquals(key, value));
  }

  /** Direct access for reconciliation, which must see errors. */
  get raw(): CacheStore {
    return this.store;
  }
}
