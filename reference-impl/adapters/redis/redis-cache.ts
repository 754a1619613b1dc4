/**
 * The Redis implementation of the cache port (ioredis): every command has a short timeout, nothing
 * is queued while disconnected, reconnects happen in the background. Errors surface to the caller
 * (`DegradingCache` decides what they mean).
 */
import { Redis } from 'ioredis';
import type { CacheStore } from '../../ports/cache.ts';

const ADVANCE_POINTER = `
local current = tonumber(redis.call('GET', KEYS[1]))
if current == nil or current < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 0`;

const DEL_IF_EQUALS = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

type ScriptedRedis = Redis & {
  advancePointer(key: string, version: string, ttlMs: string): Promise<number>;
  delIfEquals(key: string, value: string): Promise<number>;
};

export interface RedisCacheOptions {
  url: string;
  /** Per-command timeout (default 250 ms; see `REDIS_COMMAND_TIMEOUT_MS`). */
  commandTimeoutMs?: number;
  /**
   * ioredis' own defaults instead: no command timeout, commands queued while disconnected and
   * retried on reconnect — a call waits as long as Redis is frozen or unreachable.
   */
  unbounded?: boolean;
  onError?: (error: Error) => void;
}

/** How long one Redis call may take before it fails (and the cache degrades to PostgreSQL). */
export const REDIS_COMMAND_TIMEOUT_MS = 250;

export function redisCache(options: RedisCacheOptions): CacheStore {
  const bounds = options.unbounded
    ? { enableOfflineQueue: true, maxRetriesPerRequest: null }
    : {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        commandTimeout: options.commandTimeoutMs ?? REDIS_COMMAND_TIMEOUT_MS,
      };
  const client = new Redis(options.url, {
    ...bounds,
    connectTimeout: 1000,
    retryStrategy: (times) => Math.min(50 * times, 500),
    lazyConnect: false,
  }) as ScriptedRedis;
  client.on('error', (error: Error) => options.onError?.(error));
  client.defineCommand('advancePointer', { numberOfKeys: 1, lua: ADVANCE_POINTER });
  client.defineCommand('delIfEquals', { numberOfKeys: 1, lua: DEL_IF_EQUALS });

  return {
    async get(key) {
      return (await client.get(key)) ?? undefined;
    },
    async set(key, value, ttlMs) {
      await client.set(key, value, 'PX', Math.max(1, Math.round(ttlMs)));
    },
    async setIfAbsent(key, value, ttlMs) {
      return (await client.set(key, value, 'PX', Math.max(1, Math.round(ttlMs)), 'NX')) === 'OK';
    },
    async advancePointer(key, version, ttlMs) {
      await client.advancePointer(key, String(version), String(Math.round(ttlMs)));
    },
    async del(keys) {
      if (keys.length > 0) await client.del(...keys);
    },
    async delIfEquals(key, value) {
      await client.delIfEquals(key, value);
    },
    async scan(pattern, limit) {
      const found: string[] = [];
      let cursor = '0';
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        found.push(...keys);
        cursor = next;
      } while (cursor !== '0' && found.length < limit);
      return found.slice(0, limit);
    },
    async serverId() {
      const info = await client.info('server');
      const runId = /run_id:(\w+)/.exec(info)?.[1];
      if (!runId) throw new Error('INFO server has no run_id');
      return runId;
    },
    async ttl(key) {
      return client.pttl(key);
    },
    async close() {
      client.disconnect();
    },
  };
}
