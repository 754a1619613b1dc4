/**
 * Workload shapes beyond the short, in-order histories of the usual phases: tenants that have lived
 * long (dozens of versions per domain, so versions cross 9 → 10 and 99 → 100 before the workload
 * starts), publish storms (versions back to back while every instance reads), and a read of every
 * published entity on every instance once each heal's recovery budget has passed — the reads that
 * show a system still broken, or still stale, after it was supposed to recover.
 */
import { NEMESIS } from '../core/op.ts';
import type { Domain } from '../core/vocabulary.ts';
import type { WorkloadContext } from './context.ts';
import { readEverything } from './cpq-steps.ts';
import { either, once, onWorkers, sleep, type Phase, type Step } from './generators.ts';
import { publishNext } from './publish-rounds.ts';
import { CURRENCIES } from './tenant-data.ts';

/**
 * Gives every tenant `rounds` more versions of its catalog, price lists (alternating currencies) and
 * policy, each publish acknowledged before the next of its domain; tenants and domains in parallel.
 * A publish that fails stops the scenario's set-up.
 */
export async function seedHistory(
  ctx: WorkloadContext,
  rounds: number,
  policyLimits: readonly number[] = [30],
): Promise<void> {
  const domains: Domain[] = ['catalog', 'pricing', 'policy'];
  await Promise.all(
    ctx.tenants.flatMap((tenant) =>
      domains.map(async (domain) => {
        for (let round = 0; round < rounds && !ctx.signal.aborted; round++) {
          const currency = CURRENCIES[round % CURRENCIES.length];
          const done = await publishNext(ctx, `history-${domain}`, tenant, domain, { policyLimits, currency });
          if (done.type !== 'ok')
            throw new Error(`seeding history: ${domain} of ${tenant} failed: ${done.error ?? 'no answer'}`);
        }
      }),
    ),
  );
}

/** `count` publishes of `domain` for `tenant` back to back (each waits only for the last's answer). */
export function publishStorm(ctx: WorkloadContext, tenant: string, domain: Domain, count: number): Step {
  return async (w) => {
    for (let i = 0; i < count && !w.signal.aborted; i++) {
      const currency = domain === 'pricing' ? w.random.pick(CURRENCIES) : undefined;
      await publishNext(ctx, w.process, tenant, domain, currency ? { currency } : {});
    }
  };
}

/**
 * One worker's step for the whole workload: after each heal the nemesis records (a `stop-fault`
 * that succeeded), waits until the system's recovery budget (`parameters.recoveryBudgetMs`) has
 * passed, then reads every published entity of every tenant through every API instance (`phase:
 * 'after-heal'`); returns when the workload's time is up.
 */
export function sweepAfterHeals(ctx: WorkloadContext, marginMs = 250): Step {
  return async (w) => {
    const budgetMs = ctx.finalState.parameters.recoveryBudgetMs ?? 5000;
    const ends = performance.now() + ctx.timeLimitMs;
    let seen = ctx.history.history.length;
    const heals: number[] = [];
    while (!w.signal.aborted && performance.now() < ends) {
      const ops = ctx.history.history;
      for (; seen < ops.length; seen++) {
        const op = ops[seen];
        if (op?.process === NEMESIS && op.type === 'ok' && op.f === 'stop-fault') heals.push(performance.now());
      }
      const due = heals[0];
      if (due === undefined || performance.now() < due + budgetMs + marginMs) {
        await sleep(200, w.signal);
        continue;
      }
      heals.length = 0; // one sweep answers every heal seen so far
      for (const [i] of ctx.apiUrls.entries()) await readEverything(ctx.ops(w.process, i), ctx.tenants, 'after-heal');
    }
  };
}

/** `phase` with worker `worker` sweeping after every heal (`sweepAfterHeals`) instead of its own steps. */
export function sweepingOn(ctx: WorkloadContext, phase: Phase, worker = 1): Phase {
  return {
    ...phase,
    gen: either(
      onWorkers((p) => p === worker, once(sweepAfterHeals(ctx))),
      onWorkers((p) => p !== worker, phase.gen),
    ),
  };
}
