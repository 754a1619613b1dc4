/**
 * `tenant-collision`: four tenants use the same offering ids with different names and prices, and
 * are read and republished side by side. No response to one tenant may carry another's data — the
 * collision a tenantless cache key would cause.
 */
import { boundedStaleness } from '../harness/checkers/bounded-staleness.ts';
import { tenantIsolation } from '../harness/checkers/tenant-isolation.ts';
import { noopScenario, type Scenario } from '../harness/runner/scenario.ts';
import { finalCacheReads, mainPhase, seedTenants } from '../harness/workload/cpq-steps.ts';

export const tenantCollision: Scenario = {
  ...noopScenario,
  name: 'tenant-collision',
  family: 'cache',
  purpose: 'tenants sharing offering ids never see each other’s names or prices',
  tags: ['gate', 'cache', 'tenancy'],
  checkers: [tenantIsolation, boundedStaleness],
  tenants: 4,
  timeLimitS: 8,
  concurrency: 8,
  setup: (ctx) => seedTenants(ctx),
  workload: (ctx) => [mainPhase(ctx, { publish: ['pricing', 'catalog'], publishEveryMs: 1000, quotes: 1, browse: 4 })],
  finalReads: finalCacheReads,
};
