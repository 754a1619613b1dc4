/**
 * Kafka through kafkajs (verified against the pinned Kafka 3.9 broker): a client whose logs go to
 * pino, the event envelope of contract section 4 (key = aggregate id, header `event-id`), and a
 * consumer runner that commits an offset only after the handler — the effect — has finished (per
 * fetched batch), applying a batch's events as one unit where the consumer can.
 */
import { Kafka, logLevel, Partitioners, type Consumer, type KafkaMessage, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { EventEnvelope } from '../../domain/events.ts';
import { fixKafkajsIdleSpin } from './request-queue-fix.ts';

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** How every client of the system retries a request or a connection by default (about 9 s of back-off). */
export const CLIENT_RETRY = { retries: 8, initialRetryTime: 100, maxRetryTime: 2000, factor: 0.2, multiplier: 2 };

/** A client whose requests and connections retry under `retry` (default `CLIENT_RETRY`). */
export function kafkaClient(brokers: string[], clientId: string, log: Logger, retry = CLIENT_RETRY): Kafka {
  if (!fixKafkajsIdleSpin()) log.warn('kafkajs is not 2.2.4: its idle-spin fix (request-queue-fix.ts) was not applied');
  return new Kafka({
    clientId,
    brokers,
    connectionTimeout: 3000,
    requestTimeout: 10_000,
    logLevel: logLevel.WARN,
    logCreator: () => (entry) =>
      log[LEVELS[entry.level] ?? 'info']({ kafka: entry.log, namespace: entry.namespace }, entry.log.message),
    retry,
  });
}

/**
 * How the relay's client retries connecting to a broker before a send fails (the relay then claims
 * the rows again later): about 3 s of back-off in all (`retryBudgetMs`). Its producer adds no
 * retries of its own on top (kafkajs nests them: each producer retry would reconnect all over again).
 */
export const PRODUCER_RETRY = { retries: 5, initialRetryTime: 100, maxRetryTime: 1000, factor: 0.2, multiplier: 2 };

/**
 * How long a consumer may go silent before its group moves its partitions on (ms): the broker's
 * smallest (`group.min.session.timeout.ms`), so a killed consumer's partitions move on quickly.
 */
export const CONSUMER_SESSION_TIMEOUT_MS = 6000;

/**
 * The longest kafkajs waits between the attempts of one call under `retry` (its back-off: each wait
 * up to `factor` above the last doubled, capped at `maxRetryTime`), summed over every retry.
 */
export function retryBudgetMs(retry: typeof PRODUCER_RETRY): number {
  let wait = retry.initialRetryTime * (1 + retry.factor);
  let total = 0;
  for (let i = 0; i < retry.retries; i++) {
    total += wait;
    wait = Math.min(wait * (1 + retry.factor) * retry.multiplier, retry.maxRetryTime);
  }
  return Math.ceil(total);
}

/**
 * A producer that keeps order (one request in flight) and whose sends the caller awaits with
 * acks=-1. Not kafkajs' "idempotent" mode: that needs unbounded retries, which would hang the relay
 * during a broker outage; a resend is harmless because consumers dedupe.
 */
export function eventProducer(kafka: Kafka): Producer {
  return kafka.producer({
    retry: { retries: 0 },
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}

/** The Kafka message for an envelope. */
export function toMessage(envelope: EventEnvelope) {
  return { key: envelope.aggregateId, value: JSON.stringify(envelope), headers: { 'event-id': envelope.eventId } };
}

/** Parses a message value into an envelope; undefined if it is not one. */
export function fromMessage(message: KafkaMessage): EventEnvelope | undefined {
  try {
    const value = JSON.parse(message.value?.toString('utf8') ?? '') as EventEnvelope;
    return typeof value.eventId === 'string' && typeof value.tenantId === 'string' && typeof value.type === 'string'
      ? value
      : undefined;
  } catch {
    return undefined;
  }
}

export interface ConsumerSpec {
  groupId: string;
  topics: string[];
  fromBeginning: boolean;
  /** Applies the effect of one event; the offset is committed only after it resolves. */
  handle(envelope: EventEnvelope, heartbeat: () => Promise<void>): Promise<void>;
  /**
   * An event whose handler failed is logged and its offset committed anyway, so one bad event
   * cannot block its partition (and is never applied). Without it the handler's error makes
   * kafkajs retry the event, then restart the consumer from the committed offset.
   */
  skipFailures?: boolean;
  /**
   * Applies the effects of several events as one unit, all or none. A unit that fails is applied
   * again one event at a time through `handle`, so one bad event behaves as it would alone.
   */
  handleBatch?(envelopes: readonly EventEnvelope[]): Promise<void>;
  /**
   * Fetches that wait for this many bytes (or `GATHER_MS`) instead of answering at the first event:
   * for a consumer whose effects may trail by a fraction of a second, larger units under load.
   */
  gatherBytes?: number;
}

/**
 * How long a gathering fetch waits for its bytes before it answers with what it has (ms), as the Java
 * client's `fetch.max.wait.ms`. At rest each such fetch costs the broker: at 250 ms its idle CPU went
 * from 0.03 to 0.06 cores (load smoke's measure at rest), at 500 ms to 0.046.
 */
export const GATHER_MS = 500;

/** The most events of one fetched batch applied as one unit (one transaction). */
const UNIT_LIMIT = 50;

/** A running consumer; `joined()` is true once it has partitions assigned by its group. */
export interface RunningConsumer {
  /** The kafkajs consumer running now (replaced after a crash kafkajs does not restart). */
  readonly consumer: Consumer;
  joined(): boolean;
  /** Disconnects it for good (no replacement after). */
  stop(): Promise<void>;
}

/**
 * Starts a consumer that commits each offset after its handler. kafkajs restarts a consumer after a
 * retriable crash only; after a non-retriable one (e.g. "The coordinator is not aware of this
 * member", once a process frozen past its session timeout wakes up) it stays stopped for good — and
 * so would invalidation, billing or projections. Such a consumer is disconnected and replaced by a
 * new one in the same group, which resumes from the committed offsets (found by the
 * redis-stale-catalog game day: a cache pointer trailed PostgreSQL for over a minute after the heal).
 */
export async function runConsumer(kafka: Kafka, spec: ConsumerSpec, log: Logger): Promise<RunningConsumer> {
  let current: Consumer | undefined;
  let joined = false;
  let stopped = false;
  const start = async (): Promise<void> => {
    // A short session: a killed consumer's partitions move on after 6 s, not 30.
    const consumer = kafka.consumer({
      groupId: spec.groupId,
      sessionTimeout: CONSUMER_SESSION_TIMEOUT_MS,
      heartbeatInterval: 1000,
      allowAutoTopicCreation: false,
      ...(spec.gatherBytes ? { minBytes: spec.gatherBytes, maxWaitTimeInMs: GATHER_MS } : {}),
    });
    current = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
    consumer.on(consumer.events.CRASH, (event) => {
      joined = false;
      const restart = event.payload.restart;
      log.error(
        { err: event.payload.error?.message, group: spec.groupId, restart },
        restart ? 'consumer crashed; kafkajs restarts it' : 'consumer crashed for good; replacing it',
      );
      if (!restart && !stopped) void replace(consumer);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: spec.topics, fromBeginning: spec.fromBeginning });
    // An offset is resolved only once its effect is committed, and kafkajs commits the resolved
    // offsets once per fetched batch (and before it throws a handler's error or leaves in a
    // rebalance): an effect is never committed before it happened, and under load one OffsetCommit
    // covers several events — a commit per event cost the broker more CPU than the event did.
    await consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        const live = () => isRunning() && !isStale();
        const events = batch.messages.map((message) => {
          const envelope = fromMessage(message);
          if (!envelope)
            log.warn(
              { topic: batch.topic, partition: batch.partition, offset: message.offset },
              'skipping a message that is not an event envelope',
            );
          return { offset: message.offset, envelope };
        });
        for (let start = 0; start < events.length && live(); start += UNIT_LIMIT) {
          const unit = events.slice(start, start + UNIT_LIMIT);
          if (await together(unit.flatMap((e) => (e.envelope ? [e.envelope] : []))))
            resolveOffset((unit.at(-1) as (typeof unit)[number]).offset);
          else
            for (const { offset, envelope } of unit) {
              if (!live()) return;
              if (envelope) await one(envelope, heartbeat);
              resolveOffset(offset);
            }
          await heartbeat();
        }
      },
    });
  };
  /** Applies several events as one unit through `handleBatch`; false if it cannot or that failed. */
  const together = async (envelopes: EventEnvelope[]): Promise<boolean> => {
    if (!spec.handleBatch || envelopes.length < 2) return false;
    try {
      await spec.handleBatch(envelopes);
      return true;
    } catch (error) {
      log.warn(
        { err: (error as Error).message, group: spec.groupId, events: envelopes.length },
        'applying a batch failed; applying its events one at a time',
      );
      return false;
    }
  };
  const one = async (envelope: EventEnvelope, heartbeat: () => Promise<void>): Promise<void> => {
    if (!spec.skipFailures) return spec.handle(envelope, heartbeat);
    await spec
      .handle(envelope, heartbeat)
      .catch((error: Error) =>
        log.error({ err: error.message, eventId: envelope.eventId }, 'event not applied; skipped'),
      );
  };
  const replace = async (dead: Consumer): Promise<void> => {
    await dead.disconnect().catch(() => undefined);
    for (let attempt = 0; !stopped; attempt++) {
      try {
        await start();
        return;
      } catch (error) {
        log.error(
          { err: (error as Error).message, group: spec.groupId },
          'replacing a crashed consumer failed; retrying',
        );
        await new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** attempt, 5000)));
      }
    }
  };
  await start();
  return {
    get consumer() {
      return current as Consumer;
    },
    joined: () => joined,
    stop: async () => {
      stopped = true;
      await current?.disconnect();
    },
  };
}
