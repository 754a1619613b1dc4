/**
 * `long-lived-tenants`: tenants that have been publishing for a long time — a hundred versions of
 * their catalog, price lists and approval policy before the workload starts, so every version number
 * has crossed 9 → 10 and 99 → 100 — then the usual race: quotes priced, new versions published,
 * submits, while the caches cannot learn of publishes in seeded windows. Anything that compares
 * versions as text, or assumes few of them, shows here.
 */
import { boundedStaleness } from '../harness/checkers/bounded-staleness.ts';
import { noApprovalBypass } from '../harness/checkers/no-approval-bypass.ts';
import { noStaleSubmit } from '../harness/checkers/no-stale-submit.ts';
import { tenantIsolation } from '../harness/checkers/tenant-isolation.ts';
import { staleCacheWindow } from '../harness/faults/process-faults.ts';
import { windowed } from '../harness/faults/schedule.ts';
import { noopScenario, type Scenario } from '../harness/runner/scenario.ts';
import { finalCacheReads, mainPhase, seedTenants } from '../harness/workload/cpq-steps.ts';
import { seedHistory } from '../harness/workload/shapes.ts';

const POLICIES = [20, 10];

export const longLivedTenants: Scenario = {
  ...noopScenario,
  name: 'long-lived-tenants',
  family: 'cache',
  purpose: 'tenants with a hundred versions per domain: no stale submit, no approval bypass, no stale read',
  tags: ['nightly', 'cache'],
  checkers: [noStaleSubmit, noApprovalBypass, boundedStaleness, tenantIsolation],
  faultNames: ['stale-cache-window'],
  requires: [{ component: 'invalidation', abilities: ['pause'] }],
  tenants: 2,
  timeLimitS: 12,
  concurrency: 8,
  setup: async (ctx) => {
    await seedHistory(ctx, 100, POLICIES);
    await seedTenants(ctx, POLICIES);
  },
  workload: (ctx) => [
    mainPhase(ctx, {
      publish: ['pricing', 'catalog', 'policy'],
      publishEveryMs: 700,
      policyLimits: POLICIES,
      quotes: 2,
      browse: 1,
      flow: { discounts: [0, 15], priceToSubmitMs: [100, 600] },
    }),
  ],
  faults: windowed(staleCacheWindow, { windows: 2, minMs: 2000, maxMs: 3000 }),
  finalReads: finalCacheReads,
};
