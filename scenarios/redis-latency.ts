/**
 * `redis-latency`: the API's path to Redis gets slow (latency drawn from the seed, 100–1000 ms) in
 * two windows. A slow cache must degrade to the source, not to wrong or stale answers.
 */
import { boundedStaleness } from '../harness/checkers/bounded-staleness.ts';
import { noStaleSubmit } from '../harness/checkers/no-stale-submit.ts';
import { tenantIsolation } from '../harness/checkers/tenant-isolation.ts';
import { noopScenario, type Scenario } from '../harness/runner/scenario.ts';
import { proxyToxic } from '../harness/faults/network-faults.ts';
import { windowed } from '../harness/faults/schedule.ts';
import { finalCacheReads, mainPhase, seedTenants } from '../harness/workload/cpq-steps.ts';

export const redisLatency: Scenario = {
  ...noopScenario,
  name: 'redis-latency',
  family: 'cache',
  purpose: 'a slow Redis degrades to the source without stale answers or stale commitments',
  tags: ['gate', 'cache'],
  checkers: [noStaleSubmit, boundedStaleness, tenantIsolation],
  faultNames: ['proxy-latency'],
  tenants: 3,
  timeLimitS: 12,
  concurrency: 8,
  setup: (ctx) => seedTenants(ctx),
  workload: (ctx) => [mainPhase(ctx, { publish: ['pricing', 'catalog'], publishEveryMs: 1500, quotes: 1, browse: 2 })],
  faults: windowed(proxyToxic('api-redis', 'latency'), { windows: 2, minMs: 2000, maxMs: 4000 }),
  finalReads: finalCacheReads,
};
