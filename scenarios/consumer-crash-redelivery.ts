/**
 * `consumer-crash-redelivery`: the billing consumer crashes right after applying an `OrderCreated`
 * — its effect and inbox row committed — but before committing the Kafka offset, in a seeded window
 * while orders are converted. Kafka redelivers the event to the restarted consumer; the inbox must
 * absorb it: one billing effect per order, no event lost, one order per quote.
 */
import { effectsExactlyOnce } from '../harness/checkers/effects-exactly-once.ts';
import { noLostEvents } from '../harness/checkers/no-lost-events.ts';
import { singleOrderPerQuote } from '../harness/checkers/single-order-per-quote.ts';
import { failpointCrash } from '../harness/faults/failpoint-faults.ts';
import { windowed } from '../harness/faults/schedule.ts';
import { noopScenario, type Scenario } from '../harness/runner/scenario.ts';
import { orderTraffic, prepareAcceptedQuotes } from '../harness/workload/convert-steps.ts';
import { seedTenants } from '../harness/workload/cpq-steps.ts';

const FAILPOINT = 'consumer.after-effect-before-commit';

export const consumerCrashRedelivery: Scenario = {
  ...noopScenario,
  name: 'consumer-crash-redelivery',
  family: 'messaging',
  purpose:
    'a consumer that crashes after its effect, before its offset commit, is redelivered the event and applies it once',
  tags: ['gate', 'messaging'],
  checkers: [effectsExactlyOnce, noLostEvents, singleOrderPerQuote],
  faultNames: [`failpoint-crash (consumers: ${FAILPOINT}, billing)`],
  requires: [{ component: 'consumers', abilities: ['kill', 'failpoints'], failpoints: [FAILPOINT] }],
  tenants: 1,
  timeLimitS: 10,
  concurrency: 4,
  setup: async (ctx) => {
    await seedTenants(ctx);
    await prepareAcceptedQuotes(ctx, 30, { parallel: 4, flow: { discounts: [0, 5], priceToSubmitMs: [0, 10] } });
  },
  workload: (ctx) => [orderTraffic(ctx, 3)],
  faults: windowed(failpointCrash('consumers', FAILPOINT, { consumer: 'billing' }), {
    // One crash: its heal restarts the consumers, which rejoin once Kafka gives up on the dead member (~10 s).
    windows: 1,
    minMs: 2500,
    maxMs: 4000,
  }),
};
