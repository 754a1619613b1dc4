/**
 * `redis-outage`: Redis is taken away twice under a mixed workload — first refused (every Redis
 * proxy disabled: connections fail at once), then frozen (SIGSTOP: connections stay open and
 * nothing answers, so only a client's own timeout ends a call; longer than the harness's clients
 * wait for an answer). Every command inside either window
 * must still succeed or be refused for a business reason: Redis is an accelerator, never a
 * dependency of a commitment, and a frozen one must cost a timeout, not a hang. After each heal,
 * every entity is read through every instance once the recovery budget has passed.
 */
import { availabilityUnderCacheOutage } from '../harness/checkers/availability-under-cache-outage.ts';
import { availableAfterRecovery } from '../harness/checkers/available-after-recovery.ts';
import { boundedStaleness } from '../harness/checkers/bounded-staleness.ts';
import { noStaleSubmit } from '../harness/checkers/no-stale-submit.ts';
import { noopScenario, type Scenario } from '../harness/runner/scenario.ts';
import { redisOutage } from '../harness/faults/network-faults.ts';
import { redisPause } from '../harness/faults/process-faults.ts';
import { inTurn } from '../harness/faults/schedule.ts';
import { finalCacheReads, mainPhase, seedTenants } from '../harness/workload/cpq-steps.ts';
import { sweepingOn } from '../harness/workload/shapes.ts';

export const redisOutageScenario: Scenario = {
  ...noopScenario,
  name: 'redis-outage',
  family: 'cache',
  purpose: 'commands stay available and correct while Redis is unreachable, then frozen',
  tags: ['gate', 'cache'],
  checkers: [availabilityUnderCacheOutage, noStaleSubmit, boundedStaleness, availableAfterRecovery],
  faultNames: ['redis-outage', 'redis-pause'],
  tenants: 3,
  timeLimitS: 14,
  concurrency: 9,
  setup: (ctx) => seedTenants(ctx),
  workload: (ctx) => [
    sweepingOn(ctx, mainPhase(ctx, { publish: ['pricing'], publishEveryMs: 1500, quotes: 3, browse: 1 })),
  ],
  faults: inTurn([
    [redisOutage, { minMs: 2500, maxMs: 3500 }],
    // Longer than a client waits for an answer (5 s): a call with no timeout of its own hangs past it.
    [redisPause, { minMs: 6000, maxMs: 6500 }],
  ]),
  finalReads: finalCacheReads,
};
