/**
 * `hot-key-stampede`: a new catalog version makes one hot offering cold, and 200 concurrent reads
 * of it hit every API instance at once while the source is slow. PostgreSQL's own statement
 * counters must show at most one load of that key per API instance.
 */
import { noopScenario, type Scenario } from '../harness/core/scenario.ts';
import { browse, finalCacheReads, seedTenants } from '../harness/workload/cpq-steps.ts';
import { once, repeat, stagger, timeLimit } from '../harness/workload/generators.ts';
import { hotKeyBurst } from '../harness/workload/stampede.ts';

/** How the reference system loads an offering (pg_stat_statements text, LIKE pattern). */
export const OFFERING_LOAD = 'select offering_id, name, family, active from catalog_offering%';

export const hotKeyStampede: Scenario = {
  ...noopScenario,
  name: 'hot-key-stampede',
  family: 'cache',
  purpose: 'concurrent misses on one hot key cause at most one source load per API instance',
  tags: ['gate', 'cache', 'stampede'],
  checkers: ['stampede-bound', 'tenant-isolation'],
  faultNames: ['proxy-latency (api-postgres, during the burst)'],
  parameters: { sourceStatement: OFFERING_LOAD, burstRequests: 200, slowSourceMs: 300 },
  tenants: 2,
  timeLimitS: 3,
  concurrency: 4,
  setup: (ctx) => seedTenants(ctx),
  workload: (ctx) => [
    { name: 'warm-up', gen: timeLimit(ctx.timeLimitMs, stagger(20, repeat(browse(ctx)))) },
    {
      name: 'burst',
      concurrency: 1,
      gen: once(() =>
        hotKeyBurst(ctx, {
          tenant: ctx.tenants[0] as string,
          requests: Number(ctx.finalState.burstRequests),
          sourceStatement: String(ctx.finalState.sourceStatement),
          slowSourceMs: Number(ctx.finalState.slowSourceMs),
        }),
      ),
    },
  ],
  finalReads: finalCacheReads,
};
