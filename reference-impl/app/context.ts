/**
 * What the application services of one process need, passed in (no globals): the store, the
 * cache, the reference-data reader, planted bugs, metrics, failpoints, and time and ids as ports.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Store } from '../ports/store.ts';
import type { Bugs } from './bugs.ts';
import type { CacheKeys } from './cache-keys.ts';
import type { DegradingCache } from './degrading-cache.ts';
import type { Failpoints } from './failpoints.ts';
import type { Metrics } from './metrics.ts';
import type { ReferenceDataReader } from './reference-data.ts';

/** Time and ids as ports, so tests can fix them. */
export interface Clock {
  now(): Date;
}

export interface AppContext {
  store: Store;
  cache: DegradingCache;
  keys: CacheKeys;
  reader: ReferenceDataReader;
  bugs: Bugs;
  metrics: Metrics;
  failpoints: Failpoints;
  clock: Clock;
  newId(): string;
  log: Logger;
}

export const systemClock: Clock = { now: () => new Date() };
export const newUuid = (): string => randomUUID();
