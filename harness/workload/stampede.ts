/**
 * Stampedes and their measurement: many concurrent misses on one key, with the source loads counted
 * by PostgreSQL itself (pg_stat_statements, through `directUrl`) — never by the service. The source
 * is slowed through Toxiproxy for the duration (an injected, recorded fault), because 3 ms loads
 * never overlap; a stampede only matters when the source is slow, as under real load.
 */
import type pg from 'pg';
import type { StampedeMeasurement } from '../checkers/stampede-bound.ts';
import type { ScenarioContext } from '../core/scenario.ts';
import { num } from '../core/vocabulary.ts';
import { proxyToxic } from '../faults/network-faults.ts';
import { publishNext } from './cpq-steps.ts';
import { sleep } from './generators.ts';
import { OFFERING_IDS } from './tenant-data.ts';

/** Executions of statements matching `pattern` (SQL LIKE) so far, per pg_stat_statements (`db`: direct). */
export async function sourceLoads(db: pg.Pool, pattern: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'select coalesce(sum(calls), 0)::int as n from pg_stat_statements where query like $1',
    [pattern],
  );
  return rows[0]?.n ?? 0;
}

/** Latency on the API's path to PostgreSQL while a stampede runs. */
export const slowSource = (latencyMs: number) =>
  proxyToxic('api-postgres', 'latency', { latency: latencyMs, jitter: 0 });

/** Records a measurement for `stampede-bound`. */
export function recordStampede(ctx: ScenarioContext, measurement: StampedeMeasurement): void {
  const list = (ctx.finalState.stampedes as StampedeMeasurement[] | undefined) ?? [];
  list.push(measurement);
  ctx.finalState.stampedes = list;
}

export interface BurstOptions {
  tenant: string;
  /** Concurrent reads of the one key. */
  requests: number;
  /** How the system under test loads an offering from its source (pg_stat_statements LIKE pattern). */
  sourceStatement: string;
  slowSourceMs: number;
}

/**
 * The hot-key case: a new catalog version is published (so its keys are cold), every API instance
 * learns the version (by reading another offering until it answers with it), then `requests`
 * concurrent reads of one offering hit all instances at once.
 */
export async function hotKeyBurst(ctx: ScenarioContext, options: BurstOptions): Promise<void> {
  const { tenant } = options;
  const published = await publishNext(ctx, 'stampede', tenant, 'catalog');
  const version = num(published.value.version);
  if (published.type !== 'ok' || version === undefined) throw new Error('the stampede publish failed');
  const [warm, hot] = [OFFERING_IDS[0], OFFERING_IDS[OFFERING_IDS.length - 1]] as [string, string];
  for (const [i] of ctx.apiUrls.entries()) {
    const ops = ctx.ops(`warm-${i}`, i);
    for (let attempt = 0; attempt < 50; attempt++) {
      const read = await ops.readOffering(tenant, warm);
      if (num(read.value.catalogVersion) === version) break;
      await sleep(100);
    }
  }
  const before = await sourceLoads(ctx.db, options.sourceStatement);
  const fault = slowSource(options.slowSourceMs);
  await ctx.inject(fault, 'start');
  const first = ctx.history.history.length;
  let reads;
  try {
    reads = await Promise.all(
      Array.from({ length: options.requests }, (_, i) =>
        ctx.ops(1000 + i, i % ctx.apiUrls.length).readOffering(tenant, hot),
      ),
    );
  } finally {
    await ctx.inject(fault, 'stop');
  }
  const loads = (await sourceLoads(ctx.db, options.sourceStatement)) - before;
  recordStampede(ctx, {
    key: `${tenant}:catalog:${hot}`,
    version,
    loads,
    instances: ctx.apiUrls.length,
    requests: options.requests,
    okRequests: reads.filter((r) => r.type === 'ok').length,
    ops: [first, ctx.history.history.length - 1],
  });
}
