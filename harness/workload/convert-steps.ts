/**
 * Converting under every idempotency outcome the contract defines (section 3), the way real
 * clients do. Accepted quotes are prepared first (`prepareAcceptedQuotes`), so the faulted workload
 * is all converts. For each quote: a first attempt with a short client timeout fired together with
 * concurrent duplicates under the same key, spread over the API instances (each must answer what
 * the first did; the race is where a naive conversion makes two orders); if the short attempt ended
 * `info` (it may or may not have happened), a retry with the same key; then one convert with a
 * fresh key (409 naming the existing order) and the worker's previous key sent for this quote
 * (422 IDEMPOTENCY_KEY_REUSED). Every attempt is a recorded op; choices come from seeded streams.
 */
import { acceptedQuote, quoteFlow, type QuoteFlowOptions } from './cpq-steps.ts';
import type { WorkloadContext } from './context.ts';
import { either, onWorkers, repeat, stagger, timeLimit, type Phase, type Step } from './generators.ts';

interface Accepted {
  tenant: string;
  quoteId: string;
}

const POOL = 'accepted-quotes';

/** Walks `count` quotes to ACCEPTED with `parallel` workers of their own; they wait in a pool. */
export async function prepareAcceptedQuotes(
  ctx: WorkloadContext,
  count: number,
  options: { parallel?: number; flow?: QuoteFlowOptions } = {},
): Promise<void> {
  const pool: Accepted[] = [];
  ctx.state.set(POOL, pool);
  let attempts = 0;
  const parallel = options.parallel ?? 4;
  await Promise.all(
    Array.from({ length: parallel }, async (_, i) => {
      const worker = { process: 900 + i, random: ctx.random.fork(`prepare-${i}`), signal: ctx.signal };
      while (pool.length < count && attempts < count * 2 && !ctx.signal.aborted) {
        attempts++;
        const accepted = await acceptedQuote(ctx, worker, options.flow);
        if (accepted) pool.push(accepted);
      }
    }),
  );
  if (pool.length === 0) throw new Error('no quote could be walked to ACCEPTED');
}

export interface ConvertStormOptions {
  /** Converts fired at once under the first key, the short-timeout attempt included (default 4). */
  together?: number;
  /** Client timeout of the first attempt, ms (default 250). */
  shortTimeoutMs?: number;
}

/** Takes the next prepared quote and converts it under every idempotency outcome. */
export function convertStorm(ctx: WorkloadContext, options: ConvertStormOptions = {}): Step {
  return async (w) => {
    const accepted = (ctx.state.get(POOL) as Accepted[] | undefined)?.shift();
    if (!accepted) return;
    const { tenant, quoteId } = accepted;
    const key = `${quoteId}-first`;
    const previous = ctx.state.get(`convert-key:${w.process}`) as { tenant: string; key: string } | undefined;
    const [first] = await Promise.all([
      ctx.ops(w.process, undefined, options.shortTimeoutMs ?? 250).convert(tenant, quoteId, key),
      ...Array.from({ length: (options.together ?? 4) - 1 }, (_, i) =>
        ctx.ops(`${w.process}-same-key-${i}`, i).convert(tenant, quoteId, key),
      ),
    ]);
    if (first?.type === 'info') await ctx.ops(w.process).convert(tenant, quoteId, key);
    await ctx.ops(w.process).convert(tenant, quoteId, `${quoteId}-second`);
    if (previous?.tenant === tenant) await ctx.ops(w.process).convert(tenant, quoteId, previous.key);
    ctx.state.set(`convert-key:${w.process}`, { tenant, key });
  };
}

/**
 * Order traffic for the messaging family: the first `converters` workers convert prepared quotes
 * (about one a second each, under every idempotency outcome), the last watches the projections
 * (`watchProjections`), the others walk new quotes through their lifecycle — so order and quote
 * events flow through the outbox the whole time.
 */
export function orderTraffic(ctx: WorkloadContext, converters: number): Phase {
  const watcher = ctx.concurrency - 1;
  return {
    name: 'orders',
    gen: timeLimit(
      ctx.timeLimitMs,
      either(
        onWorkers((p) => p < converters, stagger(1000, repeat(convertStorm(ctx)))),
        onWorkers((p) => p >= converters && p < watcher, stagger(300, repeat(quoteFlow(ctx)))),
        onWorkers((p) => p === watcher, stagger(250, repeat(watchProjections(ctx)))),
      ),
    ),
  };
}

/**
 * Watches the projections the consumers keep, read directly from PostgreSQL (never through the
 * system): each read is a recorded `read-projection` op whose value holds every entity's aggregate
 * version, so a checker can see a version go backwards while faults hit.
 */
export function watchProjections(ctx: WorkloadContext): Step {
  return async (w) => {
    const value = { tenants: ctx.tenants };
    ctx.history.append({ process: w.process, type: 'invoke', f: 'read-projection', value });
    try {
      const versions = await ctx.reads.projectionVersions(ctx.tenants);
      ctx.history.append({ process: w.process, type: 'ok', f: 'read-projection', value: { ...value, versions } });
    } catch (error) {
      ctx.history.append({ process: w.process, type: 'fail', f: 'read-projection', value, error: String(error) });
    }
  };
}
