/**
 * `publish-stampede`: the top-of-the-hour case — many clients keep reading a hot price when a new
 * price list lands, so all of them miss on the new version at once, with the source slow. Source
 * loads of the new version (counted by PostgreSQL) must stay at one per key and version,
 * and readers must move to the new price within the staleness budget.
 */
import { boundedStaleness } from '../harness/checkers/bounded-staleness.ts';
import { stampedeBound } from '../harness/checkers/stampede-bound.ts';
import { noopScenario, type Scenario, type ScenarioContext } from '../harness/runner/scenario.ts';
import { num } from '../harness/core/vocabulary.ts';
import { finalCacheReads, seedTenants } from '../harness/workload/cpq-steps.ts';
import { publishNext } from '../harness/workload/publish-rounds.ts';
import { either, onWorkers, once, repeat, sleep, stagger, timeLimit } from '../harness/workload/generators.ts';
import { recordStampede, slowSource } from '../harness/workload/stampede.ts';
import { OFFERING_IDS } from '../harness/workload/tenant-data.ts';

/** How much the source is slowed around the publish (ms). */
const SLOW_SOURCE_MS = 300;

const HOT = OFFERING_IDS[0];

/** The source slowed around the publish (started and healed by the conductor). */
const slowPublish = slowSource(SLOW_SOURCE_MS);

/** Worker 0: waits, slows the source, publishes, lets the readers stampede, measures, heals. */
async function conductor(ctx: ScenarioContext): Promise<void> {
  const tenant = ctx.tenants[0] as string;
  await sleep(ctx.timeLimitMs * 0.3, ctx.signal);
  await ctx.inject(slowPublish, 'start');
  const first = ctx.history.history.length;
  const before = await ctx.reads.sourceLoads('price');
  const published = await publishNext(ctx, 'conductor', tenant, 'pricing');
  await sleep(3000, ctx.signal);
  const loads = (await ctx.reads.sourceLoads('price')) - before;
  await ctx.inject(slowPublish, 'stop');
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
  purpose: 'a price list landing under heavy reads costs one source load per key and version',
  tags: ['gate', 'cache', 'stampede'],
  checkers: [stampedeBound, boundedStaleness],
  faultNames: ['proxy-latency (api-postgres, around the publish)'],
  workloadFaults: [slowPublish],
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
