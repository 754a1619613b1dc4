/**
 * `hot-key-stampede`: a new catalog version makes one hot offering cold, and 200 concurrent reads
 * of it hit every API instance at once while the source is slow. PostgreSQL's own statement
 * counters must show at most one load of that key per API instance.
 */
import { stampedeBound } from '../harness/checkers/stampede-bound.ts';
import { tenantIsolation } from '../harness/checkers/tenant-isolation.ts';
import { noopScenario, type Scenario } from '../harness/runner/scenario.ts';
import { browse, finalCacheReads, seedTenants } from '../harness/workload/cpq-steps.ts';
import { once, repeat, stagger, timeLimit } from '../harness/workload/generators.ts';
import { hotKeyBurst } from '../harness/workload/stampede.ts';

/** The burst: concurrent reads of one key, with the source slowed by this much (ms). */
const BURST = { requests: 200, slowSourceMs: 300 };

export const hotKeyStampede: Scenario = {
  ...noopScenario,
  name: 'hot-key-stampede',
  family: 'cache',
  purpose: 'concurrent misses on one hot key cause at most one source load per API instance',
  tags: ['gate', 'cache', 'stampede'],
  checkers: [stampedeBound, tenantIsolation],
  faultNames: ['proxy-latency (api-postgres, during the burst)'],
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
