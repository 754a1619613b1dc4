/**
 * The billing consumer: every `OrderCreated` triggers billing exactly once — one `billing_trigger`
 * row per order, written with the inbox row.
 */
import { TOPICS } from '../domain/events.ts';
import type { ConsumerSpec } from '../adapters/kafka/kafka.ts';
import { inboxConsumer, type InboxOptions } from './inbox.ts';

export function billingConsumer(inbox: InboxOptions): ConsumerSpec {
  return inboxConsumer(inbox, {
    groupId: 'cpq-billing',
    topics: [TOPICS.order],
    effect: (event) =>
      event.type !== 'OrderCreated'
        ? undefined
        : {
            values: [event.tenantId, event.aggregateId, event.eventId],
            sql: (p, when) =>
              `insert into billing_trigger (tenant_id, order_id, event_id) select ${p(1)}::text, ${p(2)}::uuid, ${p(3)}::uuid where ${when}`,
          },
  });
}
