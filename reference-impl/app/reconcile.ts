/**
 * Read-only reconciliation of one tenant (GET …/ops/reconcile): compares what the caches and the
 * asynchronous parts say with PostgreSQL and reports findings. It never repairs anything.
 *
 * Findings: cache version pointers and cached payloads that differ from PostgreSQL, cache keys
 * without a TTL, Redis unreachable, outbox rows unpublished past an age, orders without (or with
 * more than one) billing effect, and quote projections that drifted from the quotes.
 */
import type pg from 'pg';
import type { VersionedDomain } from '../domain/types.ts';
import type { AppContext } from './context.ts';

export interface Finding {
  kind: string;
  entity: string;
  expected: unknown;
  actual: unknown;
}

const DOMAINS: VersionedDomain[] = ['catalog', 'pricing', 'policy'];
const MAX_KEYS = 2000;

async function cacheFindings(ctx: AppContext, db: pg.Pool, tenantId: string): Promise<Finding[]> {
  const findings: Finding[] = [];
  const redis = ctx.cache.raw;
  try {
    for (const domain of DOMAINS) {
      const { rows } = await db.query<{ v: number }>(
        'select active_version as v from domain_version where tenant_id = $1 and domain = $2',
        [tenantId, domain],
      );
      const cached = await redis.get(ctx.keys.pointer(tenantId, domain));
      if (cached !== undefined && Number(cached) !== rows[0]?.v) {
        findings.push({
          kind: 'cache-pointer-mismatch',
          entity: `${tenantId}:${domain}:active-version`,
          expected: rows[0]?.v ?? null,
          actual: Number(cached),
        });
      }
    }
    for (const key of await redis.scan(ctx.keys.tenantPattern(tenantId), MAX_KEYS)) {
      if (key.endsWith(':load-lock')) continue;
      if ((await redis.ttl(key)) === -1)
        findings.push({ kind: 'cache-key-without-ttl', entity: key, expected: 'a TTL', actual: 'none' });
      const mismatch = await payloadMismatch(ctx, db, tenantId, key);
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
  db: pg.Pool,
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
    const { rows } = await db.query(
      'select offering_id as "offeringId", name, family, active from catalog_offering where tenant_id = $1 and catalog_version = $2 and offering_id = $3',
      [tenantId, Number(version), entityId],
    );
    expected = rows[0] ?? { missing: true };
  } else if (domain === 'pricing' && projection?.startsWith('price-')) {
    const { rows } = await db.query<{ p: number }>(
      'select unit_price_cents as p from price_entry where tenant_id = $1 and price_list_version = $2 and currency = $3 and offering_id = $4',
      [tenantId, Number(version), projection.slice('price-'.length), entityId],
    );
    expected = rows[0]?.p ?? { missing: true };
  } else {
    return undefined;
  }
  return JSON.stringify(expected) === cached
    ? undefined
    : { kind: 'cache-payload-mismatch', entity: key, expected, actual: JSON.parse(cached) as unknown };
}

async function sourceFindings(db: pg.Pool, tenantId: string, olderThanSec: number): Promise<Finding[]> {
  const findings: Finding[] = [];
  const stuck = await db.query<{ event_id: string; status: string; event_type: string }>(
    `select event_id, status, event_type from outbox_event
     where tenant_id = $1 and status <> 'published' and created_at < now() - make_interval(secs => $2) order by seq limit 100`,
    [tenantId, olderThanSec],
  );
  for (const row of stuck.rows)
    findings.push({
      kind: 'outbox-stuck',
      entity: `outbox_event:${row.event_id} (${row.event_type})`,
      expected: 'published',
      actual: row.status,
    });
  const billing = await db.query<{ order_id: string; n: number }>(
    `select o.order_id, count(b.billing_trigger_id)::int as n from customer_order o
     left join billing_trigger b on b.tenant_id = o.tenant_id and b.order_id = o.order_id
     where o.tenant_id = $1 and o.created_at < now() - make_interval(secs => $2)
     group by o.order_id having count(b.billing_trigger_id) <> 1 limit 100`,
    [tenantId, olderThanSec],
  );
  for (const row of billing.rows) {
    findings.push({
      kind: row.n === 0 ? 'order-missing-billing' : 'billing-duplicated',
      entity: `order:${row.order_id}`,
      expected: 1,
      actual: row.n,
    });
  }
  const drift = await db.query<{
    quote_id: string;
    state: string;
    revision: number;
    p_state: string | null;
    p_revision: number | null;
  }>(
    `select q.quote_id, q.state, q.revision, p.state as p_state, p.revision as p_revision from quote q
     left join quote_projection p on p.tenant_id = q.tenant_id and p.quote_id = q.quote_id
     where q.tenant_id = $1 and q.updated_at < now() - make_interval(secs => $2)
       and (p.quote_id is null or p.revision <> q.revision or p.state <> q.state) limit 100`,
    [tenantId, olderThanSec],
  );
  for (const row of drift.rows) {
    findings.push({
      kind: 'projection-drift',
      entity: `quote:${row.quote_id}`,
      expected: { state: row.state, revision: row.revision },
      actual: row.p_state ? { state: row.p_state, revision: row.p_revision } : null,
    });
  }
  return findings;
}

/** All findings for `tenantId`; asynchronous work younger than `olderThanSec` is not judged yet. */
export async function reconcile(
  ctx: AppContext,
  db: pg.Pool,
  tenantId: string,
  olderThanSec = 30,
): Promise<{ findings: Finding[] }> {
  const [cache, source] = await Promise.all([
    cacheFindings(ctx, db, tenantId),
    sourceFindings(db, tenantId, olderThanSec),
  ]);
  return { findings: [...cache, ...source] };
}
