/**
 * `consumer-crash-redelivery`: the billing consumer crashes right after applying an `OrderCreated`
 * — its effect and inbox row committed — but before committing the Kafka offset, in a seeded window
 * while orders are converted. Kafka redelivers the event to the restarted consumer; the inbox must
 * absorb it: one billing effect per order, no event lost, one order per quote.
 */
import { failpointCrash } from '../harness/faults/failpoint-faults.ts';
import { windowed } from '../harness/faults/schedule.ts';
import type { Scenario } from '../harness/runner/scenario.ts';
import { messagingScenario } from './messaging-base.ts';

const FAILPOINT = 'consumer.after-effect-before-commit';

export const consumerCrashRedelivery: Scenario = {
  ...messagingScenario,
  name: 'consumer-crash-redelivery',
  purpose:
    'a consumer that crashes after its effect, before its offset commit, is redelivered the event and applies it once',
  tags: ['gate', 'messaging'],
  faultNames: [`failpoint-crash (consumers: ${FAILPOINT}, billing)`],
  requires: [{ component: 'consumers', abilities: ['kill', 'failpoints'], failpoints: [FAILPOINT] }],
  timeLimitS: 10,
  faults: windowed(failpointCrash('consumers', FAILPOINT, { consumer: 'billing' }), {
    // One crash: its heal restarts the consumers, which rejoin once Kafka gives up on the dead member (~10 s).
    windows: 1,
    minMs: 2500,
    maxMs: 4000,
  }),
};
