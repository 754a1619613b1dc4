/**
 * The quiesce step, from what contract section 4 lets outside checks read — the tenants' outbox
 * rows in PostgreSQL and the version pointers `cpq:{tenant}:{domain}:active-version` in Redis, both
 * through the system's authoritative readers (direct URLs). Never what the service says about itself.
 */
import { acknowledgedPublishes } from '../checkers/publishes.ts';
import type { QuiesceReport } from '../core/final-state.ts';
import { pairOps, type Op } from '../core/op.ts';
import type { AuthoritativeReads } from '../system/system.ts';
import type { WorkloadContext } from './context.ts';
import { sleep } from './generators.ts';
import { OFFERING_IDS } from './tenant-data.ts';

/** Pointers that trail the newest acknowledged publish (an absent pointer is not behind: it is rebuilt from the source). */
async function pointersBehind(reads: AuthoritativeReads, history: readonly Op[]): Promise<string[]> {
  const newest = new Map<string, number>();
  for (const p of acknowledgedPublishes(pairOps(history))) {
    const key = `cpq:${p.tenant}:${p.domain}:active-version`;
    newest.set(key, Math.max(p.version, newest.get(key) ?? 0));
  }
  const keys = [...newest.keys()];
  try {
    const values = await reads.versionPointers(keys);
    return keys.filter((key, i) => values[i] !== null && (values[i] as number) < (newest.get(key) ?? 0));
  } catch {
    return ['(redis unreachable)'];
  }
}

/** Polls `check` every 200 ms until it holds (true) or `ms` have passed (false); a failing check is false. */
async function until(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return true;
    if (performance.now() >= deadline) return false;
    await sleep(200);
  }
}

/**
 * Waits (bounded) until the tenants' outbox is published and (when `delivery`) every event owed to
 * a consumer applied — delivery, not a status column. No settling time: only what is owed.
 */
export async function drain(
  reads: AuthoritativeReads,
  tenants: readonly string[],
  options: { outboxMs?: number; delivery?: boolean; deliveryMs?: number } = {},
): Promise<{ outboxDrained: boolean; delivered?: boolean }> {
  const outboxDrained = await until(async () => (await reads.pendingOutbox(tenants)) === 0, options.outboxMs ?? 20_000);
  if (!options.delivery) return { outboxDrained };
  const delivered = await until(async () => (await reads.undelivered(tenants)) === 0, options.deliveryMs ?? 30_000);
  return { outboxDrained, delivered };
}

/**
 * Lets the system settle after the heal: waits (bounded) until the tenants' outbox is published,
 * (when `delivery`) every event owed to a consumer applied — how long that took is the drain time —
 * and the cached version pointers reached the newest acknowledged versions, and until `settleMs`
 * have passed since it began (at least 500 ms more) — the staleness budget, so any bounded lag a
 * system allows itself has run out — and `settleUntil` (a `performance.now()` time: the last heal
 * plus a recovery budget) has come. A system that never settles is judged by the final reads.
 */
export async function quiesce(
  reads: AuthoritativeReads,
  tenants: readonly string[],
  history: readonly Op[],
  options: {
    outboxMs?: number;
    pointersMs?: number;
    settleMs?: number;
    settleUntil?: number;
    delivery?: boolean;
    deliveryMs?: number;
  } = {},
): Promise<QuiesceReport> {
  const started = performance.now();
  const { outboxDrained, delivered } = await drain(reads, tenants, options);
  const drainMs = delivered ? Math.round(performance.now() - started) : undefined;
  let behind: string[] = [];
  const pointersCaughtUp = await until(async () => {
    behind = await pointersBehind(reads, history);
    return behind.length === 0;
  }, options.pointersMs ?? 5_000);
  await sleep(
    Math.max(
      500,
      (options.settleMs ?? 1500) - (performance.now() - started),
      (options.settleUntil ?? 0) - performance.now(),
    ),
  );
  return {
    outboxDrained,
    pointersCaughtUp,
    ...(pointersCaughtUp ? {} : { pointersBehind: behind }),
    ...(delivered !== undefined ? { delivered } : {}),
    ...(drainMs !== undefined ? { drainMs } : {}),
    waitedMs: Math.round(performance.now() - started),
  };
}

/**
 * The quiesce's proof that every API instance answers: through each (`phase: 'final'`, process
 * `probe-<i>`), one read of a published offering and one command — a new draft quote, which must
 * reach PostgreSQL (a read may be answered from a cache while the write path is still broken) —
 * judged like every final read: a 5xx or no answer from an instance after quiesce is a system that
 * did not recover.
 */
export async function probeInstances(ctx: WorkloadContext): Promise<void> {
  const tenant = ctx.tenants[0];
  if (tenant === undefined) return;
  for (const [i] of ctx.apiUrls.entries()) {
    const probe = ctx.ops(`probe-${i}`, i);
    await probe.readOffering(tenant, OFFERING_IDS[0], 'final');
    await probe.createQuote(
      tenant,
      [{ offeringId: OFFERING_IDS[0] as string, quantity: 1, discountPct: 0 }],
      undefined,
      'final',
    );
  }
}
