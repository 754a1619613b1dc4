/**
 * Port of the acceleration cache. Implementations may fail (Redis down, slow, paused); callers go
 * through `DegradingCache`, which turns failures into misses. Nothing here is a source of truth.
 */

export interface CacheStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** SET NX: writes only if absent; true if written. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Moves a version pointer to `version` unless it already holds a greater one. */
  advancePointer(key: string, version: number, ttlMs: number): Promise<void>;
  del(keys: readonly string[]): Promise<void>;
  /** Deletes `key` only while it still holds `value` (lock release). */
  delIfEquals(key: string, value: string): Promise<void>;
  /** Keys matching a glob pattern (SCAN), at most `limit`. */
  scan(pattern: string, limit: number): Promise<string[]>;
  /** Identifies the cache server's current life (Redis `run_id`): it changes when it restarts. */
  serverId(): Promise<string>;
  /** Remaining time to live in ms (-1 none, -2 missing). */
  ttl(key: string): Promise<number>;
  close(): Promise<void>;
}
