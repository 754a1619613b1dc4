/**
 * `publish-storm`: every couple of seconds a tenant publishes a dozen catalog or price-list versions
 * back to back while readers on every API instance keep reading — invalidation events arrive in
 * bursts, pointers move many versions at once. Reads must stay within the staleness budget and carry
 * only their own tenant's data, and every instance must answer after.
 */
import { availableAfterRecovery } from '../harness/checkers/available-after-recovery.ts';
import { boundedStaleness } from '../harness/checkers/bounded-staleness.ts';
import { tenantIsolation } from '../harness/checkers/tenant-isolation.ts';
import { noopScenario, type Scenario } from '../harness/runner/scenario.ts';
import { browse, finalCacheReads, seedTenants } from '../harness/workload/cpq-steps.ts';
import { either, onWorkers, repeat, stagger, timeLimit, type Step } from '../harness/workload/generators.ts';
import { publishStorm } from '../harness/workload/shapes.ts';

/** A storm of `count` versions of one domain for a random tenant. */
const storm =
  (ctx: Parameters<Scenario['setup']>[0], count: number): Step =>
  (w) =>
    publishStorm(ctx, w.random.pick(ctx.tenants), w.random.pick(['catalog', 'pricing'] as const), count)(w);

export const publishStormScenario: Scenario = {
  ...noopScenario,
  name: 'publish-storm',
  family: 'cache',
  purpose: 'bursts of publishes under reads on every instance: reads stay within the budget and their tenant',
  tags: ['nightly', 'cache'],
  checkers: [boundedStaleness, tenantIsolation, availableAfterRecovery],
  tenants: 2,
  timeLimitS: 10,
  concurrency: 12,
  setup: (ctx) => seedTenants(ctx),
  workload: (ctx) => [
    {
      name: 'storms',
      gen: timeLimit(
        ctx.timeLimitMs,
        either(
          onWorkers((p) => p === 0, stagger(1500, repeat(storm(ctx, 12)))),
          onWorkers((p) => p !== 0, stagger(10, repeat(browse(ctx)))),
        ),
      ),
    },
  ],
  finalReads: finalCacheReads,
};
