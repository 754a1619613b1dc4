#!/usr/bin/env node
// Safe action: deletes the drill tenants' cache version pointers (cpq:{tenant}:{domain}:active-version),
// so the next read loads the active version from PostgreSQL and points the cache at it again.
// Payload keys stay (versioned, with a TTL); nothing of the source of truth is touched.
import { echo } from 'zx';
import Redis from 'ioredis';
import { drill, mark } from './lib.mjs';

const live = drill();
const redis = new Redis(live.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
await redis.connect();
let deleted = 0;
try {
  for (const tenant of live.tenants)
    for (const domain of ['catalog', 'pricing', 'policy'])
      deleted += await redis.del(`cpq:${tenant}:${domain}:active-version`);
  echo(`deleted ${deleted} cache version pointer(s) of ${live.tenants.length} tenant(s)`);
  mark(live, `action invalidate-cache: ${deleted} pointer(s)`);
} finally {
  redis.disconnect();
}
