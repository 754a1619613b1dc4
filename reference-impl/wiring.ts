/**
 * Builds the application context of one process from its configuration: pool, store, cache (with
 * the planted bugs' switches), reader, metrics, failpoints. The one place adapters are chosen.
 */
import type pg from 'pg';
import type { Logger } from 'pino';
import { createPool } from './adapters/postgres/pool.ts';
import { postgresStore } from './adapters/postgres/store.ts';
import { redisCache } from './adapters/redis/redis-cache.ts';
import { CacheKeys } from './app/cache-keys.ts';
import { newUuid, systemClock, type AppContext } from './app/context.ts';
import { DegradingCache } from './app/degrading-cache.ts';
import { Failpoints } from './app/failpoints.ts';
import { L1Cache, monotonicMs } from './app/l1-cache.ts';
import { Metrics } from './app/metrics.ts';
import { ReferenceDataReader } from './app/reference-data.ts';
import type { ComponentConfig } from './config.ts';

export interface Wired {
  ctx: AppContext;
  pool: pg.Pool;
  close(): Promise<void>;
}

export function wire(config: ComponentConfig, log: Logger): Wired {
  const pool = createPool({ url: config.databaseUrl, applicationName: `cpq-${config.instanceId}` }, (error) =>
    log.warn({ err: error }, 'idle database client error'),
  );
  const metrics = new Metrics(config.component, config.instanceId);
  let lastRedisError = 0;
  const redis = redisCache({
    url: config.redisUrl,
    unbounded: config.bugs.has('redis-no-timeout'), // planted bug: redis-no-timeout
    onError: (error) => {
      if (Date.now() - lastRedisError > 5000) log.warn({ err: error.message }, 'redis error (degrading to PostgreSQL)');
      lastRedisError = Date.now();
    },
  });
  const cache = new DegradingCache(redis, metrics, config.bugs.has('redis-required')); // planted bug: redis-required
  const keys = new CacheKeys(config.bugs);
  const store = postgresStore(pool, { leakBroken: config.bugs.has('leak-broken-connections') }); // planted bug: leak-broken-connections
  const reader = new ReferenceDataReader(
    store,
    cache,
    keys,
    new L1Cache(10_000, config.bugs.has('wall-clock-ttl') ? Date.now : monotonicMs), // planted bug: wall-clock-ttl
    metrics,
    config.bugs,
    config.instanceId,
    config.cacheEnabled,
  );
  const ctx: AppContext = {
    store,
    cache,
    keys,
    reader,
    bugs: config.bugs,
    metrics,
    failpoints: new Failpoints(),
    clock: systemClock,
    newId: newUuid,
    log,
  };
  return {
    ctx,
    pool,
    async close() {
      await redis.close();
      await pool.end();
    },
  };
}
