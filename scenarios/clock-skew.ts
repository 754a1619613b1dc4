/**
 * `clock-skew`: one API instance's wall clock jumps ten minutes back (an NTP step, a VM restored)
 * while the API instances have lost their event feed from Kafka, and publishes go on. The instance
 * can then keep its cached version pointers fresh only by their age: an age read from the wall
 * clock never grows after the jump, so the pointers it cached before would never expire. Reads must
 * stay within the staleness budget all the same — neither fault excuses a stale read — and no
 * submit may commit on a superseded version.
 */
import { availableAfterRecovery } from '../harness/checkers/available-after-recovery.ts';
import { boundedStaleness } from '../harness/checkers/bounded-staleness.ts';
import { noStaleSubmit } from '../harness/checkers/no-stale-submit.ts';
import { clockSkew } from '../harness/faults/clock-faults.ts';
import { allOf } from '../harness/faults/fault.ts';
import { proxyDisable } from '../harness/faults/network-faults.ts';
import { windowed } from '../harness/faults/schedule.ts';
import { noopScenario, type Scenario } from '../harness/runner/scenario.ts';
import { finalCacheReads, mainPhase, seedTenants } from '../harness/workload/cpq-steps.ts';

/** api-1 ten minutes behind, and no instance hearing publish events. */
const clockBehindWithoutEvents = allOf('clock-skew', 'api-1+api-kafka', [
  proxyDisable('api-kafka'),
  clockSkew('api-1', -600_000),
]);

export const clockSkewScenario: Scenario = {
  ...noopScenario,
  name: 'clock-skew',
  family: 'cache',
  purpose: 'an API instance whose clock jumps back keeps its reads within the staleness budget',
  tags: ['gate', 'cache'],
  checkers: [boundedStaleness, noStaleSubmit, availableAfterRecovery],
  faultNames: ['clock-skew (api-1 −10 min, with proxy-disable api→kafka)'],
  requires: [{ component: 'api-1', abilities: ['clock'] }],
  tenants: 2,
  timeLimitS: 13,
  concurrency: 8,
  parameters: { stalenessKeptThrough: ['clock-skew', 'proxy-disable:api-kafka'] },
  setup: (ctx) => seedTenants(ctx),
  workload: (ctx) => [mainPhase(ctx, { publish: ['pricing', 'catalog'], publishEveryMs: 700, quotes: 1, browse: 3 })],
  // Well past the budget: a pointer cached before the jump would stay for all of it.
  faults: windowed(clockBehindWithoutEvents, { windows: 1, minMs: 9000, maxMs: 10_000, gapMs: 1500 }),
  finalReads: finalCacheReads,
};
