/**
 * `hot-key-stampede`: a new catalog version makes one hot offering cold, and 200 concurrent reads
 * of it hit every API instance at once while the source is slow. PostgreSQL's own statement
 * counters must show one load of that key and version (`stampede-bound`: one per API instance only
 * while the cache is unreachable).
 */
import { stampedeBound } from '../harness/checkers/stampede-bound.ts';
import { tenantIsolation } from '../harness/checkers/tenant-isolation.ts';
import { noopScenario, type Scenario } from '../harness/runner/scenario.ts';
import { browse, finalCacheReads, seedTenants } from '../harness/workload/cpq-steps.ts';
import { once, repeat, stagger, timeLimit } from '../harness/workload/generators.ts';
import { hotKeyBurst, slowSource } from '../harness/workload/stampede.ts';

/** The burst: concurrent reads of one key, with the source slowed by this much (ms). */
const BURST = { requests: 200, slowSourceMs: 300 };

export const hotKeyStampede: Scenario = {
  ...noopScenario,
  name: 'hot-key-stampede',
  family: 'cache',
  purpose: 'concurrent misses on one hot key cause one source load per key and version',
  tags: ['gate', 'cache', 'stampede'],
  checkers: [stampedeBound, tenantIsolation],
  faultNames: ['proxy-latency (api-postgres, during the burst)'],
  workloadFaults: [slowSource(BURST.slowSourceMs)],
  tenants: 2,
  timeLimitS: 3,
  concurrency: 4,
  setup: (ctx) => seedTenants(ctx),
  workload: (ctx) => [
    { name: 'warm-up', gen: timeLimit(ctx.timeLimitMs, stagger(20, repeat(browse(ctx)))) },
    {
      name: 'burst',
      concurrency: 1,
      gen: once(() => hotKeyBurst(ctx, { tenant: ctx.tenants[0] as string, ...BURST })),
    },
  ],
  finalReads: finalCacheReads,
};
