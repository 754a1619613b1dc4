/**
 * The order/quote projection consumer: keeps `quote_projection` (state, revision, order) in step
 * with quote events. Only a newer revision overwrites, so reordered redeliveries cannot regress it.
 */
import { TOPICS } from '../domain/events.ts';
import type { ConsumerSpec } from '../adapters/kafka/kafka.ts';
import { inboxConsumer, type InboxOptions } from './inbox.ts';

interface QuotePayload {
  quoteId?: string;
  state?: string;
  revision?: number;
  orderId?: string;
}

export function projectionConsumer(inbox: InboxOptions): ConsumerSpec {
  return inboxConsumer(inbox, {
    groupId: 'cpq-projection',
    topics: [TOPICS.quote],
    effect: (event) => {
      const payload = event.payload as QuotePayload;
      if (!payload.quoteId || !payload.state || typeof payload.revision !== 'number') return undefined;
      return {
        values: [event.tenantId, payload.quoteId, payload.state, payload.revision, payload.orderId ?? null],
        sql: (p, when) =>
          `insert into quote_projection (tenant_id, quote_id, state, revision, order_id, updated_at)
           select ${p(1)}::text, ${p(2)}::uuid, ${p(3)}::text, ${p(4)}::integer, ${p(5)}::uuid, now() where ${when}
           on conflict (tenant_id, quote_id) do update
             set state = excluded.state, revision = excluded.revision,
                 order_id = coalesce(excluded.order_id, quote_projection.order_id), updated_at = now()
             where quote_projection.revision < excluded.revision`,
      };
    },
  });
}
