/**
 * Deterministic race tests with fast-check's scheduler: every interleaving of the awaited steps of
 * concurrent reads, publishes, invalidations and fills is tried (and a failing one shrunk and
 * printed), so races like the one behind `delete-invalidation` are found without timing luck.
 * The cache and the store are in-memory fakes whose every call resolves when the scheduler says.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Store } from '../ports/store.ts';
import type { CacheStore } from '../ports/cache.ts';
import { Bugs } from './bugs.ts';
import { CacheKeys } from './cache-keys.ts';
import { DegradingCache } from './degrading-cache.ts';
import { L1Cache } from './l1-cache.ts';
import { Metrics } from './metrics.ts';
import { ReferenceDataReader } from './reference-data.ts';
import { SingleFlight } from './single-flight.ts';

const metrics = new Metrics('test', 'race');

/** A cache and a pointer store whose calls resolve in the scheduler's order. */
/** `l1Entries`: each instance's L1 capacity (small, so eviction happens inside the race). */
function world(s: fc.Scheduler, bugs = Bugs.none(), l1Entries = 10_000) {
  const redis = new Map<string, string>();
  const db = { pointer: 1, loads: 0, offeringLoads: 0 };
  const cacheStore = {
    get: s.scheduleFunction(async (key: string) => redis.get(key)),
    set: s.scheduleFunction(async (key: string, value: string) => void redis.set(key, value)),
    setIfAbsent: s.scheduleFunction(async (key: string, value: string) => {
      if (redis.has(key)) return false;
      redis.set(key, value);
      return true;
    }),
    advancePointer: s.scheduleFunction(async (key: string, version: number) => {
      if (Number(redis.get(key) ?? 0) < version) redis.set(key, String(version));
    }),
    del: s.scheduleFunction(async (keys: readonly string[]) => keys.forEach((k) => redis.delete(k))),
    delIfEquals: s.scheduleFunction(async (key: string, value: string) => {
      if (redis.get(key) === value) redis.delete(key);
    }),
  } as unknown as CacheStore;
  const store = {
    reference: {
      // Each catalog version names the offering differently, so a payload shows the version it came from.
      offerings: s.scheduleFunction(async (_t: string, version: number, ids: readonly string[]) => {
        db.loads++;
        db.offeringLoads++;
        return new Map(ids.map((id) => [id, { offeringId: id, name: `${id} v${version}`, family: 'f', active: true }]));
      }),
    },
    pointers: {
      active: s.scheduleFunction(async () => {
        db.loads++;
        return db.pointer;
      }),
    },
  } as unknown as Store;
  const keys = new CacheKeys(bugs);
  /** An API instance: its own L1 and single-flight, the shared Redis and PostgreSQL. */
  const instance = (id: string) =>
    new ReferenceDataReader(
      store,
      new DegradingCache(cacheStore, metrics, false),
      keys,
      new L1Cache(l1Entries),
      metrics,
      bugs,
      id,
    );
  const reader = instance('api-0');
  /**
   * A publish of version 2 as the system makes one: PostgreSQL first, then the invalidation consumer
   * (which, with delete-invalidation, deletes the unversioned payload keys) and every API instance learn of it.
   */
  const publish = async () => {
    await s.schedule(Promise.resolve('publish commits'));
    db.pointer = 2;
    if (keys.versionless) await cacheStore.del([...redis.keys()].filter((k) => k.includes(':current:')));
    await cacheStore.advancePointer(keys.pointer('t', 'catalog'), 2, 60_000);
    reader.observe('t', 'catalog', 2);
  };
  return { reader, instance, publish, db, redis };
}

describe('races found by schedule, not by luck', () => {
  it('single-flight: concurrent loads of one key share one load, and a later call loads again', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.integer({ min: 2, max: 6 }), async (s, callers) => {
        const flights = new SingleFlight();
        let loads = 0;
        const load = s.scheduleFunction(async () => ++loads);
        const results = await s.waitFor(Promise.all(Array.from({ length: callers }, () => flights.run('k', load))));
        expect(new Set(results)).toEqual(new Set([1]));
        expect(await s.waitFor(flights.run('k', load))).toBe(2);
      }),
      { numRuns: 100 },
    );
  });

  it('a pointer read racing a publish never leaves an older version behind once the publish was observed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const { reader, publish } = world(s);
        await s.waitFor(Promise.all([reader.activeVersion('t', 'catalog', 'cached'), publish()]));
        expect(await s.waitFor(reader.activeVersion('t', 'catalog', 'cached'))).toBe(2);
      }),
      { numRuns: 200 },
    );
  });

  it('cross-instance lock: a stampede over two instances loads once, however the lock hand-over interleaves', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.integer({ min: 1, max: 3 }), async (s, perInstance) => {
        const { instance, db } = world(s);
        const [a, b] = [instance('api-0'), instance('api-1')];
        const reads = Array.from({ length: perInstance }, () => [
          a.offering('t', 1, 'router'),
          b.offering('t', 1, 'router'),
        ]);
        const names = await s.waitFor(Promise.all(reads.flat()));
        expect(new Set(names.map((o) => o?.name))).toEqual(new Set(['router v1']));
        expect(db.offeringLoads).toBe(1);
      }),
      { numRuns: 200 },
    );
  });

  /** Reads of several offerings racing a publish, on an instance whose L1 holds two entries. */
  const evictionRace = (bugs: Bugs) =>
    fc.asyncProperty(
      fc.scheduler(),
      fc.array(fc.constantFrom('router', 'switch', 'firewall', 'support'), { minLength: 2, maxLength: 5 }),
      async (s, offerings) => {
        const { reader, publish } = world(s, bugs, 2);
        const browse = async (offering: string) => {
          const version = await reader.activeVersion('t', 'catalog', 'cached');
          return version === undefined ? undefined : reader.offering('t', version, offering);
        };
        await s.waitFor(Promise.all([...offerings.map(browse), publish()]));
        for (const offering of offerings) expect((await s.waitFor(browse(offering)))?.name).toBe(`${offering} v2`);
      },
    );

  it('L1 eviction: with room for two entries, reads racing a publish never serve v1 once v2 was observed', async () => {
    await fc.assert(evictionRace(Bugs.none()), { numRuns: 200 });
  });

  it('L1 eviction with delete-invalidation: the scheduler finds the old payload served as the new', async () => {
    const details = await fc.check(evictionRace(Bugs.parse('delete-invalidation')), { numRuns: 200, seed: 42 });
    expect(details.failed).toBe(true);
    expect(String(details.errorInstance)).toMatch(/v1' to be '\w+ v2'/);
  });

  /** A read of version 1's payload racing the publish of version 2; then version 2 is read. */
  const payloadRace = (bugs: Bugs) =>
    fc.asyncProperty(fc.scheduler(), async (s) => {
      const { reader, publish } = world(s, bugs);
      await s.waitFor(Promise.all([reader.offering('t', 1, 'router'), publish()]));
      expect((await s.waitFor(reader.offering('t', 2, 'router')))?.name).toBe('router v2');
    });

  it('versioned payload keys: a fill racing an invalidation can never serve the old version as the new', async () => {
    await fc.assert(payloadRace(Bugs.none()), { numRuns: 200 });
  });

  it('delete-invalidation: the scheduler finds the read-then-set race (the planted bug) every time it looks', async () => {
    const details = await fc.check(payloadRace(Bugs.parse('delete-invalidation')), { numRuns: 200, seed: 42 });
    expect(details.failed).toBe(true);
    expect(String(details.errorInstance)).toMatch(/expected 'router v1' to be 'router v2'/);
  });
});
