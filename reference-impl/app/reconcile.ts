/**
 * Read-only reconciliation of one tenant (GET …/ops/reconcile): compares what the caches and the
 * asynchronous parts say with PostgreSQL and reports findings. It never repairs anything.
 *
 * Findings: cache version pointers and cached payloads that differ from PostgreSQL, cache keys
 * without a TTL, Redis unreachable, outbox rows unpublished past an age, orders without (or with
 * more than one) billing effect, and quote projections that drifted from the quotes.
 */
import type { VersionedDomain } from '../domain/types.ts';
import type { ReconcileSource } from '../ports/reconcile.ts';
import type { AppContext } from './context.ts';

export interface Finding {
  kind: string;
  entity: string;
  expected: unknown;
  actual: unknown;
}

const DOMAINS: VersionedDomain[] = ['catalog', 'pricing', 'policy'];
const MAX_KEYS = 2000;

async function cacheFindings(ctx: AppContext, source: ReconcileSource, tenantId: string): Promise<Finding[]> {
  const findings: Finding[] = [];
  const redis = ctx.cache.raw;
  try {
    for (const domain of DOMAINS) {
      const active = await source.activeVersion(tenantId, domain);
      const cached = await redis.get(ctx.keys.pointer(tenantId, domain));
      if (cached !== undefined && Number(cached) !== active) {
        findings.push({
          kind: 'cache-pointer-mismatch',
          entity: `${tenantId}:${domain}:active-version`,
          expected: active ?? null,
          actual: Number(cached),
        });
      }
    }
    for (const key of await redis.scan(ctx.keys.tenantPattern(tenantId), MAX_KEYS)) {
      if (key.endsWith(':load-lock')) continue;
      if ((await redis.ttl(key)) === -1)
        findings.push({ kind: 'cache-key-without-ttl', entity: key, expected: 'a TTL', actual: 'none' });
      const mismatch = await payloadMismatch(ctx, source, tenantId, key);
      if (mismatch) findings.push(mismatch);
    }
  } catch (error) {
    findings.push({
      kind: 'cache-unreachable',
      entity: 'redis',
      expected: 'reachable',
      actual: (error as Error).message,
    });
  }
  return findings;
}

/** Compares one cached catalog/price payload with PostgreSQL at the version in its key. */
async function payloadMismatch(
  ctx: AppContext,
  source: ReconcileSource,
  tenantId: string,
  key: string,
): Promise<Finding | undefined> {
  const parts = key.split(':');
  const [domain, version, entityType, entityId, projection] = parts.slice(parts.length - 6, parts.length - 1);
  if (entityType !== 'offering' || !entityId || !/^\d+$/.test(version ?? '')) return undefined;
  const cached = await ctx.cache.raw.get(key);
  if (cached === undefined) return undefined;
  let expected: unknown;
  if (domain === 'catalog' && projection === 'detail') {
    expected = (await source.offeringAt(tenantId, Number(version), entityId)) ?? { missing: true };
  } else if (domain === 'pricing' && projection?.startsWith('price-')) {
    expected = (await source.priceAt(tenantId, Number(version), projection.slice('price-'.length), entityId)) ?? {
      missing: true,
    };
  } else {
    return undefined;
  }
  return JSON.stringify(expected) === cached
    ? undefined
    : { kind: 'cache-payload-mismatch', entity: key, expected, actual: JSON.parse(cached) as unknown };
}

async function sourceFindings(source: ReconcileSource, tenantId: string, olderThanSec: number): Promise<Finding[]> {
  const [stuck, billing, drift] = await Promise.all([
    source.stuckOutbox(tenantId, olderThanSec),
    source.billingNotExactlyOnce(tenantId, olderThanSec),
    source.projectionDrift(tenantId, olderThanSec),
  ]);
  return [
    ...stuck.map((row) => ({
      kind: 'outbox-stuck',
      entity: `outbox_event:${row.eventId} (${row.eventType})`,
      expected: 'published',
      actual: row.status,
    })),
    ...billing.map((row) => ({
      kind: row.effects === 0 ? 'order-missing-billing' : 'billing-duplicated',
      entity: `order:${row.orderId}`,
      expected: 1,
      actual: row.effects,
    })),
    ...drift.map((row) => ({
      kind: 'projection-drift',
      entity: `quote:${row.quoteId}`,
      expected: { state: row.state, revision: row.revision },
      actual: row.projected,
    })),
  ];
}

/** All findings for `tenantId`; asynchronous work younger than `olderThanSec` is not judged yet. */
export async function reconcile(
  ctx: AppContext,
  source: ReconcileSource,
  tenantId: string,
  olderThanSec = 30,
): Promise<{ findings: Finding[] }> {
  const [cache, sourceSide] = await Promise.all([
    cacheFindings(ctx, source, tenantId),
    sourceFindings(source, tenantId, olderThanSec),
  ]);
  return { findings: [...cache, ...sourceSide] };
}
