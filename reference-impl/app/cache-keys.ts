/**
 * The one place cache keys are formed (contract section 4):
 * `cpq:{tenantId}:{domain}:{version}:{entityType}:{entityId}:{projection}:{formatVersion}` and
 * pointers `cpq:{tenantId}:{domain}:active-version`. Payload keys carry the version they were read
 * at, so invalidation is a pointer move and a stale payload is never served under a new version.
 *
 * Planted bugs: `tenantless-cache-keys` drops the tenant; `delete-invalidation` drops the version
 * (keys are then invalidated by deletion, with the read-then-set race that implies).
 */
import { createHash } from 'node:crypto';
import type { Bugs } from './bugs.ts';

export const FORMAT_VERSION = 'v1';

/** Cache domains: the versioned reference data plus idempotency. */
export type CacheDomain = 'catalog' | 'pricing' | 'policy' | 'idempotency';

export interface EntityKey {
  tenantId: string;
  domain: CacheDomain;
  version: number;
  entityType: string;
  entityId: string;
  projection: string;
}

export class CacheKeys {
  constructor(private readonly bugs: Bugs) {}

  private tenantPart(tenantId: string): string[] {
    return this.bugs.has('tenantless-cache-keys') ? [] : [tenantId]; // planted bug: tenantless-cache-keys
  }

  pointer(tenantId: string, domain: CacheDomain): string {
    return ['cpq', ...this.tenantPart(tenantId), domain, 'active-version'].join(':');
  }

  /** Every tenant's version pointers (SCAN pattern). */
  allPointersPattern(): string {
    return 'cpq:*:active-version';
  }

  /** The tenant and domain of a pointer key; undefined for another key (or a tenantless one). */
  parsePointer(key: string): { tenantId: string; domain: CacheDomain } | undefined {
    const parts = key.split(':');
    if (parts.length !== 4 || parts[0] !== 'cpq' || parts[3] !== 'active-version') return undefined;
    const domain = parts[2] as CacheDomain;
    return ['catalog', 'pricing', 'policy'].includes(domain) ? { tenantId: parts[1] as string, domain } : undefined;
  }

  entity(key: EntityKey): string {
    const version = this.versionless ? 'current' : String(key.version); // planted bug: delete-invalidation
    return [
      'cpq',
      ...this.tenantPart(key.tenantId),
      key.domain,
      version,
      key.entityType,
      key.entityId,
      key.projection,
      FORMAT_VERSION,
    ].join(':');
  }

  /** Lock key guarding the load of `entityKey` across instances. */
  lock(entityKey: string): string {
    return `${entityKey}:load-lock`;
  }

  /** True when payload keys carry no version (the `delete-invalidation` bug). */
  get versionless(): boolean {
    return this.bugs.has('delete-invalidation');
  }

  /** Pattern matching every unversioned payload key of a tenant's domain (for deletion). */
  versionlessPattern(tenantId: string, domain: CacheDomain): string {
    return ['cpq', ...this.tenantPart(tenantId), domain, 'current', '*'].join(':');
  }

  /** Every key of a tenant (for reconciliation). */
  tenantPattern(tenantId: string): string {
    return ['cpq', ...this.tenantPart(tenantId), '*'].join(':');
  }
}

/** A fixed-length id for free-form input used in a key (e.g. an idempotency key). */
export function keyId(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 32);
}

/** `baseMs` ± `spread` (default 20%), so keys written together do not expire together. */
export function jitteredTtl(baseMs: number, spread = 0.2, random: () => number = Math.random): number {
  return Math.round(baseMs * (1 - spread + 2 * spread * random()));
}
