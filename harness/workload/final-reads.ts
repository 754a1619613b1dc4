/**
 * Authoritative reads and the quiesce step, from what contract section 4 lets outside checks read:
 * `quote` and `outbox_event` rows in PostgreSQL (through `directUrl`) and the version pointers
 * `cpq:{tenant}:{domain}:active-version` in Redis (through `directUrl`). Never what the service
 * says about itself.
 */
import { Redis } from 'ioredis';
import type pg from 'pg';
import type { FinalQuote } from '../checkers/no-stale-submit.ts';
import { acknowledgedPublishes } from '../checkers/publishes.ts';
import { pairOps, type Op } from '../core/op.ts';
import { sleep } from './generators.ts';

/** Every `quote` row of the tenants. */
export async function readQuotes(db: pg.Pool, tenants: readonly string[]): Promise<FinalQuote[]> {
  const { rows } = await db.query<FinalQuote>(
    `select tenant_id, quote_id, state, catalog_version, price_list_version, policy_version
       from quote where tenant_id = any($1) order by tenant_id, quote_id`,
    [tenants],
  );
  return rows;
}

/** Outbox rows of the tenants not yet published. */
export async function pendingOutbox(db: pg.Pool, tenants: readonly string[]): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    "select count(*)::int as n from outbox_event where tenant_id = any($1) and status <> 'published'",
    [tenants],
  );
  return rows[0]?.n ?? 0;
}

/** Pointers that trail the newest acknowledged publish (an absent pointer is not behind: it is rebuilt from the source). */
async function pointersBehind(redisUrl: string, history: readonly Op[]): Promise<string[]> {
  const newest = new Map<string, number>();
  for (const p of acknowledgedPublishes(pairOps(history))) {
    const key = `cpq:${p.tenant}:${p.domain}:active-version`;
    newest.set(key, Math.max(p.version, newest.get(key) ?? 0));
  }
  if (newest.size === 0) return [];
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    commandTimeout: 1000,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const keys = [...newest.keys()];
    const values = await redis.mget(...keys);
    return keys.filter((key, i) => values[i] !== null && Number(values[i]) < (newest.get(key) ?? 0));
  } catch {
    return ['(redis unreachable)'];
  } finally {
    redis.disconnect();
  }
}

export interface QuiesceReport {
  outboxDrained: boolean;
  pointersCaughtUp: boolean;
  waitedMs: number;
}

/**
 * Lets the system settle after the heal: waits (bounded) until the tenants' outbox is published
 * and the cached version pointers reached the newest acknowledged versions, and until `settleMs`
 * have passed since it began (at least 500 ms more) — the staleness budget, so any bounded lag a
 * system allows itself has run out. A system that never settles is judged by the final reads.
 */
export async function quiesce(
  db: pg.Pool,
  redisUrl: string,
  tenants: readonly string[],
  history: readonly Op[],
  options: { outboxMs?: number; pointersMs?: number; settleMs?: number } = {},
): Promise<QuiesceReport> {
  const started = performance.now();
  const until = async (check: () => Promise<boolean>, ms: number) => {
    const deadline = performance.now() + ms;
    for (;;) {
      if (await check().catch(() => false)) return true;
      if (performance.now() >= deadline) return false;
      await sleep(200);
    }
  };
  const outboxDrained = await until(async () => (await pendingOutbox(db, tenants)) === 0, options.outboxMs ?? 20_000);
  const pointersCaughtUp = await until(
    async () => (await pointersBehind(redisUrl, history)).length === 0,
    options.pointersMs ?? 5_000,
  );
  await sleep(Math.max(500, (options.settleMs ?? 1500) - (performance.now() - started)));
  return { outboxDrained, pointersCaughtUp, waitedMs: Math.round(performance.now() - started) };
}
