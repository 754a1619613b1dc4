/**
 * `duplicate-convert`: accepted quotes converted the way real clients convert — a short timeout,
 * retries and concurrent duplicates with the same Idempotency-Key across API instances, a second
 * key, a key reused for another quote — while, in seeded windows, Redis is unreachable and the
 * API's database path is slow. Every quote must end with at most one order, every replay must
 * answer what the first answered, and a reused key must be refused.
 */
import { idempotentReplay } from '../harness/checkers/idempotent-replay.ts';
import { singleOrderPerQuote } from '../harness/checkers/single-order-per-quote.ts';
import { allOf } from '../harness/faults/fault.ts';
import { proxyToxic, redisOutage } from '../harness/faults/network-faults.ts';
import { windowed } from '../harness/faults/schedule.ts';
import { noopScenario, type Scenario } from '../harness/runner/scenario.ts';
import { seedTenants } from '../harness/workload/cpq-steps.ts';
import { convertStorm, prepareAcceptedQuotes } from '../harness/workload/convert-steps.ts';
import { repeat, stagger, timeLimit } from '../harness/workload/generators.ts';

/** Accepted quotes prepared before the workload: enough for its whole length. */
const QUOTES = 80;

/** Redis unreachable and 300 ms on the API's path to PostgreSQL, together. */
const cacheDownDatabaseSlow = allOf('redis-outage+slow-database', 'redis+api-postgres', [
  redisOutage,
  proxyToxic('api-postgres', 'latency', { latency: 300, jitter: 0 }),
]);

export const duplicateConvert: Scenario = {
  ...noopScenario,
  name: 'duplicate-convert',
  family: 'messaging',
  purpose: 'retried and concurrent converts make at most one order per quote and replay their first answer',
  tags: ['gate', 'messaging', 'idempotency'],
  checkers: [singleOrderPerQuote, idempotentReplay],
  faultNames: ['redis-outage+slow-database (redis-outage with proxy-latency api→postgres)'],
  tenants: 2,
  timeLimitS: 12,
  concurrency: 6,
  setup: async (ctx) => {
    await seedTenants(ctx);
    await prepareAcceptedQuotes(ctx, QUOTES, { parallel: 6, flow: { discounts: [0, 5], priceToSubmitMs: [0, 10] } });
  },
  workload: (ctx) => [
    {
      name: 'converts',
      // About one quote per worker a second: the prepared quotes last the whole workload and its windows.
      gen: timeLimit(ctx.timeLimitMs, stagger(1000, repeat(convertStorm(ctx)))),
    },
  ],
  faults: windowed(cacheDownDatabaseSlow, { windows: 2, minMs: 3000, maxMs: 4000 }),
};
