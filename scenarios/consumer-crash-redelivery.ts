/**
 * `consumer-crash-redelivery`: the billing consumer crashes at both seams of its unit of work, one
 * after the other, while orders are converted — first after writing an `OrderCreated`'s effect and
 * before its inbox row is durable, then after both are committed and before its offset commit —
 * and is restarted after each. Kafka redelivers the event each time: what it wrote must have
 * committed with the inbox row or not at all, and the inbox must absorb the redelivery — one
 * billing effect per order, no event lost, one order per quote.
 */
import { failpointCrash } from '../harness/faults/failpoint-faults.ts';
import { inTurn } from '../harness/faults/schedule.ts';
import type { Scenario } from '../harness/runner/scenario.ts';
import { messagingScenario } from './messaging-base.ts';

const BEFORE_INBOX = 'consumer.after-effect-before-inbox';
const BEFORE_COMMIT = 'consumer.after-effect-before-commit';

export const consumerCrashRedelivery: Scenario = {
  ...messagingScenario,
  name: 'consumer-crash-redelivery',
  purpose:
    'a consumer that crashes between its effect and its inbox row, or before its offset commit, applies each event once',
  tags: ['gate', 'messaging'],
  faultNames: [
    `failpoint-crash (consumers: ${BEFORE_INBOX}, billing)`,
    `failpoint-crash (consumers: ${BEFORE_COMMIT}, billing)`,
  ],
  requires: [{ component: 'consumers', abilities: ['kill', 'failpoints'], failpoints: [BEFORE_INBOX, BEFORE_COMMIT] }],
  timeLimitS: 16,
  // Each heal restarts the consumers, which rejoin once Kafka gives up on the dead member (its session, ~6 s).
  faults: inTurn([
    [failpointCrash('consumers', BEFORE_INBOX, { consumer: 'billing' }), { minMs: 2000, maxMs: 3000 }],
    [failpointCrash('consumers', BEFORE_COMMIT, { consumer: 'billing' }), { minMs: 2000, maxMs: 3000 }],
  ]),
};
