/**
 * Exactly-once effects over at-least-once delivery: the consumer's inbox row and its effect are
 * written in one transaction, so a redelivered event finds its row and is skipped, and a crash
 * between the effect and the inbox row (failpoint `consumer.after-effect-before-inbox`) rolls both
 * back. The events of one fetched batch share that transaction (`applyEachOnce`): all or none.
 *
 * Planted bugs: `consumer-no-dedupe` — the inbox is not consulted, so redeliveries repeat effects;
 * `inbox-separate-transaction` — the inbox is checked, the effect committed, and only then the inbox
 * row written in a transaction of its own, so a crash between the two repeats the effect.
 */
import type pg from 'pg';
import { inTransaction } from '../adapters/postgres/pool.ts';
import { prepared } from '../adapters/postgres/prepared.ts';
import type { ConsumerSpec } from '../adapters/kafka/kafka.ts';
import type { EventEnvelope } from '../domain/events.ts';
import type { Failpoints } from '../app/failpoints.ts';
import type { Metrics } from '../app/metrics.ts';

export interface InboxOptions {
  pool: pg.Pool;
  consumer: string;
  metrics: Metrics;
  failpoints: Failpoints;
  dedupe: boolean;
  /** Effect and inbox row in two transactions (planted bug `inbox-separate-transaction`). */
  separateTransactions?: boolean;
}

export type Effect = (client: pg.PoolClient) => Promise<void>;

type Outcome = 'applied' | 'duplicate';

/**
 * Applies each event's effect unless this consumer already did, with every inbox row and effect in
 * one transaction (a duplicate within the list finds the first's row); returns what happened to each.
 */
export async function applyEachOnce(
  options: InboxOptions,
  items: readonly { event: EventEnvelope; effect: Effect }[],
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  if (options.separateTransactions)
    for (const { event, effect } of items) outcomes.push(await applyThenRecord(options, event, effect));
  else
    outcomes.push(
      ...(await inTransaction(options.pool, async (client) => {
        const done: Outcome[] = [];
        for (const { event, effect } of items) {
          if (options.dedupe && !(await recordInbox(client, options, event))) {
            done.push('duplicate');
            continue;
          }
          await effect(client);
          options.failpoints.crashIfArmed('consumer.after-effect-before-inbox', options.consumer);
          done.push('applied');
        }
        return done;
      })),
    );
  for (const done of outcomes)
    if (done === 'duplicate') options.metrics.consumerDuplicates.inc({ consumer: options.consumer });
    else options.metrics.consumerProcessed.inc({ consumer: options.consumer });
  return outcomes;
}

/**
 * A consumer whose events have an effect in PostgreSQL, applied exactly once through the inbox:
 * `effect` says what an event does (nothing: undefined). Once its effects are committed, the
 * offsets still are not (failpoint `consumer.after-effect-before-commit`).
 */
export function inboxConsumer(
  inbox: InboxOptions,
  spec: Pick<ConsumerSpec, 'groupId' | 'topics'> & { effect(event: EventEnvelope): Effect | undefined },
): ConsumerSpec {
  const applyAll = async (events: readonly EventEnvelope[]) => {
    const items = events.flatMap((event) => {
      const effect = spec.effect(event);
      return effect ? [{ event, effect }] : [];
    });
    if (items.length === 0) return;
    await applyEachOnce(inbox, items);
    inbox.failpoints.crashIfArmed('consumer.after-effect-before-commit', inbox.consumer);
  };
  return {
    groupId: spec.groupId,
    topics: spec.topics,
    fromBeginning: true,
    handle: (event) => applyAll([event]),
    handleBatch: applyAll,
    // About twenty events (an envelope is under 1 KiB): one transaction and one offset commit for
    // them, not one each, once events come faster than one per GATHER_MS.
    gatherBytes: 16 * 1024,
  };
}

/** Inserts the inbox row; false when this consumer already has one for the event. */
async function recordInbox(client: pg.PoolClient, options: InboxOptions, event: EventEnvelope): Promise<boolean> {
  const { rowCount } = await prepared(client).query(
    'insert into inbox_message (consumer_name, event_id) values ($1, $2) on conflict do nothing',
    [options.consumer, event.eventId],
  );
  return rowCount !== 0;
}

/** planted bug: inbox-separate-transaction — check, effect, commit; then the inbox row, apart. */
async function applyThenRecord(
  options: InboxOptions,
  event: EventEnvelope,
  effect: Effect,
): Promise<'applied' | 'duplicate'> {
  const seen = await options.pool.query('select 1 from inbox_message where consumer_name = $1 and event_id = $2', [
    options.consumer,
    event.eventId,
  ]);
  if (options.dedupe && seen.rowCount !== 0) return 'duplicate';
  await inTransaction(options.pool, effect);
  options.failpoints.crashIfArmed('consumer.after-effect-before-inbox', options.consumer);
  await inTransaction(options.pool, (client) => recordInbox(client, options, event));
  return 'applied';
}
