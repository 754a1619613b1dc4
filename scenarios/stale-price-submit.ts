/**
 * `stale-price-submit`: quotes are priced, a new price list lands, then they are submitted — while
 * the caches cannot learn of the new price list (invalidation frozen, API cut off from Kafka). A
 * submit that goes through at the superseded price is the wrong commitment this must never allow.
 */
import { noStaleSubmit } from '../harness/checkers/no-stale-submit.ts';
import { tenantIsolation } from '../harness/checkers/tenant-isolation.ts';
import { noopScenario, type Scenario } from '../harness/runner/scenario.ts';
import { windowed } from '../harness/faults/schedule.ts';
import { staleCacheWindow } from '../harness/faults/process-faults.ts';
import { finalCacheReads, mainPhase, seedTenants } from '../harness/workload/cpq-steps.ts';

export const stalePriceSubmit: Scenario = {
  ...noopScenario,
  name: 'stale-price-submit',
  family: 'cache',
  purpose: 'no quote is submitted at a price list superseded before the submit, even while caches lag',
  tags: ['gate', 'cache'],
  checkers: [noStaleSubmit, tenantIsolation],
  faultNames: ['stale-cache-window'],
  requires: [{ component: 'invalidation', abilities: ['pause'] }],
  tenants: 3,
  timeLimitS: 14,
  concurrency: 8,
  setup: (ctx) => seedTenants(ctx),
  workload: (ctx) => [
    mainPhase(ctx, {
      publish: ['pricing'],
      publishEveryMs: 1200,
      quotes: 1,
      browse: 0,
      flow: { priceToSubmitMs: [100, 700] },
    }),
  ],
  faults: windowed(staleCacheWindow, { windows: 2, minMs: 2500, maxMs: 4500 }),
  finalReads: finalCacheReads,
};
