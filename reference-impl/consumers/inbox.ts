/**
 * Exactly-once effects over at-least-once delivery: the consumer's effect and its `inbox_message`
 * row are written in one transaction, so a redelivered event finds its row and is skipped.
 *
 * Planted bug `consumer-no-dedupe`: the inbox is not consulted, so redeliveries repeat effects.
 */
import type pg from 'pg';
import { inTransaction } from '../adapters/postgres/pool.ts';
import type { EventEnvelope } from '../domain/events.ts';
import type { Metrics } from '../app/metrics.ts';

export interface InboxOptions {
  pool: pg.Pool;
  consumer: string;
  metrics: Metrics;
  dedupe: boolean;
}

/** Applies `effect` for `event` unless this consumer already did; returns what happened. */
export async function applyOnce(
  options: InboxOptions,
  event: EventEnvelope,
  effect: (client: pg.PoolClient) => Promise<void>,
): Promise<'applied' | 'duplicate'> {
  return inTransaction(options.pool, async (client) => {
    if (options.dedupe) {
      const { rowCount } = await client.query(
        'insert into inbox_message (consumer_name, event_id) values ($1, $2) on conflict do nothing',
        [options.consumer, event.eventId],
      );
      if (rowCount === 0) {
        options.metrics.consumerDuplicates.inc({ consumer: options.consumer });
        return 'duplicate';
      }
    }
    await effect(client);
    options.metrics.consumerProcessed.inc({ consumer: options.consumer });
    return 'applied';
  });
}
