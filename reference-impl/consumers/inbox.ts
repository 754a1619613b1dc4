/**
 * Exactly-once effects over at-least-once delivery: the consumer's inbox row and its effect are
 * written by one statement inside a transaction, so a redelivered event finds its row and is
 * skipped, and a crash after that statement and before the commit (failpoint
 * `consumer.after-effect-before-inbox`) leaves neither. The events of one fetched batch share that
 * transaction (`applyEachOnce`): all or none.
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

/**
 * An event's effect: one INSERT whose row comes from `select … where ${when}`. `param(i)` names its
 * i-th value (from 1); `when` is the condition it runs under — its inbox row being new, written by
 * the same statement, or `true` where there is no inbox row to write with it.
 */
export interface Effect {
  values: unknown[];
  sql(param: (i: number) => string, when: string): string;
}

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
          if (!options.dedupe) await applyAlone(client, effect);
          else if (!(await recordAndApply(client, options, event, effect))) {
            done.push('duplicate');
            continue;
          }
          // Effect and inbox row written, neither committed yet.
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

/**
 * The inbox row and, only if it is new, the effect: one statement (a data-modifying WITH), so a
 * redelivered event costs one round trip; false when this consumer already had the row.
 */
async function recordAndApply(
  client: pg.PoolClient,
  options: InboxOptions,
  event: EventEnvelope,
  effect: Effect,
): Promise<boolean> {
  const { rows } = await prepared(client).query<{ fresh: number }>(
    `with inbox as (
       insert into inbox_message (consumer_name, event_id) values ($1, $2) on conflict do nothing returning 1),
     effect as (${effect.sql((i) => `$${i + 2}`, 'exists (select from inbox)')})
     select count(*)::int as fresh from inbox`,
    [options.consumer, event.eventId, ...effect.values],
  );
  return rows[0]?.fresh === 1;
}

/** The effect on its own, with no inbox row (the planted bugs' paths). */
async function applyAlone(client: pg.PoolClient, effect: Effect): Promise<void> {
  await prepared(client).query(
    effect.sql((i) => `$${i}`, 'true'),
    effect.values,
  );
}

/** Inserts the inbox row alone; false when this consumer already has one for the event. */
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
  await inTransaction(options.pool, (client) => applyAlone(client, effect));
  options.failpoints.crashIfArmed('consumer.after-effect-before-inbox', options.consumer);
  await inTransaction(options.pool, (client) => recordInbox(client, options, event));
  return 'applied';
}
