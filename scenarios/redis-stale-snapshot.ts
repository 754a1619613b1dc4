/**
 * `redis-stale-snapshot`: Redis is snapshotted, publishes move on, then Redis is restarted from that
 * older snapshot — resurrecting old version pointers and payloads. The system must not let the
 * resurrected pointers turn into stale answers after the heal or into stale commitments ever.
 */
import { boundedStaleness } from '../harness/checkers/bounded-staleness.ts';
import { noApprovalBypass } from '../harness/checkers/no-approval-bypass.ts';
import { noStaleSubmit } from '../harness/checkers/no-stale-submit.ts';
import { noopScenario, type Scenario } from '../harness/runner/scenario.ts';
import { redisStaleSnapshot } from '../harness/faults/cache-faults.ts';
import { windowed } from '../harness/faults/schedule.ts';
import { finalCacheReads, mainPhase, seedTenants } from '../harness/workload/cpq-steps.ts';

export const redisStaleSnapshotScenario: Scenario = {
  ...noopScenario,
  name: 'redis-stale-snapshot',
  family: 'cache',
  purpose: 'a Redis restored from an older snapshot never yields stale commitments or stale reads after quiesce',
  tags: ['gate', 'cache'],
  checkers: [noStaleSubmit, noApprovalBypass, boundedStaleness],
  faultNames: ['redis-stale-snapshot'],
  tenants: 3,
  timeLimitS: 12,
  concurrency: 8,
  setup: (ctx) => seedTenants(ctx, [20, 10]),
  workload: (ctx) => [
    mainPhase(ctx, {
      publish: ['pricing', 'catalog', 'policy'],
      publishEveryMs: 900,
      policyLimits: [20, 10],
      quotes: 2,
      browse: 1,
      flow: { discounts: [0, 15] },
    }),
  ],
  faults: windowed(redisStaleSnapshot, { windows: 1, minMs: 4000, maxMs: 6000 }),
  finalReads: finalCacheReads,
};
