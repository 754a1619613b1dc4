/**
 * `kafka-outage-beyond-retries`: the relay cannot reach Kafka at all (its proxy refuses
 * connections) for longer than its client keeps retrying a send — twice the system's declared
 * `kafka-producer` budget, plus a second — while orders and quotes keep committing. Sends really
 * fail, more than once, so the relay's handling of a send it gave up on runs (a brief outage heals
 * inside the retries and never reaches it). Every committed event must still reach its topic once
 * Kafka is back and apply once; every request must be answered once the system recovered.
 */
import { proxyDisable } from '../harness/faults/network-faults.ts';
import { windowed } from '../harness/faults/schedule.ts';
import type { Scenario } from '../harness/runner/scenario.ts';
import { orderTraffic } from '../harness/workload/convert-steps.ts';
import { sweepingOn } from '../harness/workload/shapes.ts';
import { messagingScenario } from './messaging-base.ts';

export const kafkaOutageBeyondRetries: Scenario = {
  ...messagingScenario,
  name: 'kafka-outage-beyond-retries',
  purpose: 'sends the relay gave up on during a broker outage longer than its retries are sent later, none lost',
  tags: ['gate', 'messaging'],
  faultNames: ['proxy-disable (relay→kafka), longer than the kafka-producer budget'],
  timeLimitS: 14,
  workload: (ctx) => [sweepingOn(ctx, orderTraffic(ctx, 2), 2)],
  faults: windowed(proxyDisable('relay-kafka'), {
    windows: 1,
    minMs: 0,
    maxMs: 0,
    gapMs: 1000,
    // Twice the budget and a second: sends fail at least twice, not once by a whisker.
    outlast: { budget: 'kafka-producer', factor: 2 },
    // The last 5.5 s without the fault: the sweep after the heal is judged for recovery.
    quietEndMs: 5500,
  }),
};
