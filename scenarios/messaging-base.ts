/**
 * What the messaging family's scenarios share: accepted quotes prepared before the workload, order
 * traffic (converts under every idempotency outcome beside new quote lifecycles) while the fault
 * hits, and the whole chain judged — one order per quote, one outcome per key, every committed
 * event on its topic, every order billed once, and every request answered again once the system has
 * had its recovery budget after a heal. A scenario spreads this and names its faults.
 */
import { availableAfterRecovery } from '../harness/checkers/available-after-recovery.ts';
import { effectsExactlyOnce } from '../harness/checkers/effects-exactly-once.ts';
import { idempotentReplay } from '../harness/checkers/idempotent-replay.ts';
import { noLostEvents } from '../harness/checkers/no-lost-events.ts';
import { singleOrderPerQuote } from '../harness/checkers/single-order-per-quote.ts';
import { noopScenario, type Scenario } from '../harness/runner/scenario.ts';
import { orderTraffic, prepareAcceptedQuotes } from '../harness/workload/convert-steps.ts';
import { seedTenants } from '../harness/workload/cpq-steps.ts';

/** The base of a messaging scenario (spread it, then set name, purpose, faults, requires). */
export const messagingScenario: Scenario = {
  ...noopScenario,
  family: 'messaging',
  tags: ['nightly', 'messaging'],
  checkers: [noLostEvents, effectsExactlyOnce, singleOrderPerQuote, idempotentReplay, availableAfterRecovery],
  tenants: 1,
  timeLimitS: 12,
  concurrency: 5,
  setup: async (ctx) => {
    await seedTenants(ctx);
    await prepareAcceptedQuotes(ctx, 30, { parallel: 4, flow: { discounts: [0, 5], priceToSubmitMs: [0, 10] } });
  },
  workload: (ctx) => [orderTraffic(ctx, 2)],
};
