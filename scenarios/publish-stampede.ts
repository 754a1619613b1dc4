/**
 * `publish-stampede`: the top-of-the-hour case — many clients keep reading a hot price when a new
 * price list lands, so all of them miss on the new version at once, with the source slow. Source
 * loads of the new version (counted by PostgreSQL) must stay at or below one per API instance,
 * and readers must move to the new price within the staleness budget.
 */
import { noopScenario, type Scenario, type ScenarioContext } from '../harness/core/scenario.ts';
import { num } from '../harness/core/vocabulary.ts';
import { finalCacheReads, publishNext, seedTenants } from '../harness/workload/cpq-steps.ts';
import { either, onWorkers, once, repeat, sleep, stagger, timeLimit } from '../harness/workload/generators.ts';
import { recordStampede, slowSource, sourceLoads } from '../harness/workload/stampede.ts';
import { OFFERING_IDS } from '../harness/workload/tenant-data.ts';

/** How the reference system loads unit prices (pg_stat_statements text, LIKE pattern). */
export const PRICE_LOAD = 'select offering_id, unit_price_cents from price_entry%';

const HOT = OFFERING_IDS[0];

/** Worker 0: waits, slows the source, publishes, lets the readers stampede, measures, heals. */
async function conductor(ctx: ScenarioContext): Promise<void> {
  const tenant = ctx.tenants[0] as string;
  await sleep(ctx.timeLimitMs * 0.3, ctx.signal);
  const pattern = String(ctx.finalState.sourceStatement);
  const fault = slowSource(Number(ctx.finalState.slowSourceMs));
  await ctx.inject(fault, 'start');
  const first = ctx.history.history.length;
  const before = await sourceLoads(ctx.db, pattern);
  const published = await publishNext(ctx, 'conductor', tenant, 'pricing');
  await sleep(3000, ctx.signal);
  const loads = (await sourceLoads(ctx.db, pattern)) - before;
  await ctx.inject(fault, 'stop');
  const during = ctx.history.history.slice(first).filter((op) => op.f === 'read-price' && op.type !== 'invoke');
  recordStampede(ctx, {
    key: `${tenant}:pricing:${HOT}`,
    version: num(published.value.version),
    loads,
    instances: ctx.apiUrls.length,
    requests: during.length,
    okRequests: during.filter((op) => op.type === 'ok').length,
    ops: [first, ctx.history.history.length - 1],
  });
}

export const publishStampede: Scenario = {
  ...noopScenario,
  name: 'publish-stampede',
  family: 'cache',
  purpose: 'a price list landing under heavy reads costs at most one source load per API instance',
  tags: ['gate', 'cache', 'stampede'],
  checkers: ['stampede-bound', 'bounded-staleness'],
  faultNames: ['proxy-latency (api-postgres, around the publish)'],
  parameters: { sourceStatement: PRICE_LOAD, slowSourceMs: 300, stalenessBudgetMs: 6000 },
  tenants: 2,
  timeLimitS: 8,
  concurrency: 17,
  setup: (ctx) => seedTenants(ctx),
  workload: (ctx) => [
    {
      name: 'main',
      gen: either(
        onWorkers(
          (p) => p === 0,
          once(() => conductor(ctx)),
        ),
        onWorkers(
          (p) => p !== 0,
          timeLimit(
            ctx.timeLimitMs,
            stagger(
              5,
              repeat(async (w) => void (await ctx.ops(w.process).readPrice(ctx.tenants[0] as string, HOT))),
            ),
          ),
        ),
      ),
    },
  ],
  finalReads: finalCacheReads,
};
