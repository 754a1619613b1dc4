/**
 * Deterministic race tests of conversion with fast-check's scheduler: concurrent converts of one
 * accepted quote — retries under one Idempotency-Key, and a request under another key — in every
 * interleaving of their awaited store and cache calls. The store is an in-memory fake with the
 * PostgreSQL semantics the service relies on: a `for update` read of the quote and a claim of an
 * idempotency key (one statement, in that order) wait for the transaction holding them; writes
 * become visible at commit and vanish on rollback.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../domain/errors.ts';
import { acceptQuote, createQuote, priceQuote, submitQuote } from '../domain/quote.ts';
import type { Order, Quote } from '../domain/types.ts';
import type { IdempotencyRecord, QuoteWriteOptions, Store, TxStore } from '../ports/store.ts';
import { Bugs } from './bugs.ts';
import { Failpoints } from './failpoints.ts';
import { CacheKeys } from './cache-keys.ts';
import type { AppContext } from './context.ts';
import { convert, type StoredResponse } from './conversion.ts';

const NOW = '2026-01-01T00:00:00.000Z';

function acceptedQuote(): Quote {
  const offerings = new Map([['router', { offeringId: 'router', name: 'Router', family: 'n', active: true }]]);
  const input = { quoteId: 'q1', tenantId: 't1', customerId: 'c1', currency: 'EUR', items: [] as never[] };
  const draft = createQuote(
    { ...input, items: [{ offeringId: 'router', quantity: 1, discountPct: 0 }] },
    offerings,
    NOW,
  );
  const policy = { maxDiscountPctWithoutApproval: 10 };
  const context = { catalogVersion: 1, priceListVersion: 1, policyVersion: 1, offerings, policy };
  const priced = priceQuote(draft.state, { ...context, unitPrices: new Map([['router', 100]]) }, NOW).state;
  const active = { ...context, recomputedPriceHash: priced.pricing?.priceHash };
  return acceptQuote(submitQuote(priced, active, NOW).state, NOW).state;
}

/** Locks held by transactions until they end; a waiter wakes when its lock is let go. */
class Locks {
  private readonly held = new Map<string, number>();
  private waiters: (() => void)[] = [];
  async acquire(name: string, tx: number): Promise<void> {
    while (this.held.has(name) && this.held.get(name) !== tx) await new Promise<void>((r) => this.waiters.push(r));
    this.held.set(name, tx);
  }
  releaseAll(tx: number): void {
    for (const [name, owner] of this.held) if (owner === tx) this.held.delete(name);
    const woken = this.waiters;
    this.waiters = [];
    woken.forEach((wake) => wake());
  }
}

/** The in-memory PostgreSQL of one quote; every call resolves when the scheduler says. */
function database(s: fc.Scheduler, bugs: Bugs) {
  const committed = { quote: acceptedQuote(), orders: [] as Order[], records: new Map<string, IdempotencyRecord>() };
  const locks = new Locks();
  let transactions = 0;
  const at = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => s.scheduleFunction(fn);
  // Lock waits happen before the scheduled part: a scheduled call must not block on another's release.
  const read = at(async <R>(fn: () => R) => fn());
  const store = {
    async transaction<T>(fn: (tx: TxStore) => Promise<T>): Promise<T> {
      const id = ++transactions;
      const mine = {
        quote: undefined as Quote | undefined,
        orders: [] as Order[],
        records: new Map(committed.records),
      };
      const unique = !bugs.has('convert-not-idempotent');
      // The write: the quote if its revision holds, and with it the order, the unique order key
      // refusing a second one (its wait, on the index, happens before the scheduled part).
      const write = at(async (quote: Quote, expected: number | null, o?: QuoteWriteOptions) => {
        if (expected !== null && (mine.quote ?? committed.quote).revision !== expected) return false;
        const order = o?.creates;
        if (order && unique && committed.orders.some((c) => c.sourceQuoteRevision === order.sourceQuoteRevision))
          throw new Error('duplicate key value violates unique constraint');
        if (order) mine.orders.push(order);
        mine.quote = quote;
        const done = o?.completes;
        if (done) {
          const record = mine.records.get(done.key) as IdempotencyRecord;
          mine.records.set(done.key, { ...record, responseStatus: done.status, responseBody: done.body });
        }
        return true;
      });
      const tx = {
        quotes: {
          get: async () => read(() => mine.quote ?? committed.quote),
          update: async (quote: Quote, expected: number | null, _e: unknown, _n: unknown, o?: QuoteWriteOptions) => {
            if (o?.creates && unique) await locks.acquire('order-key', id); // the unique (tenant, quote, revision) index
            return write(quote, expected, o);
          },
        },
        orders: {
          byQuote: at(async () => [...committed.orders, ...mine.orders]),
        },
        outbox: { append: at(async () => []) },
        idempotency: {
          // One statement: the quote row lock, then the key's (an insert waits on a holder's key).
          claimLockingQuote: async (_t: string, key: string, requestHash: string) => {
            await locks.acquire('quote', id);
            await locks.acquire(`key:${key}`, id);
            return read(() => {
              const existing = committed.records.get(key);
              if (!existing) mine.records.set(key, { requestHash, responseStatus: undefined, responseBody: undefined });
              return { existing, quote: mine.quote ?? committed.quote };
            });
          },
        },
      } as unknown as TxStore;
      try {
        const result = await fn(tx);
        if (mine.quote) committed.quote = mine.quote;
        committed.orders.push(...mine.orders);
        for (const [key, record] of mine.records) committed.records.set(key, record);
        return result;
      } finally {
        locks.releaseAll(id);
      }
    },
  } as unknown as Store;
  return { store, committed };
}

function context(s: fc.Scheduler, bugs: Bugs, store: Store): AppContext {
  const redis = new Map<string, string>();
  const cache = {
    get: s.scheduleFunction(async (key: string) => redis.get(key)),
    set: s.scheduleFunction(async (key: string, value: string) => void redis.set(key, value)),
  };
  let ids = 0;
  return {
    store,
    cache,
    keys: new CacheKeys(bugs),
    bugs,
    clock: { now: () => new Date(NOW) },
    newId: () => `o${++ids}`,
    failpoints: new Failpoints(),
  } as unknown as AppContext;
}

/** What a convert answered: the order it names, or the refusal's code. */
const outcome = (settled: PromiseSettledResult<StoredResponse>): string =>
  settled.status === 'fulfilled'
    ? `${settled.value.status} ${(settled.value.body as Order).orderId}`
    : settled.reason instanceof DomainError
      ? settled.reason.code
      : String(settled.reason);

const converts = (bugs: Bugs) =>
  fc.asyncProperty(fc.scheduler(), fc.integer({ min: 2, max: 4 }), fc.boolean(), async (s, retries, otherKey) => {
    const { store, committed } = database(s, bugs);
    const ctx = context(s, bugs, store);
    const requests = [
      ...Array.from({ length: retries }, () => convert(ctx, 't1', 'q1', 'k1')),
      ...(otherKey ? [convert(ctx, 't1', 'q1', 'k2')] : []),
    ];
    const answers = (await s.waitFor(Promise.allSettled(requests))).map(outcome);
    expect(committed.orders).toHaveLength(1);
    const [first, ...rest] = answers.slice(0, retries);
    for (const answer of rest) expect(answer).toBe(first); // one key, one outcome
    for (const answer of answers.filter((a) => a.startsWith('201')))
      expect(answer).toBe(`201 ${committed.orders[0]?.orderId}`);
  });

describe('conversion races found by schedule, not by luck', () => {
  it('retries under one key and a request under another: one order, and one outcome per key, in every interleaving', async () => {
    await fc.assert(converts(Bugs.none()), { numRuns: 300 });
  });

  it('convert-not-idempotent: the scheduler finds the second order (the planted bug) when it looks', async () => {
    const details = await fc.check(converts(Bugs.parse('convert-not-idempotent')), { numRuns: 200, seed: 42 });
    expect(details.failed).toBe(true);
    expect(String(details.errorInstance)).toMatch(/expected \[ .* \] to have a length of 1 but got [2-5]/);
  });
});
