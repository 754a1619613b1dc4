/**
 * Stampedes and their measurement: many concurrent misses on one key, with the source loads counted
 * by the source itself (the system's `reads.sourceLoads`, pg_stat_statements through `directUrl`) —
 * never by the service. The source
 * is slowed through Toxiproxy for the duration (an injected, recorded fault), because 3 ms loads
 * never overlap; a stampede only matters when the source is slow, as under real load.
 */
import { bounded } from '../core/bounded.ts';
import type { StampedeMeasurement } from '../core/final-state.ts';
import { num } from '../core/vocabulary.ts';
import { proxyToxic } from '../faults/network-faults.ts';
import type { WorkloadContext } from './context.ts';
import { publishNext } from './publish-rounds.ts';
import { sleep } from './generators.ts';
import { OFFERING_IDS } from './tenant-data.ts';

/** Latency on the API's path to PostgreSQL while a stampede runs. */
export const slowSource = (latencyMs: number) =>
  proxyToxic('api-postgres', 'latency', { latency: latencyMs, jitter: 0 });

/** How long every instance gets to learn a stampede's new catalog version before the burst. */
const WARM_MS = 10_000;

/**
 * How long a measurement may take (a burst of 5 s reads, two counts): it holds every sequence run at
 * once, and a count waits on PostgreSQL, which another sequence may have paused — whose heal, a step
 * of that sequence, waits for the measurement's turn. Past this, the stampede measures nothing.
 */
const MEASURE_MS = 20_000;

/**
 * How long the first source-load count may take (one `pg_stat_statements` sum on the direct URL,
 * milliseconds when PostgreSQL runs). One that does not answer in time means PostgreSQL is frozen
 * by another sequence's fault: the measurement could only run out its bound holding every sequence
 * (four stampedes queued behind a pause held twelve sequences for 84 s), so it gives its turn back.
 */
const COUNT_MS = 3_000;

/**
 * Counts that did not answer within their bound and are still pending, per source (the system's
 * `reads`, one per system, shared by every sequence run at once): while one is, the source is frozen
 * and every other measurement that gets its turn alone gives it back at once — four stampedes queued
 * behind a pause each waited out their 3 s count in turn, holding twelve sequences for 16 s. Dropped
 * when the count answers (the source runs again), or after `STALL_MAX_MS` whatever happens to it.
 */
const unanswered = new WeakMap<object, Promise<void>>();
const STALL_MAX_MS = 30_000;

/** Marks `source` frozen until `count` settles (or `STALL_MAX_MS` pass). */
function markUnanswered(source: object, count: Promise<unknown>): void {
  let timer: NodeJS.Timeout | undefined;
  const cleared = Promise.race([
    count.then(
      () => undefined,
      () => undefined,
    ),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, STALL_MAX_MS).unref())),
  ]).then(() => {
    clearTimeout(timer);
    if (unanswered.get(source) === cleared) unanswered.delete(source);
  });
  unanswered.set(source, cleared);
}

/** Records a measurement for `stampede-bound`. */
export function recordStampede(ctx: WorkloadContext, measurement: StampedeMeasurement): void {
  (ctx.finalState.observations.stampedes ??= []).push(measurement);
}

export interface BurstOptions {
  tenant: string;
  /** Concurrent reads of the one key. */
  requests: number;
  slowSourceMs: number;
  /** How long the measurement may take (default MEASURE_MS). */
  measureMs?: number;
  /** How long its first count may take (default COUNT_MS). */
  countMs?: number;
}

/**
 * The hot-key case: a new catalog version is published (so its keys are cold), every API instance
 * learns the version (by reading another offering until it answers with it), then `requests`
 * concurrent reads of one offering hit all instances at once.
 *
 * Among scenarios running at once, only the measurement — the source-load count before, the burst,
 * the count after — takes its turn alone: the counter moves with every tenant's loads. The publish
 * and the warm-up's reads take ordinary turns, as every request does, so a warm-up a fault
 * stretches to its bound holds no one.
 */
export async function hotKeyBurst(ctx: WorkloadContext, options: BurstOptions): Promise<void> {
  const { tenant } = options;
  const published = await publishNext(ctx, 'stampede', tenant, 'catalog');
  const version = num(published.value.version);
  if (published.type !== 'ok' || version === undefined) throw new Error('the stampede publish failed');
  const [warm, hot] = [OFFERING_IDS[0], OFFERING_IDS[OFFERING_IDS.length - 1]] as [string, string];
  // Bounded in time, not in tries: under a fault each read may take its whole client timeout (50
  // tries of 5 s held a stampede — and, run at once with others, every sequence — for minutes).
  const warmUntil = performance.now() + WARM_MS;
  for (const [i] of ctx.apiUrls.entries()) {
    const ops = ctx.ops(`warm-${i}`, i);
    while (performance.now() < warmUntil) {
      const read = await ops.readOffering(tenant, warm);
      if (num(read.value.catalogVersion) === version) break;
      await sleep(100);
    }
  }
  const measure = async () => {
    if (unanswered.has(ctx.reads))
      throw new Error("the source has not answered an earlier stampede's count yet (frozen): measuring nothing");
    const counting = ctx.reads.sourceLoads('offering');
    const before = await bounded(counting, options.countMs ?? COUNT_MS, "the stampede's first count").catch(
      (error: unknown) => {
        markUnanswered(ctx.reads, counting);
        throw error;
      },
    );
    const fault = slowSource(options.slowSourceMs);
    await ctx.inject(fault, 'start');
    const first = ctx.history.length;
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
    return { loads: (await ctx.reads.sourceLoads('offering')) - before, reads, first };
  };
  const bound = () => bounded(measure(), options.measureMs ?? MEASURE_MS, 'the stampede measurement');
  const { loads, reads, first } = await (ctx.turn ? ctx.turn(true, bound) : bound());
  recordStampede(ctx, {
    key: `${tenant}:catalog:${hot}`,
    version,
    loads,
    instances: ctx.apiUrls.length,
    requests: options.requests,
    okRequests: reads.filter((r) => r.type === 'ok').length,
    ops: [first, ctx.history.length - 1],
  });
}
