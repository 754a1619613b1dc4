/**
 * Faults on the cache's data: a flush (everything gone at once), and a restart from an older RDB
 * snapshot, which resurrects old version pointers and payloads — the case a cache must not turn
 * into a wrong answer.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Fault, FaultContext } from './fault.ts';

/** Runs `fn` on a short-lived client of Redis's direct endpoint. */
export async function redisCommand<T>(ctx: FaultContext, fn: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(ctx.env.redis.directUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    // A frozen Redis accepts the connection and never answers: a fault's command must not wait forever.
    commandTimeout: 5000,
  });
  redis.on('error', () => undefined);
  try {
    // Inside the try: a client whose connect failed (Redis down) still reconnects every 2 s until
    // disconnected, which kept a finished `explore` alive for good.
    await redis.connect();
    return await fn(redis);
  } finally {
    redis.disconnect();
  }
}

/** `cache-flush`: FLUSHALL on start. Its heal is a no-op: a flush is over the moment it happens. */
export const cacheFlush: Fault = {
  name: 'cache-flush',
  target: 'redis',
  async invoke(ctx, action) {
    if (action === 'stop') return { healed: 'nothing to heal' };
    const keys = await redisCommand(ctx, async (redis) => {
      const before = await redis.dbsize();
      await redis.flushall();
      return before;
    });
    return { keysFlushed: keys };
  },
};

/**
 * `redis-stale-snapshot`: on start, SAVE and keep a copy of the snapshot; on stop, kill Redis, put
 * that older snapshot back and start it, so it comes back with the state of the fault's start.
 */
export const redisStaleSnapshot: Fault = {
  name: 'redis-stale-snapshot',
  target: 'redis',
  async invoke(ctx, action) {
    const kept = path.join(ctx.dir, 'redis-stale-snapshot.rdb');
    const redis = ctx.env.redis;
    if (action === 'start') {
      const keys = await redisCommand(ctx, async (client) => {
        await client.save();
        return client.dbsize();
      });
      await redis.copySnapshotTo(kept);
      return { snapshotKeys: keys };
    }
    if (!fs.existsSync(kept)) return { restored: false };
    await redis.restartFromSnapshot(kept);
    const keys = await redisCommand(ctx, (client) => client.dbsize());
    return { restored: true, keysAfterRestore: keys };
  },
  /** Removes the kept and the live snapshot, so a later restart of Redis comes back empty again. */
  async teardown(ctx) {
    fs.rmSync(path.join(ctx.dir, 'redis-stale-snapshot.rdb'), { force: true });
    await ctx.env.redis.dropSnapshot();
  },
};
