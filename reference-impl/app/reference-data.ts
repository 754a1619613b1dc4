/**
 * Cache-aside reads of versioned reference data (catalog, prices, approval policy) for one API
 * instance: L1 → Redis → PostgreSQL, with single-flight per key in the process and a short Redis
 * lock (SET NX PX) across instances. The promise: a stampede on one key and version costs one
 * source load in all, while Redis answers and a load takes less than the lock's TTL; one per
 * instance while Redis is unreachable (each instance's single-flight still holds). Active versions come from version pointers; payload keys carry their version, so they
 * never need deleting. Browse reads may serve a slightly old pointer while it is refreshed
 * (stale-while-revalidate); commands read pointers from PostgreSQL and only payloads from here.
 *
 * Nothing here is used by submit, which revalidates against PostgreSQL only.
 */
import type { ApprovalPolicy, Offering, VersionedDomain } from '../domain/types.ts';
import type { Store } from '../ports/store.ts';
import type { Bugs } from './bugs.ts';
import { jitteredTtl, type CacheDomain, type CacheKeys, type EntityKey } from './cache-keys.ts';
import type { DegradingCache } from './degrading-cache.ts';
import type { L1Cache } from './l1-cache.ts';
import type { Metrics } from './metrics.ts';
import { SingleFlight } from './single-flight.ts';

/**
 * How a version pointer is read. `command`: from PostgreSQL (one cheap indexed read; commands never
 * act on a cached pointer). `cached`: L1 then Redis, as fresh as invalidation makes them.
 * `browse`: like `cached`, but an L1 pointer up to `POINTER_STALE_MS` old is served while it is
 * refreshed in the background.
 */
export type ReadMode = 'browse' | 'cached' | 'command';

const POINTER_FRESH_MS = 1000;
const POINTER_STALE_MS = 2500;
const POINTER_TTL_MS = 60_000;
const PAYLOAD_TTL_MS = 10 * 60_000;
const LOCK_TTL_MS = 2000;
const LOCK_POLL_MS = 20;
const MISSING = { missing: true } as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ReferenceDataReader {
  private readonly flights = new SingleFlight();
  /** Lowest version each pointer may hold, from the publish events this instance has seen. */
  private readonly floors = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly cache: DegradingCache,
    private readonly keys: CacheKeys,
    private readonly l1: L1Cache,
    private readonly metrics: Metrics,
    private readonly bugs: Bugs,
    private readonly instanceId: string,
    /** false: every read goes to PostgreSQL (the uncached baseline benchmarks compare with). */
    private readonly enabled = true,
  ) {}

  /** The active version of a tenant's domain, or undefined if nothing was ever published. */
  async activeVersion(tenantId: string, domain: VersionedDomain, mode: ReadMode): Promise<number | undefined> {
    if (mode === 'command' || !this.enabled) return this.store.pointers.active(tenantId, domain);
    const key = this.keys.pointer(tenantId, domain);
    const local = this.l1.get<number>(key);
    if (local && (local.ageMs < POINTER_FRESH_MS || (mode === 'browse' && local.ageMs < POINTER_STALE_MS))) {
      this.metrics.cacheHits.inc({ domain, layer: 'l1' });
      if (local.ageMs >= POINTER_FRESH_MS) void this.refreshPointer(tenantId, domain, key).catch(() => undefined);
      return local.value;
    }
    return this.refreshPointer(tenantId, domain, key);
  }

  private refreshPointer(tenantId: string, domain: VersionedDomain, key: string): Promise<number | undefined> {
    return this.flights.run(key, async () => {
      const cached = await this.cache.get(key);
      // A pointer below what events already announced was resurrected (e.g. an old snapshot): a miss.
      if (cached !== undefined && Number(cached) >= (this.floors.get(key) ?? 0)) {
        this.metrics.cacheHits.inc({ domain, layer: 'redis' });
        this.l1.set(key, Number(cached));
        return Number(cached);
      }
      this.metrics.cacheMisses.inc({ domain });
      this.metrics.sourceLoads.inc({ domain });
      const loaded = await this.store.pointers.active(tenantId, domain);
      // A publish observed while this load was in flight is newer than what it read (a race the
      // scheduler test in reference-data.race.test.ts found): never fill L1 below the floor.
      const floor = this.floors.get(key);
      const version = loaded === undefined ? floor : Math.max(loaded, floor ?? 0);
      if (version !== undefined) {
        await this.cache.advancePointer(key, version, jitteredTtl(POINTER_TTL_MS));
        if (version >= (this.floors.get(key) ?? 0)) this.l1.set(key, version);
      }
      return version;
    });
  }

  /** A publish event announced `version`: drop the L1 pointer and never accept an older one. */
  observe(tenantId: string, domain: VersionedDomain, version: number): void {
    const key = this.keys.pointer(tenantId, domain);
    this.floors.set(key, Math.max(this.floors.get(key) ?? 0, version));
    this.l1.delete(key);
    if (this.keys.versionless) this.l1.evictPrefix(this.keys.versionlessPattern(tenantId, domain).slice(0, -1));
  }

  async offering(tenantId: string, version: number, offeringId: string): Promise<Offering | undefined> {
    return this.entity<Offering>(
      { tenantId, domain: 'catalog', version, entityType: 'offering', entityId: offeringId, projection: 'detail' },
      async () => (await this.store.reference.offerings(tenantId, version, [offeringId])).get(offeringId),
    );
  }

  async offerings(tenantId: string, version: number, offeringIds: readonly string[]): Promise<Map<string, Offering>> {
    const found = await Promise.all(
      offeringIds.map(async (id) => [id, await this.offering(tenantId, version, id)] as const),
    );
    return new Map(found.filter((entry): entry is readonly [string, Offering] => entry[1] !== undefined));
  }

  async unitPrice(
    tenantId: string,
    version: number,
    currency: string,
    offeringId: string,
  ): Promise<number | undefined> {
    return this.entity<number>(
      {
        tenantId,
        domain: 'pricing',
        version,
        entityType: 'offering',
        entityId: offeringId,
        projection: `price-${currency}`,
      },
      async () => (await this.store.reference.prices(tenantId, version, currency, [offeringId])).get(offeringId),
    );
  }

  async unitPrices(
    tenantId: string,
    version: number,
    currency: string,
    offeringIds: readonly string[],
  ): Promise<Map<string, number>> {
    const found = await Promise.all(
      offeringIds.map(async (id) => [id, await this.unitPrice(tenantId, version, currency, id)] as const),
    );
    return new Map(found.filter((entry): entry is readonly [string, number] => entry[1] !== undefined));
  }

  async policy(tenantId: string, version: number): Promise<ApprovalPolicy | undefined> {
    return this.entity<ApprovalPolicy>(
      { tenantId, domain: 'policy', version, entityType: 'approval-policy', entityId: 'current', projection: 'detail' },
      () => this.store.reference.policy(tenantId, version),
    );
  }

  /** L1 → Redis → (single-flight + lock) PostgreSQL for one immutable versioned entity. */
  private async entity<T>(spec: EntityKey, load: () => Promise<T | undefined>): Promise<T | undefined> {
    const key = this.keys.entity(spec);
    const domain = spec.domain as CacheDomain & VersionedDomain;
    if (!this.enabled) return load();
    const local = this.l1.get<T | typeof MISSING>(key);
    if (local) {
      this.metrics.cacheHits.inc({ domain, layer: 'l1' });
      return unwrap(local.value);
    }
    const cached = await this.fromRedis<T>(key, domain);
    if (cached) return cached.value;
    this.metrics.cacheMisses.inc({ domain });
    if (this.bugs.has('no-single-flight')) return this.loadAndFill(key, domain, load); // planted bug: no-single-flight
    return this.flights.run(key, () => this.loadWithLock(key, domain, load));
  }

  /**
   * Takes the cross-instance load lock; while another instance holds it, waits for its fill (up to
   * the lock's TTL), taking the lock over if the holder let go without filling (it failed).
   */
  private async loadWithLock<T>(
    key: string,
    domain: VersionedDomain,
    load: () => Promise<T | undefined>,
  ): Promise<T | undefined> {
    const lockKey = this.keys.lock(key);
    const token = `${this.instanceId}:${Math.random().toString(36).slice(2)}`;
    let locked = await this.cache.setIfAbsent(lockKey, token, LOCK_TTL_MS);
    for (let waited = 0; locked === false && waited < LOCK_TTL_MS; waited += LOCK_POLL_MS) {
      await sleep(LOCK_POLL_MS);
      const filled = await this.fromRedis<T>(key, domain);
      if (filled) return filled.value;
      locked = await this.cache.setIfAbsent(lockKey, token, LOCK_TTL_MS);
    }
    try {
      // The holder may have filled and let go between this instance's last look and its taking the
      // lock (found by fast-check's scheduler, and by explore as a second load in a stampede): look again.
      const filled = locked ? await this.fromRedis<T>(key, domain) : undefined;
      if (filled) return filled.value;
      return await this.loadAndFill(key, domain, load);
    } finally {
      if (locked) await this.cache.delIfEquals(lockKey, token);
    }
  }

  /** A Redis hit (copied into L1), or undefined on a miss. */
  private async fromRedis<T>(key: string, domain: VersionedDomain): Promise<{ value: T | undefined } | undefined> {
    const cached = await this.cache.get(key);
    if (cached === undefined) return undefined;
    this.metrics.cacheHits.inc({ domain, layer: 'redis' });
    const value = JSON.parse(cached) as T | typeof MISSING;
    this.l1.set(key, value);
    return { value: unwrap(value) };
  }

  private async loadAndFill<T>(
    key: string,
    domain: VersionedDomain,
    load: () => Promise<T | undefined>,
  ): Promise<T | undefined> {
    this.metrics.sourceLoads.inc({ domain });
    const value = await load();
    const stored = value === undefined ? MISSING : value;
    await this.cache.set(key, JSON.stringify(stored), jitteredTtl(PAYLOAD_TTL_MS));
    this.l1.set(key, stored);
    return value;
  }
}

function unwrap<T>(value: T | typeof MISSING): T | undefined {
  return typeof value === 'object' && value !== null && (value as { missing?: boolean }).missing === true
    ? undefined
    : (value as T);
}
