/**
 * The PostgreSQL side of reconciliation: version pointers, stored payloads at a version, outbox
 * rows stuck past an age, orders whose billing effect is not exactly one, and quote projections
 * that drifted. Read-only queries, at most 100 rows each.
 */
import type pg from 'pg';
import type { VersionedDomain } from '../../domain/types.ts';
import type { ReconcileSource } from '../../ports/reconcile.ts';

export function postgresReconcileSource(db: pg.Pool): ReconcileSource {
  return {
    async activeVersion(tenantId: string, domain: VersionedDomain) {
      const { rows } = await db.query<{ v: number }>(
        'select active_version as v from domain_version where tenant_id = $1 and domain = $2',
        [tenantId, domain],
      );
      return rows[0]?.v;
    },
    async offeringAt(tenantId, version, offeringId) {
      const { rows } = await db.query<Record<string, unknown>>(
        'select offering_id as "offeringId", name, family, active from catalog_offering where tenant_id = $1 and catalog_version = $2 and offering_id = $3',
        [tenantId, version, offeringId],
      );
      return rows[0];
    },
    async priceAt(tenantId, version, currency, offeringId) {
      const { rows } = await db.query<{ p: number }>(
        'select unit_price_cents as p from price_entry where tenant_id = $1 and price_list_version = $2 and currency = $3 and offering_id = $4',
        [tenantId, version, currency, offeringId],
      );
      return rows[0]?.p;
    },
    async stuckOutbox(tenantId, olderThanSec) {
      const { rows } = await db.query<{ eventId: string; status: string; eventType: string }>(
        `select event_id as "eventId", status, event_type as "eventType" from outbox_event
         where tenant_id = $1 and status <> 'published' and created_at < now() - make_interval(secs => $2)
         order by seq limit 100`,
        [tenantId, olderThanSec],
      );
      return rows;
    },
    async billingNotExactlyOnce(tenantId, olderThanSec) {
      const { rows } = await db.query<{ orderId: string; effects: number }>(
        `select o.order_id as "orderId", count(b.billing_trigger_id)::int as effects from customer_order o
         left join billing_trigger b on b.tenant_id = o.tenant_id and b.order_id = o.order_id
         where o.tenant_id = $1 and o.created_at < now() - make_interval(secs => $2)
         group by o.order_id having count(b.billing_trigger_id) <> 1 limit 100`,
        [tenantId, olderThanSec],
      );
      return rows;
    },
    async projectionDrift(tenantId, olderThanSec) {
      const { rows } = await db.query<{
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
      return rows.map((r) => ({
        quoteId: r.quote_id,
        state: r.state,
        revision: r.revision,
        projected: r.p_state ? { state: r.p_state, revision: r.p_revision } : null,
      }));
    },
  };
}
