/**
 * `redis-restart`: Redis is killed (-9) and comes back empty, twice, under a mixed workload. Losing
 * the cache must lose no business data, stop no command, and never serve or commit a stale version.
 */
import { availabilityUnderCacheOutage } from '../harness/checkers/availability-under-cache-outage.ts';
import { boundedStaleness } from '../harness/checkers/bounded-staleness.ts';
import { noStaleSubmit } from '../harness/checkers/no-stale-submit.ts';
import { noopScenario, type Scenario } from '../harness/runner/scenario.ts';
import { redisKill } from '../harness/faults/process-faults.ts';
import { windowed } from '../harness/faults/schedule.ts';
import { finalCacheReads, mainPhase, seedTenants } from '../harness/workload/cpq-steps.ts';

export const redisRestart: Scenario = {
  ...noopScenario,
  name: 'redis-restart',
  family: 'cache',
  purpose: 'commands keep working and nothing stale is served or committed when Redis restarts empty',
  tags: ['gate', 'cache'],
  checkers: [availabilityUnderCacheOutage, noStaleSubmit, boundedStaleness],
  faultNames: ['redis-kill'],
  tenants: 3,
  timeLimitS: 12,
  concurrency: 8,
  setup: (ctx) => seedTenants(ctx),
  workload: (ctx) => [mainPhase(ctx, { publish: ['pricing', 'catalog'], publishEveryMs: 1500, quotes: 2, browse: 1 })],
  faults: windowed(redisKill, { windows: 2, minMs: 2000, maxMs: 3500 }),
  finalReads: finalCacheReads,
};
