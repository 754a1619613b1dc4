/**
 * `redis-outage`: Redis keeps running but no component can reach it (every Redis proxy disabled),
 * in two windows. Every command inside them must still succeed or be refused for a
 * business reason: Redis is an accelerator, never a dependency of a commitment.
 */
import { availabilityUnderCacheOutage } from '../harness/checkers/availability-under-cache-outage.ts';
import { boundedStaleness } from '../harness/checkers/bounded-staleness.ts';
import { noStaleSubmit } from '../harness/checkers/no-stale-submit.ts';
import { noopScenario, type Scenario } from '../harness/runner/scenario.ts';
import { redisOutage } from '../harness/faults/network-faults.ts';
import { windowed } from '../harness/faults/schedule.ts';
import { finalCacheReads, mainPhase, seedTenants } from '../harness/workload/cpq-steps.ts';

export const redisOutageScenario: Scenario = {
  ...noopScenario,
  name: 'redis-outage',
  family: 'cache',
  purpose: 'commands stay available and correct while Redis is unreachable',
  tags: ['gate', 'cache'],
  checkers: [availabilityUnderCacheOutage, noStaleSubmit, boundedStaleness],
  faultNames: ['redis-outage'],
  tenants: 3,
  timeLimitS: 12,
  concurrency: 8,
  setup: (ctx) => seedTenants(ctx),
  workload: (ctx) => [mainPhase(ctx, { publish: ['pricing'], publishEveryMs: 1500, quotes: 3, browse: 1 })],
  faults: windowed(redisOutage, { windows: 2, minMs: 2500, maxMs: 4000 }),
  finalReads: finalCacheReads,
};
