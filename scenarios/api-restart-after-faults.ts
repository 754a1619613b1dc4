/**
 * `api-restart-after-faults`: API instances restarted — a fresh process, nothing in memory, no
 * floors from events it never saw — right after the cache and the database misbehaved: Redis is
 * restored from an older snapshot, then api-1 is restarted; PostgreSQL is killed and recovers, then
 * api-2 is restarted. A fresh instance must not trust what the cache resurrected, and both must
 * answer every request once the recovery budget has passed.
 */
import { availableAfterRecovery } from '../harness/checkers/available-after-recovery.ts';
import { boundedStaleness } from '../harness/checkers/bounded-staleness.ts';
import { noApprovalBypass } from '../harness/checkers/no-approval-bypass.ts';
import { noStaleSubmit } from '../harness/checkers/no-stale-submit.ts';
import { redisStaleSnapshot } from '../harness/faults/cache-faults.ts';
import { componentKill, postgresKill } from '../harness/faults/process-faults.ts';
import { inTurn } from '../harness/faults/schedule.ts';
import { noopScenario, type Scenario } from '../harness/runner/scenario.ts';
import { finalCacheReads, mainPhase, seedTenants } from '../harness/workload/cpq-steps.ts';
import { sweepingOn } from '../harness/workload/shapes.ts';

export const apiRestartAfterFaults: Scenario = {
  ...noopScenario,
  name: 'api-restart-after-faults',
  family: 'cache',
  purpose: 'API instances restarted after a stale cache restore and a database crash serve no stale data and answer',
  tags: ['nightly', 'cache'],
  checkers: [noStaleSubmit, noApprovalBypass, boundedStaleness, availableAfterRecovery],
  faultNames: ['redis-stale-snapshot', 'api-1-kill', 'postgres-kill', 'api-2-kill'],
  requires: [
    { component: 'api-1', abilities: ['kill'] },
    { component: 'api-2', abilities: ['kill'] },
  ],
  tenants: 3,
  timeLimitS: 20,
  concurrency: 8,
  setup: (ctx) => seedTenants(ctx, [20, 10]),
  workload: (ctx) => [
    sweepingOn(
      ctx,
      mainPhase(ctx, {
        publish: ['pricing', 'catalog', 'policy'],
        publishEveryMs: 900,
        policyLimits: [20, 10],
        quotes: 2,
        browse: 2,
        flow: { discounts: [0, 15] },
      }),
    ),
  ],
  faults: inTurn([
    [redisStaleSnapshot, { minMs: 3000, maxMs: 4000 }],
    [componentKill('api-1'), { minMs: 500, maxMs: 1000 }],
    [postgresKill, { minMs: 1500, maxMs: 2500 }],
    [componentKill('api-2'), { minMs: 500, maxMs: 1000 }],
  ]),
  finalReads: finalCacheReads,
};
