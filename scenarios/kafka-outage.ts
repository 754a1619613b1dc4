/**
 * `kafka-outage`: the relay loses Kafka (its proxy disabled) while orders and quotes keep coming,
 * and, a few seconds into the outage — with a batch claimed and its send failing — the relay is
 * killed -9; it is started again once Kafka is back. Every event committed to the outbox must
 * still reach its topic (a relay that marks rows published before the broker has them loses them
 * here), and every order's billing must happen once, within a bounded drain after the heal.
 */
import { effectsExactlyOnce } from '../harness/checkers/effects-exactly-once.ts';
import { noLostEvents } from '../harness/checkers/no-lost-events.ts';
import { singleOrderPerQuote } from '../harness/checkers/single-order-per-quote.ts';
import { proxyDisable } from '../harness/faults/network-faults.ts';
import { componentKill } from '../harness/faults/process-faults.ts';
import { faultPackage } from '../harness/faults/schedule.ts';
import { noopScenario, type Scenario } from '../harness/runner/scenario.ts';
import { orderTraffic, prepareAcceptedQuotes } from '../harness/workload/convert-steps.ts';
import { seedTenants } from '../harness/workload/cpq-steps.ts';

export const kafkaOutage: Scenario = {
  ...noopScenario,
  name: 'kafka-outage',
  family: 'messaging',
  purpose:
    'events committed while the relay cannot reach Kafka, and the relay crashing then, all reach their topic and apply once',
  tags: ['gate', 'messaging'],
  checkers: [noLostEvents, effectsExactlyOnce, singleOrderPerQuote],
  faultNames: ['proxy-disable (relay-kafka)', 'relay-kill'],
  requires: [{ component: 'relay', abilities: ['kill'] }],
  tenants: 1,
  timeLimitS: 12,
  concurrency: 4,
  setup: async (ctx) => {
    await seedTenants(ctx);
    await prepareAcceptedQuotes(ctx, 30, { parallel: 4, flow: { discounts: [0, 5], priceToSubmitMs: [0, 10] } });
  },
  workload: (ctx) => [orderTraffic(ctx, 2)],
  faults: (ctx) => {
    // One outage of 6–8 s starting 1–2 s in; the relay dies 2.5–3.5 s into it and returns 0.5 s after it.
    const random = ctx.random.fork('faults');
    const start = random.int(1000, 2000);
    const end = Math.min(ctx.timeLimitMs - 1000, start + random.int(6000, 8000));
    const killAt = start + random.int(2500, 3500);
    return [
      faultPackage(proxyDisable('relay-kafka'), [
        { atMs: start, action: 'start' },
        { atMs: end, action: 'stop' },
      ]),
      faultPackage(componentKill('relay'), [
        { atMs: Math.min(killAt, end - 500), action: 'start' },
        { atMs: end + 500, action: 'stop' },
      ]),
    ];
  },
};
