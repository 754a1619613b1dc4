/**
 * `invalidation-lag`: the invalidation consumer freezes (twice) while publishes continue and the
 * API instances still hear the events. Cached reads may lag a publish only within the budget, and
 * no read may ever carry an old version's content under a new version's label.
 */
import { boundedStaleness } from '../harness/checkers/bounded-staleness.ts';
import { tenantIsolation } from '../harness/checkers/tenant-isolation.ts';
import { noopScenario, type Scenario } from '../harness/runner/scenario.ts';
import { componentPause } from '../harness/faults/process-faults.ts';
import { windowed } from '../harness/faults/schedule.ts';
import { finalCacheReads, mainPhase, seedTenants } from '../harness/workload/cpq-steps.ts';

export const invalidationLag: Scenario = {
  ...noopScenario,
  name: 'invalidation-lag',
  family: 'cache',
  purpose: 'reads stay within the staleness budget and honestly labelled while invalidation lags',
  tags: ['gate', 'cache'],
  checkers: [boundedStaleness, tenantIsolation],
  faultNames: ['invalidation-pause'],
  requires: [{ component: 'invalidation', abilities: ['pause'] }],
  tenants: 3,
  timeLimitS: 12,
  concurrency: 8,
  setup: (ctx) => seedTenants(ctx),
  workload: (ctx) => [mainPhase(ctx, { publish: ['pricing', 'catalog'], publishEveryMs: 800, quotes: 0, browse: 1 })],
  faults: windowed(componentPause('invalidation'), { windows: 2, minMs: 2500, maxMs: 4000 }),
  finalReads: finalCacheReads,
};
