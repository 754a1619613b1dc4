/**
 * `stale-catalog-submit`: like stale-price-submit, for the catalog — a quote priced against catalog
 * version c must not be submitted once catalog c+1 was acknowledged, whatever the caches say.
 */
import { boundedStaleness } from '../harness/checkers/bounded-staleness.ts';
import { noStaleSubmit } from '../harness/checkers/no-stale-submit.ts';
import { noopScenario, type Scenario } from '../harness/runner/scenario.ts';
import { windowed } from '../harness/faults/schedule.ts';
import { staleCacheWindow } from '../harness/faults/process-faults.ts';
import { finalCacheReads, mainPhase, seedTenants } from '../harness/workload/cpq-steps.ts';

export const staleCatalogSubmit: Scenario = {
  ...noopScenario,
  name: 'stale-catalog-submit',
  family: 'cache',
  purpose: 'no quote is submitted against a catalog superseded before the submit, even while caches lag',
  tags: ['gate', 'cache'],
  checkers: [noStaleSubmit, boundedStaleness],
  faultNames: ['stale-cache-window'],
  requires: [{ component: 'invalidation', abilities: ['pause'] }],
  tenants: 3,
  timeLimitS: 12,
  concurrency: 8,
  setup: (ctx) => seedTenants(ctx),
  workload: (ctx) => [
    mainPhase(ctx, {
      publish: ['catalog'],
      publishEveryMs: 1200,
      quotes: 3,
      browse: 1,
      flow: { priceToSubmitMs: [100, 700] },
    }),
  ],
  faults: windowed(staleCacheWindow, { windows: 2, minMs: 2500, maxMs: 4000 }),
  finalReads: finalCacheReads,
};
