/**
 * The order/quote projection consumer: keeps `quote_projection` (state, revision, order) in step
 * with quote events. Only a newer revision overwrites, so reordered redeliveries cannot regress it.
 */
import { TOPICS } from '../domain/events.ts';
import type { ConsumerSpec } from '../adapters/kafka/kafka.ts';
import { prepared } from '../adapters/postgres/prepared.ts';
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
      return async (client) => {
        await prepared(client).query(
          `insert into quote_projection (tenant_id, quote_id, state, revision, order_id, updated_at) values ($1, $2, $3, $4, $5, now())
           on conflict (tenant_id, quote_id) do update
             set state = excluded.state, revision = excluded.revision,
                 order_id = coalesce(excluded.order_id, quote_projection.order_id), updated_at = now()
             where quote_projection.revision < excluded.revision`,
          [event.tenantId, payload.quoteId, payload.state, payload.revision, payload.orderId ?? null],
        );
      };
    },
  });
}
